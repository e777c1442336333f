package io.deliverymetrics.datadog.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A local stand-in for Datadog's metrics intake ({@code POST /api/v2/series}) on a real HTTP port:
 * decompresses gzip/deflate bodies, records every accepted payload, and answers scripted errors
 * (429 with {@code Retry-After}, 5xx) before accepting with 202.
 */
public final class FakeDatadogIntake implements AutoCloseable {

    /** One accepted request. */
    public record Submission(
            String apiKey,
            String contentEncoding,
            int compressedBytes,
            int jsonBytes,
            JsonNode body) {}

    /** One point of an accepted series, flattened. */
    public record ReceivedPoint(
            String metric,
            int type,
            Long interval,
            String unit,
            List<String> tags,
            Instant timestamp,
            double value) {

        public String tag(String key) {
            return tags.stream()
                    .filter(t -> t.startsWith(key + ":"))
                    .map(t -> t.substring(key.length() + 1))
                    .findFirst()
                    .orElse(null);
        }
    }

    private record Scripted(int status, Map<String, String> headers) {}

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final Deque<Scripted> script = new ArrayDeque<>();
    private final List<Submission> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();

    private FakeDatadogIntake(HttpServer server) {
        this.server = server;
    }

    public static FakeDatadogIntake start() throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeDatadogIntake intake = new FakeDatadogIntake(server);
        server.createContext("/api/v2/series", intake::handle);
        server.start();
        return intake;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next request gets {@code status} with {@code headers}, before anything is accepted. */
    public synchronized void answerNext(int status, Map<String, String> headers) {
        script.add(new Scripted(status, headers));
    }

    public List<Submission> accepted() {
        return List.copyOf(accepted);
    }

    /** Requests received, accepted or not. */
    public int attempts() {
        return attempts.get();
    }

    /** Every point of every accepted request, in arrival order. */
    public List<ReceivedPoint> points() {
        List<ReceivedPoint> out = new ArrayList<>();
        for (Submission s : accepted) {
            for (JsonNode series : s.body().get("series")) {
                List<String> tags = new ArrayList<>();
                series.path("tags").forEach(t -> tags.add(t.asText()));
                for (JsonNode p : series.get("points")) {
                    out.add(
                            new ReceivedPoint(
                                    series.get("metric").asText(),
                                    series.path("type").asInt(),
                                    series.hasNonNull("interval")
                                            ? series.get("interval").asLong()
                                            : null,
                                    series.hasNonNull("unit") ? series.get("unit").asText() : null,
                                    List.copyOf(tags),
                                    Instant.ofEpochSecond(p.get("timestamp").asLong()),
                                    p.get("value").asDouble()));
                }
            }
        }
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            attempts.incrementAndGet();
            byte[] raw = ex.getRequestBody().readAllBytes();
            Scripted next;
            synchronized (this) {
                next = script.poll();
            }
            if (next != null) {
                next.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                respond(ex, next.status(), "{\"errors\":[\"scripted " + next.status() + "\"]}");
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                respond(ex, 405, "{\"errors\":[\"POST only\"]}");
                return;
            }
            String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
            byte[] body = decompress(raw, encoding);
            JsonNode payload = json.readTree(body);
            accepted.add(
                    new Submission(
                            ex.getRequestHeaders().getFirst("DD-API-KEY"),
                            encoding,
                            raw.length,
                            body.length,
                            payload));
            respond(ex, 202, "{\"errors\":[]}");
        }
    }

    private static byte[] decompress(byte[] raw, String encoding) throws IOException {
        if (encoding == null || encoding.isBlank() || encoding.equals("identity")) {
            return raw;
        }
        try (InputStream in =
                switch (encoding) {
                    case "gzip" -> new GZIPInputStream(new ByteArrayInputStream(raw));
                    case "deflate" -> new InflaterInputStream(new ByteArrayInputStream(raw));
                    default -> throw new IOException("unsupported Content-Encoding " + encoding);
                }) {
            return in.readAllBytes();
        }
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
