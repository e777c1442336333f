package io.deliverymetrics.api.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through chromedriver, both taken from PATH (else Debian's {@code
 * /usr/bin}), with a fresh profile per instance. Fails (never skips) when the browser is not
 * installed: {@code ./test.sh} installs it.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = executable("chromium");
    private static final Path CHROMEDRIVER = executable("chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts headless Chromium with a 1400×1000 window. */
    public static Browser start() {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError(
                        p
                                + " is missing: run ./test.sh, which installs it, or apt-get"
                                + " install chromium chromium-driver");
            }
        }
        try {
            Path profile = Files.createTempDirectory("dashboard-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--window-size=1400,1000",
                    "--user-data-dir=" + profile);
            options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
            ChromeDriverService service =
                    new ChromeDriverService.Builder()
                            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                            .usingAnyFreePort()
                            .build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first executable file {@code name} in a directory of PATH, else {@code /usr/bin/name}.
     */
    private static Path executable(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return Path.of("/usr/bin", name);
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * Opens {@code url} in a clean state: no session storage left from an earlier test. The storage
     * is cleared on a page of the same origin that runs no script ({@code /dashboard-config}), so
     * that a sign-in left behind cannot act (for instance move to another view) before it is gone.
     */
    public void openFresh(String url) {
        driver.get(URI.create(url).resolve("/dashboard-config").toString());
        driver.executeScript("window.sessionStorage.clear();");
        driver.get(url);
    }

    /** Opens the dashboard at {@code pageUrl} fresh and signs in with {@code token}. */
    public void signIn(String pageUrl, String token) {
        openFresh(pageUrl);
        visible("#token-input").sendKeys(token);
        driver.findElement(By.cssSelector("#login-form button[type=submit]")).click();
    }

    /** Picks the preset {@code range} of the dashboard and waits until it has loaded. */
    public void pickRange(String range) {
        driver.findElement(By.cssSelector("#ranges [data-range='" + range + "']")).click();
        until(
                d ->
                        d.getCurrentUrl().endsWith("range=" + range)
                                && !d.findElement(By.id("busy")).isDisplayed());
    }

    public WebElement visible(String css) {
        return until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    public <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).until(condition::apply);
    }

    /** Waits until the element's text satisfies {@code check}; returns the text. */
    public String untilText(String css, java.util.function.Predicate<String> check) {
        return until(
                d -> {
                    List<WebElement> found = d.findElements(By.cssSelector(css));
                    if (found.isEmpty() || !found.get(0).isDisplayed()) {
                        return null;
                    }
                    String t = found.get(0).getText();
                    return check.test(t) ? t : null;
                });
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /**
     * Console errors since the last call (uncaught exceptions, failed module loads), without the
     * network errors Chromium logs for answered 4xx/5xx requests, which the page handles.
     */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
    }

    /** Saves a PNG of the whole page as {@code target/screenshots/<name>.png}. */
    public Path screenshot(String name) {
        Dimension before = driver.manage().window().getSize();
        long height =
                ((Number) script("return document.documentElement.scrollHeight;")).longValue();
        driver.manage()
                .window()
                .setSize(
                        new Dimension(
                                before.getWidth(),
                                (int) Math.min(4000, Math.max(before.getHeight(), height + 120))));
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
