package io.deliverymetrics.datadog.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.datadog.config.ForwarderConfig.Workspace;
import io.deliverymetrics.datadog.forward.MetricsSource;
import io.deliverymetrics.datadog.forward.SourceException;
import io.deliverymetrics.datadog.goals.DeliveryGoal;
import io.deliverymetrics.datadog.model.DeliveryMetric;
import io.deliverymetrics.datadog.model.DestinationReport;
import io.deliverymetrics.datadog.model.DestinationTypeStatus;
import io.deliverymetrics.datadog.model.MetricsPage;
import io.deliverymetrics.datadog.model.PairMinute;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads {@code GET /v1/workspaces/{ws}/delivery-metrics?granularity=minute&group_by=pair} of the
 * Delivery Metrics REST API with the workspace's bearer token, one page per call; the destination
 * status ({@code GET /v1/destinations}) with an operator token; and the workspace's declared goals
 * ({@code GET /v1/workspaces/{ws}/goals}) for the {@code goals} command.
 */
public final class HttpMetricsSource implements MetricsSource {

    /** The operators' destination status. */
    public static final String DESTINATIONS_PATH = "/v1/destinations";

    private final URI baseUrl;
    private final Duration timeout;
    private final int pageSize;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();

    public HttpMetricsSource(URI baseUrl, Duration timeout, int pageSize) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.pageSize = pageSize;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    @Override
    public MetricsPage fetch(
            Workspace workspace, Instant start, Instant end, Optional<String> cursor)
            throws SourceException, InterruptedException {
        URI uri = uri(workspace.id(), start, end, cursor);
        String body = get(workspace.token(), uri);
        try {
            return parse(mapper.readTree(body));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SourceException(
                    200, Optional.empty(), "unreadable answer from " + uri.getPath() + ": " + e, e);
        }
    }

    /**
     * Every goal the workspace declares ({@code GET /v1/workspaces/{ws}/goals}, one answer).
     *
     * @throws SourceException when the API answers with an error, not at all, or unreadably
     */
    public List<DeliveryGoal> goals(Workspace workspace)
            throws SourceException, InterruptedException {
        URI uri = URI.create(baseUrl + "/v1/workspaces/" + encode(workspace.id()) + "/goals");
        String body = get(workspace.token(), uri);
        try {
            return parseGoals(workspace.id(), mapper.readTree(body));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SourceException(
                    200, Optional.empty(), "unreadable answer from " + uri.getPath() + ": " + e, e);
        }
    }

    @Override
    public DestinationReport destinations(String operatorToken)
            throws SourceException, InterruptedException {
        URI uri = URI.create(baseUrl + DESTINATIONS_PATH);
        String body = get(operatorToken, uri);
        try {
            return parseDestinations(mapper.readTree(body));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SourceException(
                    200, Optional.empty(), "unreadable answer from " + uri.getPath() + ": " + e, e);
        }
    }

