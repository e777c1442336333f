package io.deliverymetrics.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.core.exposition.Promtool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real Prometheus server for integration tests: Debian's {@code prometheus} binary from PATH, run
 * as a child process on a free loopback port with its own storage, and queried through its HTTP
 * API. Fails (never skips) when prometheus is not installed: {@code ./test.sh} installs it.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Path PROMETHEUS = Promtool.onPath("prometheus");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_POLL = Duration.ofMillis(100);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    // What may go between the double quotes of the YAML: no quote, backslash or line break.
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:/-]+");

    /**
     * One scrape job against one target.
     *
     * @param credentials the bearer token Prometheus sends ({@code authorization.credentials})
     * @param target {@code host:port}
     */
    public record ScrapeJob(
            String name,
            Duration interval,
            Duration timeout,
            String metricsPath,
            String credentials,
            String target) {

        public ScrapeJob {
            for (String v : List.of(name, metricsPath, credentials, target)) {
                if (!PLAIN.matcher(v).matches()) {
                    throw new IllegalArgumentException("not a plain YAML value: " + v);
                }
            }
            if (timeout.compareTo(interval) > 0) {
                throw new IllegalArgumentException("timeout must not exceed the interval");
            }
        }
    }

    /** One raw sample of a range vector: Unix time in milliseconds and the value. */
    public record Sample(long timestampMillis, double value) {

        public Instant time() {
            return Instant.ofEpochMilli(timestampMillis);
        }
    }

    /** One series of a query result: its labels and its sample(s). */
    public record Series(Map<String, String> labels, List<Sample> samples) {

        public String label(String name) {
            return labels.get(name);
        }

        /** The one sample of an instant-vector element. */
        public Sample sample() {
            if (samples.size() != 1) {
                throw new IllegalStateException("not an instant-vector element: " + this);
            }
            return samples.get(0);
        }
    }

    private final Process process;
    private final Path log;
    private final URI base;
    private final HttpClient http;

    private PrometheusServer(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Writes a configuration with {@code jobs} as {@code dir/prometheus.yml}. */
    public static Path writeConfig(Path dir, List<ScrapeJob> jobs) {
        StringBuilder yaml = new StringBuilder("scrape_configs:\n");
        for (ScrapeJob j : jobs) {
            yaml.append(
                    """
                      - job_name: "%s"
                        scrape_interval: %ds
                        scrape_timeout: %ds
                        metrics_path: "%s"
                        authorization:
                          credentials: "%s"
                        static_configs:
                          - targets: ["%s"]
                    """
                            .formatted(
                                    j.name(),
                                    j.interval().toSeconds(),
                                    j.timeout().toSeconds(),
                                    j.metricsPath(),
                                    j.credentials(),
                                    j.target()));
        }
        try {
            Path file = dir.resolve("prometheus.yml");
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts Prometheus with {@code config}, its storage and log under {@code dir}, and waits until
     * it answers {@code /-/ready}.
     */
    public static PrometheusServer start(Path config, Path dir) {
        if (!Files.isExecutable(PROMETHEUS)) {
            throw new AssertionError(
                    PROMETHEUS
                            + " is missing: run ./test.sh, which installs it, or 'apt-get install"
                            + " prometheus'");
        }
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process process;
        try {
            process =
                    new ProcessBuilder(
                                    PROMETHEUS.toString(),
                                    "--config.file=" + config,
                                    "--storage.tsdb.path=" + dir.resolve("data"),
                                    "--web.listen-address=127.0.0.1:" + port,
                                    "--web.enable-lifecycle")
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + PROMETHEUS, e);
        }
        PrometheusServer server =
                new PrometheusServer(process, log, URI.create("http://127.0.0.1:" + port));
        try {
            server.awaitReady();
        } catch (RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            if (readyStatus() == 200) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "prometheus was not ready within " + READY_TIMEOUT + ":\n" + log());
            }
            pause(READY_POLL);
        }
    }

    private int readyStatus() {
        try {
            return http.send(
                            HttpRequest.newBuilder(base.resolve("/-/ready"))
                                    .timeout(Duration.ofSeconds(5))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            // Not listening yet.
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Evaluates {@code promql} at {@code at} ({@code /api/v1/query}): one element per series of the
     * resulting instant vector, or per series of a range vector with all its raw samples in the
     * range. Stale markers are not samples and are never returned.
     */
    public List<Series> query(String promql, Instant at) {
        return series(get("/api/v1/query?query=" + encode(promql) + "&time=" + unixTime(at)));
    }

    /**
     * The label sets of every series that matches {@code selector} and has samples between {@code
     * start} and {@code end} ({@code /api/v1/series}), whatever their metric names.
     */
    public List<Map<String, String>> series(String selector, Instant start, Instant end) {
        List<Map<String, String>> out = new ArrayList<>();
        for (JsonNode element :
                get(
                        "/api/v1/series?match%5B%5D="
                                + encode(selector)
                                + "&start="
                                + unixTime(start)
                                + "&end="
                                + unixTime(end))) {
            out.add(labels(element));
        }
        return out;
    }

    /** The one value of an instant query that yields at most one series; empty for none. */
    public OptionalDouble scalar(String promql, Instant at) {
        List<Series> result = query(promql, at);
        if (result.size() > 1) {
            throw new AssertionError(promql + " gave more than one series: " + result);
        }
        return result.isEmpty()
                ? OptionalDouble.empty()
                : OptionalDouble.of(result.get(0).sample().value());
    }

    private JsonNode get(String pathAndQuery) {
        HttpResponse<String> r;
        try {
            r =
                    http.send(
                            HttpRequest.newBuilder(base.resolve(pathAndQuery))
                                    .timeout(Duration.ofSeconds(30))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("prometheus did not answer " + pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("prometheus answered no JSON: " + r.body(), e);
        }
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError(
                    "prometheus refused " + pathAndQuery + ": " + r.statusCode() + " " + r.body());
        }
        return body.get("data");
    }

    private static List<Series> series(JsonNode data) {
        String type = data.get("resultType").asText();
        List<Series> out = new ArrayList<>();
        for (JsonNode element : data.get("result")) {
            Map<String, String> labels = labels(element.get("metric"));
            List<Sample> samples = new ArrayList<>();
            switch (type) {
                case "vector" -> samples.add(sample(element.get("value")));
                case "matrix" -> element.get("values").forEach(v -> samples.add(sample(v)));
                default -> throw new AssertionError("unexpected result type " + type);
            }
            out.add(new Series(labels, samples));
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new TreeMap<>();
        object.fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
        return labels;
    }

    private static Sample sample(JsonNode pair) {
        // [<unix seconds with millisecond decimals>, "<value>"]
        long millis = Math.round(pair.get(0).asDouble() * 1000);
        String v = pair.get(1).asText();
        double value =
                switch (v) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(v);
                };
        return new Sample(millis, value);
    }

    /** Unix seconds with millisecond decimals, as the HTTP API takes them. */
    static String unixTime(Instant t) {
        long millis = t.toEpochMilli();
        return Math.floorDiv(millis, 1000)
                + "."
                + String.format("%03d", Math.floorMod(millis, 1000));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Prometheus' own log so far, for failure messages. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
