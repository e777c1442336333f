package io.deliverymetrics.bench.api;

import io.deliverymetrics.api.ApiServer;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.bench.config.BenchConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The API server under test, listening on a loopback port: either the shaded jar as its own
 * process, as an operator runs it ({@link #process}), or {@link ApiServer} inside this JVM ({@link
 * #inProcess}, which shares the load client's heap, garbage collector and JIT).
 */
public abstract sealed class ApiEndpoint implements AutoCloseable {

    /**
     * JVM options of the server process: a fixed 4 GiB heap with the JDK's default collector (G1).
     * Connector/J buffers a statement's whole result, and the union-path 7 d summary of 50 pairs
     * reads about half a million minute rows with sketches per request, eight at once under the
     * closed loop: with 1 GiB the full run's server stalled in garbage collection until a request
     * timed out. As in {@code api-server/README.md}.
     */
    static final List<String> SERVER_JVM_OPTIONS = List.of("-Xms4g", "-Xmx4g");

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    /** Base URL, e.g. {@code http://127.0.0.1:PORT}. */
    public abstract String baseUrl();

    /**
     * Base URL of the admin listener (operator {@code /metrics}, health), e.g. {@code
     * http://127.0.0.1:PORT}; empty when the settings disable it.
     */
    public abstract Optional<String> adminBaseUrl();

    /** Where the server runs, for the report. */
    public abstract String describe();

    @Override
    public abstract void close();

    /**
     * Starts {@code jar} with {@code settings} as {@code --key=value} arguments; waits until ready.
     */
    public static ApiEndpoint process(Path jar, Map<String, String> settings, Path workDir)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(
                    "api-server jar not found at "
                            + jar
                            + " (build it: ./mvnw -B -q install -DskipTests -pl bench -am)");
        }
        int port = freePort();
        int adminPort = freePort();
        Map<String, String> s = new HashMap<>(settings);
        s.put("server.host", "127.0.0.1");
        s.put("server.port", Integer.toString(port));
        s.put("admin.host", "127.0.0.1");
        s.put("admin.port", Integer.toString(adminPort));
        boolean admin = !"false".equals(s.get("admin.enabled"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SERVER_JVM_OPTIONS);
        command.add("-jar");
        command.add(jar.toString());
        command.add("serve");
        s.forEach((k, v) -> command.add("--" + k + "=" + v));
        Path log = Files.createTempFile(workDir, "api-server-", ".log");
        Process p =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        ServerProcess server =
                new ServerProcess(
                        p,
                        "http://127.0.0.1:" + port,
                        admin ? Optional.of("http://127.0.0.1:" + adminPort) : Optional.empty(),
                        log);
        try {
            server.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * The server as {@code config} asks: {@link #inProcess} with {@code --api-in-process}, else
     * {@link #process} of the configured jar, its log in a new temporary directory named after
     * {@code prefix}.
     */
    public static ApiEndpoint start(BenchConfig config, Map<String, String> settings, String prefix)
            throws IOException, InterruptedException {
        if (config.apiInProcess()) {
            return inProcess(settings);
        }
        return process(config.apiJar(), settings, Files.createTempDirectory(prefix));
    }

    /** Builds and starts {@link ApiServer} in this JVM on a free loopback port. */
    public static ApiEndpoint inProcess(Map<String, String> settings) {
        Map<String, String> s = new HashMap<>(settings);
        s.put("server.host", "127.0.0.1");
        s.put("server.port", "0");
        s.put("admin.host", "127.0.0.1");
        s.put("admin.port", "0");
        return new InProcess(ApiServer.create(ApiConfig.withOverrides(s)).start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static final class ServerProcess extends ApiEndpoint {
        private final Process process;
        private final String baseUrl;
        private final Optional<String> adminBaseUrl;
        private final Path log;

        ServerProcess(Process process, String baseUrl, Optional<String> adminBaseUrl, Path log) {
            this.process = process;
            this.baseUrl = baseUrl;
            this.adminBaseUrl = adminBaseUrl;
            this.log = log;
        }

        void awaitReady() throws IOException, InterruptedException {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest ready =
                    HttpRequest.newBuilder(URI.create(baseUrl + "/readyz"))
                            .timeout(Duration.ofSeconds(5))
                            .build();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "api-server exited with "
                                    + process.exitValue()
                                    + " before it was ready; log "
                                    + log
                                    + ":\n"
                                    + Files.readString(log, StandardCharsets.UTF_8));
                }
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode()
                            == 200) {
                        return;
                    }
                } catch (IOException notListeningYet) {
                    // The JVM is still starting; polled again below until the deadline.
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "api-server not ready after " + START_TIMEOUT + "; log " + log);
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }

        @Override
        public String baseUrl() {
            return baseUrl;
        }

        @Override
        public Optional<String> adminBaseUrl() {
            return adminBaseUrl;
        }

        @Override
        public String describe() {
            return "the shaded api-server jar as its own process (`java "
                    + String.join(" ", SERVER_JVM_OPTIONS)
                    + " -jar api-server.jar serve …`)";
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class InProcess extends ApiEndpoint {
        private final ApiServer server;

        InProcess(ApiServer server) {
            this.server = server;
        }

        @Override
        public String baseUrl() {
            return "http://127.0.0.1:" + server.port();
        }

        @Override
        public Optional<String> adminBaseUrl() {
            return server.adminPort().map(p -> "http://127.0.0.1:" + p);
        }

        @Override
        public String describe() {
            return "`ApiServer.create(...)` inside the benchmark's JVM";
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
