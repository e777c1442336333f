package io.deliverymetrics.datadog.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Delivery Metrics REST API (an external service to the forwarder) on a real
 * HTTP port: the minute, per-pair time series endpoint with bearer tokens, {@code
 * complete_through}, partial buckets, zero-filled gaps and cursor paging, as the OpenAPI document
 * describes it; and the operators' destination status {@code GET /v1/destinations}, which answers
 * 403 to a workspace token.
 */
public final class FakeDeliveryMetricsApi implements AutoCloseable {

    /** A request the fake answered. */
    public record Request(
            String workspace, Instant start, Instant end, Optional<String> cursor, int limit) {}

    private static final Pattern PATH =
            Pattern.compile("/v1/workspaces/([A-Za-z0-9_.:-]{1,64})/delivery-metrics");
    private static final List<String> COUNTS =
            List.of("successes", "retried", "discarded", "expired", "filtered");

    private record Pair(String source, String destination) implements Comparable<Pair> {
        @Override
        public int compareTo(Pair o) {
            int c = source.compareTo(o.source);
            return c != 0 ? c : destination.compareTo(o.destination);
        }
    }

    private record Failure(int status, Integer retryAfterSeconds) {}

    /** One destination type of {@code GET /v1/destinations}; null rates and latencies as null. */
    public record TypeStatus(
            String type,
            String status,
            long attempts,
            Double successRate,
            Double latencyP95Ms,
            long workspaces,
            long affectedWorkspaces) {}

    private static final class Workspace {
        final String token;
        volatile Instant completeThrough;
        final TreeMap<Pair, TreeMap<Instant, Map<String, Number>>> data = new TreeMap<>();