    /** The body of a 200 answer to a GET with {@code token}. */
    private String get(String token, URI uri) throws SourceException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/json")
                        .GET()
                        .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SourceException(
                    0, Optional.empty(), "no answer from " + baseUrl + ": " + e, e);
        }
        if (response.statusCode() != 200) {
            Optional<Duration> retryAfter =
                    response.headers()
                            .firstValue("Retry-After")
                            .flatMap(HttpMetricsSource::seconds);
            throw new SourceException(
                    response.statusCode(), retryAfter, problem(response.body()), null);
        }
        return response.body();
    }

    /** The {@code goals} of a {@code GoalList} answer. */
    static List<DeliveryGoal> parseGoals(String workspace, JsonNode root) {
        JsonNode goals = array(root, "goals");
        List<DeliveryGoal> out = new ArrayList<>();
        for (JsonNode g : goals) {
            String kind = text(g, "kind");
            JsonNode target = g.get("target");
            if (target == null || !target.isNumber()) {
                throw new IllegalArgumentException("missing target");
            }
            out.add(
                    new DeliveryGoal(
                            workspace,
                            text(g, "goal_id"),
                            DeliveryGoal.Kind.fromWireName(kind)
                                    .orElseThrow(
                                            () ->
                                                    new IllegalArgumentException(
                                                            "unknown goal kind " + kind)),
                            target.doubleValue(),
                            optionalText(g.get("window"))
                                    .map(HttpMetricsSource::window)
                                    .orElse(null),
                            optionalText(g.get("source_id")).orElse(null),
                            optionalText(g.get("destination_id")).orElse(null),
                            optionalText(g.get("description")).orElse("")));
        }
        return out;
    }

    /** A goal window as the API writes it: {@code 28d}, {@code 36h} or {@code 90m}. */
    static Duration window(String v) {
        if (v.length() < 2) {
            throw new IllegalArgumentException("bad window " + v);
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
            case 'd' -> Duration.ofDays(n);
            case 'h' -> Duration.ofHours(n);
            case 'm' -> Duration.ofMinutes(n);
            default -> throw new IllegalArgumentException("bad window " + v);
        };
    }

    URI uri(String workspace, Instant start, Instant end, Optional<String> cursor) {
        StringBuilder q = new StringBuilder(baseUrl.toString());
        q.append("/v1/workspaces/")
                .append(encode(workspace))
                .append("/delivery-metrics?granularity=minute&group_by=pair")
                .append("&start=")
                .append(encode(start.toString()))
                .append("&end=")
                .append(encode(end.toString()))
                .append("&metrics=")
                .append(encode(DeliveryMetric.apiParameter()))
                .append("&limit=")
                .append(pageSize);
        cursor.ifPresent(c -> q.append("&cursor=").append(encode(c)));
        return URI.create(q.toString());
    }

    /** The {@code series} answer of one page: one {@link PairMinute} per point. */
    static MetricsPage parse(JsonNode root) {
        JsonNode series = array(root, "series");
        List<PairMinute> minutes = new ArrayList<>();
        for (JsonNode s : series) {
            String source = text(s, "source_id");
            String destination = text(s, "destination_id");
            for (JsonNode p : s.get("points")) {
                Map<DeliveryMetric, Double> values = new EnumMap<>(DeliveryMetric.class);
                for (DeliveryMetric m : DeliveryMetric.of(DeliveryMetric.Scope.PAIR)) {
                    JsonNode v = p.get(m.apiName());
                    if (v != null && v.isNumber()) {
                        values.put(m, v.doubleValue());
                    }
                }
                minutes.add(
                        new PairMinute(
                                source,
                                destination,
                                Instant.parse(text(p, "start")),
                                p.path("partial").asBoolean(true),
                                values));
            }
        }
        return new MetricsPage(
                instant(root.get("complete_through")),
                minutes,
                optionalText(root.get("next_cursor")));
    }

    /** The {@code destinations} of a {@code GET /v1/destinations} answer. */
    static DestinationReport parseDestinations(JsonNode root) {
        JsonNode destinations = array(root, "destinations");
        List<DestinationTypeStatus> types = new ArrayList<>();
        for (JsonNode t : destinations) {
            types.add(
                    new DestinationTypeStatus(
                            text(t, "destination_type"),
                            DestinationTypeStatus.Status.fromWireName(text(t, "status")),
                            count(t, "attempts"),
                            optionalNumber(t.get("success_rate")),
                            optionalNumber(t.get("latency_p95_ms")),
                            count(t, "workspaces"),
                            count(t, "affected_workspaces")));
        }
        return new DestinationReport(instant(root.get("complete_through")), types);
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException("no " + field + " array");
        }
        return v;
    }

    private static long count(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return v.asLong();
    }

    private static OptionalDouble optionalNumber(JsonNode v) {
        return v == null || !v.isNumber()
                ? OptionalDouble.empty()
                : OptionalDouble.of(v.asDouble());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return v.asText();
    }

    private static Optional<String> optionalText(JsonNode v) {
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static Optional<Instant> instant(JsonNode v) {
        try {
            return optionalText(v).map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad complete_through " + v, e);
        }
    }

    /** The problem+json {@code detail} (or {@code title}), else the start of the body. */
    private String problem(String body) {
        try {
            JsonNode p = mapper.readTree(body);
            if (p != null && p.hasNonNull("detail")) {
                return p.get("detail").asText();
            }
            if (p != null && p.hasNonNull("title")) {
                return p.get("title").asText();
            }
        } catch (JsonProcessingException e) {
            // not JSON: fall through to the raw text
        }
        String text = body == null ? "" : body.strip();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static Optional<Duration> seconds(String v) {
        try {
            long s = Long.parseLong(v.trim());
            return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String encode(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
