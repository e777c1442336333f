package io.deliverymetrics.bench.api;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the {@code wrk} HTTP benchmark tool (Debian package {@code wrk}) when it is installed. */
public final class Wrk {

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern PERCENTILE =
            Pattern.compile(
                    "^\\s+(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);

    private final Path executable;

    private Wrk(Path executable) {
        this.executable = executable;
    }

    /** wrk from the PATH, if there is one. */
    public static Optional<Wrk> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "wrk");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new Wrk(candidate));
            }
        }
        return Optional.empty();
    }

    /** One wrk measurement: requests/s and median and 99th percentile latency in ms. */
    public record Result(double requestsPerSecond, double p50Millis, double p99Millis) {}

    public Result run(String url, String bearerToken, int connections, Duration duration)
            throws IOException, InterruptedException {
        List<String> command =
                List.of(
                        executable.toString(),
                        "-t2",
                        "-c" + connections,
                        "-d" + Math.max(1, duration.toSeconds()) + "s",
                        "--latency",
                        "-H",
                        "Authorization: Bearer " + bearerToken,
                        url);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "wrk failed: " + new String(out, StandardCharsets.UTF_8));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        Matcher rps = RPS.matcher(text);
        if (!rps.find() || text.contains("Non-2xx")) {
            throw new IllegalStateException("unexpected wrk output:\n" + text);
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher m = PERCENTILE.matcher(text);
        while (m.find()) {
            double v = Double.parseDouble(m.group(2));
            double ms =
                    switch (m.group(3)) {
                        case "us" -> v / 1e3;
                        case "s" -> v * 1e3;
                        default -> v;
                    };
            if ("50".equals(m.group(1))) {
                p50 = ms;
            } else {
                p99 = ms;
            }
        }
        return new Result(Double.parseDouble(rps.group(1)), p50, p99);
    }
}
