package io.deliverymetrics.datadog.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A local stand-in for Datadog's metrics intake ({@code POST /api/v2/series}) on a real HTTP port:
 * decompresses gzip/deflate bodies, records every accepted payload, and answers scripted errors
 * (429 with {@code Retry-After}, 5xx) before accepting with 202.
 *
 * <p>It also keeps SLOs ({@code /api/v1/slo}) and monitors ({@code /api/v1/monitor}) in memory:
 * list (filtered by one tag, paged), create, read, update and delete, recording every call. Like
 * Datadog it needs an API and an application key, lower-cases tags, adds fields of its own to what
 * it stores (ids, timestamps, creator, display values, option defaults) and refuses to delete an
 * SLO that a monitor's query still names.
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

    /** One call to the SLO or monitor API: method, path, query string (decoded) and JSON body. */
    public record ApiCall(String method, String path, String query, JsonNode body) {
        public boolean writes() {
            return !method.equals("GET");
        }
    }

    private final List<ApiCall> calls = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> slos = new LinkedHashMap<>(); // guarded by this
    private final Map<Long, ObjectNode> monitors = new LinkedHashMap<>(); // guarded by this
    private final AtomicLong nextId = new AtomicLong(1000);

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
        server.createContext("/api/v1/slo", intake::handleObjects);
        server.createContext("/api/v1/monitor", intake::handleObjects);
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

    /** Every SLO and monitor API call, in arrival order. */
    public List<ApiCall> calls() {
        return List.copyOf(calls);
    }

    /** The SLOs held now, as Datadog would serve them. */
    public synchronized List<JsonNode> slos() {
        return slos.values().stream().map(n -> (JsonNode) n.deepCopy()).toList();
    }

    /** The monitors held now, as Datadog would serve them. */
    public synchronized List<JsonNode> monitors() {
        return monitors.values().stream().map(n -> (JsonNode) n.deepCopy()).toList();
    }

    /** Stores an SLO as if someone had made it by hand; returns its id. */
    public synchronized String putSlo(JsonNode request) {
        return createSlo((ObjectNode) request.deepCopy());
    }

    private void handleObjects(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            String query =
                    ex.getRequestURI().getRawQuery() == null
                            ? ""
                            : URLDecoder.decode(
                                    ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            byte[] raw = ex.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? null : json.readTree(raw);
            calls.add(new ApiCall(method, path, query, body));
            if (ex.getRequestHeaders().getFirst("DD-API-KEY") == null
                    || ex.getRequestHeaders().getFirst("DD-APPLICATION-KEY") == null) {
                respond(ex, 403, "{\"errors\":[\"Forbidden\"]}");
                return;
            }
            Map<String, String> params = params(query);
            String[] parts = path.split("/"); // "", api, v1, slo|monitor, [id]
            String id = parts.length > 4 ? parts[4] : null;
            synchronized (this) {
                if (parts[3].equals("slo")) {
                    slo(ex, method, id, params, body);
                } else {
                    monitor(ex, method, id, params, body);
                }
            }
        }
    }

    private void slo(
            HttpExchange ex, String method, String id, Map<String, String> params, JsonNode body)
            throws IOException {
        if (id == null && method.equals("GET")) {
            List<JsonNode> all = filter(slos.values(), params.get("tags_query"));
            int offset = Integer.parseInt(params.getOrDefault("offset", "0"));
            int limit = Integer.parseInt(params.getOrDefault("limit", "1000"));
            ObjectNode r = json.createObjectNode();
            ArrayNode data = r.putArray("data");
            all.stream().skip(offset).limit(limit).forEach(data::add);
            respond(ex, 200, json.writeValueAsString(r));
        } else if (id == null && method.equals("POST")) {
            String created = createSlo((ObjectNode) body.deepCopy());
            respond(ex, 200, json.writeValueAsString(dataList(slos.get(created))));
        } else if (id != null && !slos.containsKey(id)) {
            respond(ex, 404, "{\"errors\":[\"SLO not found\"]}");
        } else if (method.equals("GET")) {
            ObjectNode r = json.createObjectNode();
            r.set("data", slos.get(id));
            respond(ex, 200, json.writeValueAsString(r));
        } else if (method.equals("PUT")) {
            ObjectNode stored = slos.get(id);
            ObjectNode next = normalizeSlo((ObjectNode) body.deepCopy());
            next.put("id", id);
            next.set("created_at", stored.get("created_at"));
            next.set("creator", stored.get("creator"));
            next.put("modified_at", stored.get("modified_at").asLong() + 1);
            slos.put(id, next);
            respond(ex, 200, json.writeValueAsString(dataList(next)));
        } else if (method.equals("DELETE")) {
            boolean used =
                    monitors.values().stream()
                            .anyMatch(m -> m.path("query").asText().contains("\"" + id + "\""));
            if (used) {
                respond(ex, 409, "{\"errors\":[\"SLO " + id + " is referenced in a monitor\"]}");
                return;
            }
            slos.remove(id);
            respond(ex, 200, "{\"data\":[\"" + id + "\"]}");
        } else {
            respond(ex, 405, "{\"errors\":[\"method\"]}");
        }
    }

    private String createSlo(ObjectNode slo) {
        String id = String.format(Locale.ROOT, "%032x", nextId.incrementAndGet());
        normalizeSlo(slo);
        slo.put("id", id);
        slo.put("created_at", 1_764_000_000L);
        slo.put("modified_at", 1_764_000_000L);
        slo.putObject("creator").put("email", "someone@example.com").put("handle", "someone");
        slos.put(id, slo);
        return id;
    }

    private ObjectNode normalizeSlo(ObjectNode slo) {
        lowerTags(slo);
        for (JsonNode t : slo.path("thresholds")) {
            ((ObjectNode) t).put("target_display", t.get("target").asText());
        }
        JsonNode first = slo.path("thresholds").path(0);
        slo.set("timeframe", first.get("timeframe"));
        slo.set("target_threshold", first.get("target"));
        return slo;
    }

    private void monitor(
            HttpExchange ex, String method, String id, Map<String, String> params, JsonNode body)
            throws IOException {
        if (id == null && method.equals("GET")) {
            List<JsonNode> all = filter(monitors.values(), params.get("monitor_tags"));
            if (params.containsKey("page")) {
                int size = Integer.parseInt(params.getOrDefault("page_size", "100"));
                int page = Integer.parseInt(params.get("page"));
                all = all.stream().skip((long) page * size).limit(size).toList();
            }
            respond(ex, 200, json.writeValueAsString(all));
            return;
        }
        if (id == null && method.equals("POST")) {
            ObjectNode m = (ObjectNode) body.deepCopy();
            long newId = nextId.incrementAndGet();
            normalizeMonitor(m);
            m.put("id", newId);
            m.put("created", "2026-11-26T12:00:00.000000+00:00");
            m.put("modified", "2026-11-26T12:00:00.000000+00:00");
            m.put("overall_state", "No Data");
            m.putObject("creator").put("email", "someone@example.com").put("handle", "someone");
            monitors.put(newId, m);
            respond(ex, 200, json.writeValueAsString(m));
            return;
        }
        Long key = Long.valueOf(id);
        ObjectNode stored = monitors.get(key);
        if (stored == null) {
            respond(ex, 404, "{\"errors\":[\"Monitor not found\"]}");
        } else if (method.equals("GET")) {
            respond(ex, 200, json.writeValueAsString(stored));
        } else if (method.equals("PUT")) {
            ObjectNode update = (ObjectNode) body.deepCopy();
            normalizeMonitor(update);
            stored.setAll(update);
            stored.put("modified", "2026-11-26T12:01:00.000000+00:00");
            respond(ex, 200, json.writeValueAsString(stored));
        } else if (method.equals("DELETE")) {
            monitors.remove(key);
            respond(ex, 200, "{\"deleted_monitor_id\":" + key + "}");
        } else {
            respond(ex, 405, "{\"errors\":[\"method\"]}");
        }
    }

    private static void normalizeMonitor(ObjectNode m) {
        lowerTags(m);
        JsonNode options = m.get("options");
        if (options instanceof ObjectNode o) {
            if (!o.has("notify_audit")) {
                o.put("notify_audit", false);
            }
            if (!o.has("silenced")) {
                o.putObject("silenced");
            }
        }
    }

    private static void lowerTags(ObjectNode n) {
        JsonNode tags = n.get("tags");
        if (tags instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, a.get(i).asText().toLowerCase(Locale.ROOT));
            }
        }
    }

    /** Those of {@code items} tagged {@code tag} (all when null). */
    private static List<JsonNode> filter(Iterable<ObjectNode> items, String tag) {
        List<JsonNode> out = new ArrayList<>();
        for (ObjectNode n : items) {
            boolean match = tag == null;
            for (JsonNode t : n.path("tags")) {
                match |= !match && t.asText().equals(tag.toLowerCase(Locale.ROOT));
            }
            if (match) {
                out.add(n.deepCopy());
            }
        }
        return out;
    }

    private ObjectNode dataList(JsonNode item) {
        ObjectNode r = json.createObjectNode();
        r.putArray("data").add(item);
        return r;
    }

    private static Map<String, String> params(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : query.split("&")) {
            int eq = p.indexOf('=');
            if (eq > 0) {
                out.put(p.substring(0, eq), p.substring(eq + 1));
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
