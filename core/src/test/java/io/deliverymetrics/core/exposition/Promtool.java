package io.deliverymetrics.core.exposition;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Prometheus' own checks of an exposition, through {@code promtool} from PATH. Fails (never skips)
 * when promtool is not installed: {@code ./test.sh} installs it.
 */
public final class Promtool {

    private static final Path PROMTOOL = onPath("promtool");

    /** Exit code and combined output of one promtool run. */
    public record Result(int exitCode, String output) {}

    private Promtool() {}

    /** The first executable {@code name} on PATH, else where Debian puts it. */
    public static Path onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return Path.of("/usr/bin", name);
    }

    /**
     * {@code promtool check metrics}: parses the text as Prometheus' text format and lints it (exit
     * 0 clean, 1 unparseable, 3 lint findings).
     */
    public static Result checkMetrics(String exposition) {
        return run(List.of(PROMTOOL.toString(), "check", "metrics"), exposition);
    }

    /**
     * {@code promtool check config}: whether {@code file} is a configuration Prometheus accepts
     * (exit 0), with the files it refers to.
     */
    public static Result checkConfig(Path file) {
        return run(List.of(PROMTOOL.toString(), "check", "config", file.toString()), "");
    }

    /** {@code promtool check rules}: whether every rule (and so every PromQL expression) parses. */
    public static Result checkRules(Path file) {
        return run(List.of(PROMTOOL.toString(), "check", "rules", file.toString()), "");
    }

    /**
     * {@code promtool test rules}: evaluates the rule files a test file names against its
     * constructed series and checks the expected alerts and values (exit 0 when all pass).
     */
    public static Result testRules(Path testFile) {
        return run(List.of(PROMTOOL.toString(), "test", "rules", testFile.toString()), "");
    }

    /**
     * Parses the text with Prometheus' strict OpenMetrics parser, by backfilling it into a TSDB
     * block in {@code dir}. The backfill needs a timestamp on every sample, so {@code timestamp}
     * (Unix seconds) is appended to each; everything else is parsed as served.
     */
    public static Result parseOpenMetrics(String exposition, long timestamp, Path dir) {
        String stamped =
                exposition
                        .lines()
                        .map(l -> l.startsWith("#") ? l : l + " " + timestamp)
                        .collect(Collectors.joining("\n", "", "\n"));
        try {
            Path input = dir.resolve("exposition.txt");
            Files.writeString(input, stamped, StandardCharsets.UTF_8);
            return run(
                    List.of(
                            PROMTOOL.toString(),
                            "tsdb",
                            "create-blocks-from",
                            "openmetrics",
                            input.toString(),
                            dir.resolve("blocks").toString()),
                    "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result run(List<String> command, String stdin) {
        if (!Files.isExecutable(PROMTOOL)) {
            throw new AssertionError(
                    PROMTOOL
                            + " is missing: run ./test.sh, which installs it, or 'apt-get install"
                            + " prometheus'");
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String output;
            try (InputStream out = p.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool did not finish within 60 s");
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