        Workspace(String token) {
            this.token = token;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Workspace> workspaces = new HashMap<>();
    private final Map<String, Deque<Failure>> failures = new HashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> destinationRequests = new CopyOnWriteArrayList<>();
    private String operatorToken;
    private Instant destinationsCompleteThrough;
    private List<TypeStatus> destinationTypes = List.of();
    private final HttpServer server;

    private FakeDeliveryMetricsApi(HttpServer server) {
        this.server = server;
    }

    public static FakeDeliveryMetricsApi start() throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeDeliveryMetricsApi api = new FakeDeliveryMetricsApi(server);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public synchronized void workspace(String id, String token) {
        workspaces.put(id, new Workspace(token));
    }

    /** Minutes before {@code t} are final. */
    public synchronized void completeThrough(String ws, Instant t) {
        workspaces.get(ws).completeThrough = t;
    }

    /**
     * Sets the values of one bucket, e.g. {@code Map.of("successes", 118, "latency_p95", 812.4)};
     * counts not given are 0, latencies not given are null.
     */
    public synchronized void bucket(
            String ws,
            String source,
            String destination,
            Instant minute,
            Map<String, Number> values) {
        workspaces
                .get(ws)
                .data
                .computeIfAbsent(new Pair(source, destination), k -> new TreeMap<>())
                .put(minute, Map.copyOf(values));
    }

    /** The next {@code times} requests for {@code ws} answer {@code status}. */
    public synchronized void failNext(String ws, int status, Integer retryAfterSeconds, int times) {
        Deque<Failure> q = failures.computeIfAbsent(ws, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            q.add(new Failure(status, retryAfterSeconds));
        }
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The token that reads {@code GET /v1/destinations}. */
    public synchronized void operatorToken(String token) {
        operatorToken = token;
    }

    /** What {@code GET /v1/destinations} answers from now on. */
    public synchronized void destinations(Instant completeThrough, List<TypeStatus> types) {
        destinationsCompleteThrough = completeThrough;
        destinationTypes = List.copyOf(types);
    }

    /** The bearer tokens of the {@code GET /v1/destinations} requests, answered or refused. */
    public List<String> destinationRequests() {
        return List.copyOf(destinationRequests);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if ("/v1/destinations".equals(ex.getRequestURI().getPath())) {
                destinations(ex);
                return;
            }
            Matcher m = PATH.matcher(ex.getRequestURI().getPath());
            if (!"GET".equals(ex.getRequestMethod()) || !m.matches()) {
                problem(ex, 404, "no such route", null);
                return;
            }
            String wsId = m.group(1);
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String body;
            synchronized (this) {
                Workspace ws = workspaces.get(wsId);
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth == null || !auth.startsWith("Bearer ")) {
                    problem(ex, 401, "missing bearer token", null);
                    return;
                }
                if (ws == null || !ws.token.equals(auth.substring(7))) {
                    problem(ex, 403, "token does not read " + wsId, null);
                    return;
                }
                Deque<Failure> f = failures.get(wsId);
                if (f != null && !f.isEmpty()) {
                    Failure failure = f.poll();
                    problem(ex, failure.status(), "scripted failure", failure.retryAfterSeconds());
                    return;
                }
                if (!"minute".equals(q.get("granularity")) || !"pair".equals(q.get("group_by"))) {
                    problem(ex, 400, "the fake serves granularity=minute&group_by=pair only", null);
                    return;
                }
                Instant start = Instant.parse(q.get("start"));
                Instant end = Instant.parse(q.get("end"));
                int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
                Optional<String> cursor = Optional.ofNullable(q.get("cursor"));
                requests.add(new Request(wsId, start, end, cursor, limit));
                body =
                        render(
                                wsId,
                                ws,
                                start,
                                end,
                                List.of(q.get("metrics").split(",")),
                                limit,
                                cursor);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    private void destinations(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            problem(ex, 401, "missing bearer token", null);
            return;
        }
        String token = auth.substring(7);
        destinationRequests.add(token);
        byte[] bytes;
        synchronized (this) {
            if (!token.equals(operatorToken)) {
                boolean known = workspaces.values().stream().anyMatch(w -> w.token.equals(token));
                problem(
                        ex,
                        known ? 403 : 401,
                        known ? "this endpoint needs an operator token" : "unknown token",
                        null);
                return;
            }
            ObjectNode root = json.createObjectNode();
            if (destinationsCompleteThrough == null) {
                root.putNull("complete_through");
            } else {
                root.put("complete_through", destinationsCompleteThrough.toString());
            }
            root.put("window_minutes", 5);
            ArrayNode types = root.putArray("destinations");
            for (TypeStatus t : destinationTypes) {
                ObjectNode o = types.addObject();
                o.put("destination_type", t.type());
                o.put("status", t.status());
                o.put("attempts", t.attempts());
                o.put("success_rate", t.successRate());
                o.put("latency_p95_ms", t.latencyP95Ms());
                o.put("workspaces", t.workspaces());
                o.put("affected_workspaces", t.affectedWorkspaces());
                o.put("reason", "scripted");
            }
            bytes = json.writeValueAsBytes(root);
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private String render(
            String wsId,
            Workspace ws,
            Instant start,
            Instant end,
            List<String> metrics,
            int limit,
            Optional<String> cursor)
            throws IOException {
        List<Pair> pairs = new ArrayList<>();
        ws.data.forEach(
                (pair, minutes) -> {
                    if (!minutes.subMap(start, end).isEmpty()) {
                        pairs.add(pair);
                    }
                });
        int offset = cursor.map(Integer::parseInt).orElse(0);
        ObjectNode root = json.createObjectNode();
        root.put("workspace_id", wsId);
        if (ws.completeThrough == null) {
            root.putNull("complete_through");
        } else {
            root.put("complete_through", ws.completeThrough.toString());
        }
        ArrayNode series = root.putArray("series");
        for (Pair pair :
                pairs.subList(
                        Math.min(offset, pairs.size()), Math.min(offset + limit, pairs.size()))) {
            ObjectNode s = series.addObject();
            s.put("source_id", pair.source());
            s.put("destination_id", pair.destination());
            ArrayNode points = s.putArray("points");
            for (Instant t = start; t.isBefore(end); t = t.plusSeconds(60)) {
                Map<String, Number> v = ws.data.get(pair).getOrDefault(t, Map.of());
                ObjectNode p = points.addObject();
                p.put("start", t.toString());
                p.put(
                        "partial",
                        ws.completeThrough == null
                                || t.plusSeconds(60).isAfter(ws.completeThrough));
                for (String metric : metrics) {
                    Number n = v.get(metric);
                    if (COUNTS.contains(metric)) {
                        p.put(metric, n == null ? 0 : n.longValue());
                    } else if (n == null) {
                        p.putNull(metric);
                    } else {
                        p.put(metric, n.doubleValue());
                    }
                }
            }
        }
        if (offset + limit < pairs.size()) {
            root.put("next_cursor", String.valueOf(offset + limit));
        } else {
            root.putNull("next_cursor");
        }
        return json.writeValueAsString(root);
    }

    private void problem(HttpExchange ex, int status, String detail, Integer retryAfter)
            throws IOException {
        ObjectNode p = json.createObjectNode();
        p.put("type", "about:blank");
        p.put("title", "error");
        p.put("status", status);
        p.put("detail", detail);
        byte[] bytes = json.writeValueAsBytes(p);
        ex.getResponseHeaders().set("Content-Type", "application/problem+json");
        if (retryAfter != null) {
            ex.getResponseHeaders().set("Retry-After", String.valueOf(retryAfter));
        }
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k =
                    URLDecoder.decode(
                            eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v =
                    eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            if (out.put(k, v) != null) {
                throw new IllegalArgumentException("repeated parameter " + k);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
