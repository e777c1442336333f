package io.deliverymetrics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.DestinationTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The destination status over a global database seeded with rows built from constructed attempts:
 * an outage of one type across six workspaces, a failure of one workspace of another type, a
 * healthy type of five workspaces and a healthy type of two. Expected verdicts and figures are
 * computed here from the attempts, with the documented rules, not from the rows. The same attempts
 * are the workspaces' pair rows on their shards, with each destination's type, for the pair
 * responses' {@code destination_status} ("is it me or them?").
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DestinationStatusITCase {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Instant COMPLETE = Instant.parse("2026-11-26T12:00:00Z");
    private static final Instant HORIZON = COMPLETE.minus(Duration.ofHours(1));
    private static final Instant MINUTES_FROM = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant BASELINE_FROM = HORIZON.minus(Duration.ofHours(24));

    /** The global hour tier is compacted up to here; the hour after comes from minute rows. */
    private static final Instant HOURS_COMPACTED = MINUTES_FROM;

    private static final Instant OUTAGE_FROM = Instant.parse("2026-11-26T11:50:00Z");
    private static final Instant LONE_FAILURE_FROM = Instant.parse("2026-11-26T11:30:00Z");

    /** Default thresholds (StatusThresholds.DEFAULTS), as the server runs with. */
    private static final int WINDOW = 5;

    private static final long MIN_ATTEMPTS = 100;
    private static final long MIN_WORKSPACES = 3;

    /** Type → its workspaces. */
    private static final Map<String, List<String>> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("amplitude", workspaces("ws_amp_", 6));
        TYPES.put("braze", workspaces("ws_brz_", 6));
        TYPES.put("segment", workspaces("ws_seg_", 5));
        TYPES.put("tiny", workspaces("ws_tny_", 2));
    }

    /** One attempt and the destination type it went to. */
    private record Sent(String type, DeliveryAttempt attempt) {}

    private final EmbeddedMariaDb db;
    private final UniqueNames names;
    private final ObservedResponses observed;
    private final TestDeployment api;
    private final List<Sent> sent = world();
    private final String operator;

    DestinationStatusITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.db = db;
        this.names = names;
        this.observed = observed;
        this.api = TestDeployment.start(db, names, observed, Map.of());
        seed(api, sent);
        seedShards(api, sent);
        this.operator = api.operatorToken();
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldClassifyEveryTypeAsComputedFromTheAttempts() {
        HttpResult r = api.get("/v1/destinations", operator);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("complete_through").asText()).isEqualTo(COMPLETE.toString());
        assertThat(body.get("horizon").get("start").asText()).isEqualTo(HORIZON.toString());
        assertThat(body.get("horizon").get("end").asText()).isEqualTo(COMPLETE.toString());
        assertThat(body.get("baseline").get("start").asText()).isEqualTo(BASELINE_FROM.toString());
        assertThat(body.get("baseline").get("end").asText()).isEqualTo(HORIZON.toString());
        assertThat(body.get("window_minutes").asInt()).isEqualTo(WINDOW);
        Map<String, JsonNode> byType = byType(body);
        assertThat(byType.keySet()).containsExactly("amplitude", "braze", "segment", "tiny");
        for (String type : TYPES.keySet()) {
            JsonNode t = byType.get(type);
            Verdict v = expectedVerdict(type);
            Figures f = figures(type, COMPLETE.minus(MINUTE.multipliedBy(WINDOW)), COMPLETE);
            Figures base = figures(type, BASELINE_FROM, HORIZON);
            assertThat(t.get("status").asText()).as(type).isEqualTo(v.status());
            assertThat(t.get("since").asText()).as(type).isEqualTo(v.since().toString());
            assertThat(t.get("since_exact").asBoolean()).as(type).isEqualTo(v.exact());
            assertThat(t.get("attempts").asLong()).as(type).isEqualTo(f.attempts());
            assertThat(t.get("workspaces").asLong()).as(type).isEqualTo(f.workspaces());
            assertThat(t.get("affected_workspaces").asLong())
                    .as(type)
                    .isEqualTo(f.affectedWorkspaces());
            assertThat(t.get("success_rate").asDouble())
                    .as(type)
                    .isCloseTo(f.successRate(), within(1e-9));
            assertThat(t.get("baseline_success_rate").asDouble())
                    .as(type)
                    .isCloseTo(base.successRate(), within(1e-9));
            assertLatency(t.get("latency_p95_ms"), f.p95Ms(), type);
            assertLatency(t.get("baseline_latency_p95_ms"), base.p95Ms(), type);
            assertThat(t.get("reason").asText()).as(type).isNotBlank();
        }
        // What the constructed attempts are for, spelled out.
        assertThat(byType.get("amplitude").get("status").asText()).isEqualTo("outage");
        assertThat(byType.get("amplitude").get("since").asText()).isEqualTo("2026-11-26T11:52:00Z");
        assertThat(byType.get("amplitude").get("since_exact").asBoolean()).isTrue();
        assertThat(byType.get("amplitude").get("success_rate").asDouble()).isZero();
        assertThat(byType.get("amplitude").get("latency_p95_ms").isNull()).isTrue();
        assertThat(byType.get("braze").get("status").asText()).isEqualTo("operational");
        assertThat(byType.get("braze").get("affected_workspaces").asLong()).isEqualTo(1);
        assertThat(byType.get("braze").get("reason").asText()).contains("confined to 1 of 6");
        assertThat(byType.get("braze").get("since").asText()).isEqualTo(HORIZON.toString());
        assertThat(byType.get("braze").get("since_exact").asBoolean()).isFalse();
        assertThat(byType.get("segment").get("status").asText()).isEqualTo("operational");
        assertThat(byType.get("tiny").get("workspaces").asLong()).isEqualTo(2);
        assertThat(byType.get("amplitude").get("baseline_success_rate").asDouble()).isLessThan(1.0);
    }

    @Test
    void shouldShowThePublicOnlyAggregatesOfTypesWithEnoughWorkspaces() {
        HttpResult r = api.get("/v1/status", null);
        HttpResult operatorView = api.get("/v1/destinations", operator);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("min_workspaces").asInt()).isEqualTo(5);
        assertThat(body.get("complete_through").asText()).isEqualTo(COMPLETE.toString());
        Map<String, JsonNode> byType = byType(body);
        assertThat(byType.keySet()).containsExactly("amplitude", "braze", "segment");
        Map<String, JsonNode> operators = byType(operatorView.json());
        for (Map.Entry<String, JsonNode> e : byType.entrySet()) {
            JsonNode t = e.getValue();
            List<String> fields = new ArrayList<>();
            t.fieldNames().forEachRemaining(fields::add);
            assertThat(fields)
                    .containsExactly(
                            "destination_type",
                            "status",
                            "since",
                            "since_exact",
                            "attempts",
                            "success_rate",
                            "latency_p95_ms");
            for (String field : fields) {
                assertThat(t.get(field)).as(field).isEqualTo(operators.get(e.getKey()).get(field));
            }
        }
        List<String> top = new ArrayList<>();
        body.fieldNames().forEachRemaining(top::add);
        assertThat(top)
                .containsExactly(
                        "complete_through",
                        "horizon",
                        "window_minutes",
                        "min_workspaces",
                        "destinations");
        String raw = r.raw().body();
        assertThat(raw).doesNotContain("ws_").doesNotContain("tiny").doesNotContain("reason");
        for (List<String> workspaces : TYPES.values()) {
            for (String ws : workspaces) {
                assertThat(raw).doesNotContain(ws);
            }
        }
    }

    @Test
    void shouldAnswer401WithoutATokenAnd403ForAWorkspaceToken() {
        HttpResult none = api.get("/v1/destinations", null);
        HttpResult workspace = api.get("/v1/destinations", api.token("ws_amp_1"));
        HttpResult publicWithToken = api.get("/v1/status", api.token("ws_amp_1"));

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isPresent();
        assertThat(workspace.status()).isEqualTo(403);
        assertThat(workspace.contentType()).startsWith("application/problem+json");
        assertThat(publicWithToken.status()).isEqualTo(200);
    }

    @Test
    void shouldComputeOncePerCompleteThroughAndServeTheCacheWithoutQueries() throws Exception {
        try (TestDeployment moving =
                TestDeployment.start(db, names, observed, Map.of("status.cache-max-age", "2s"))) {
            seed(moving, sent);
            String token = moving.operatorToken();

            long q0 = queries(moving);
            HttpResult first = moving.get("/v1/destinations", token);
            long q1 = queries(moving);
            HttpResult again = moving.get("/v1/destinations", token);
            HttpResult open = moving.get("/v1/status", null);
            long q2 = queries(moving);
            Thread.sleep(2_100);
            HttpResult unchanged = moving.get("/v1/destinations", token);
            long q3 = queries(moving);
            moving.globalCompleteThrough(COMPLETE.plus(MINUTE));
            Thread.sleep(2_100);
            HttpResult moved = moving.get("/v1/destinations", token);
            long q4 = queries(moving);

            assertThat(List.of(first, again, open, unchanged, moved))
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
            // Computed: progress, compaction progress, hour rows and minute rows (two each).
            assertThat(q1 - q0).isEqualTo(6);
            // Within the cache's age: nothing is read, for either view.
            assertThat(q2).isEqualTo(q1);
            assertThat(again.raw().body()).isEqualTo(first.raw().body());
            // After it, the progress alone, which has not moved: the same answer.
            assertThat(q3 - q2).isEqualTo(1);
            assertThat(unchanged.raw().body()).isEqualTo(first.raw().body());
            // complete_through moved: computed again.
            assertThat(q4 - q3).isEqualTo(6);
            assertThat(moved.json().get("complete_through").asText())
                    .isEqualTo(COMPLETE.plus(MINUTE).toString());
        }
    }

    @Test
    void shouldServeATypesSeriesAtEveryTierThroughTheRealTimeUnion() {
        String path = "/v1/destinations/amplitude/delivery-metrics";
        String metrics = "&metrics=successes,retried,discarded,expired";
        // Hours: yesterday's from compacted hour rows, 10:00 and 11:00 from minute rows (the
        // stale 10:00 hour row is not compacted and must not count). Days: from hours and minutes.
        Map<Granularity, String> queries = new LinkedHashMap<>();
        queries.put(Granularity.HOUR, "?start=" + BASELINE_FROM + "&end=" + COMPLETE);
        queries.put(Granularity.MINUTE, "?start=" + MINUTES_FROM + "&end=" + COMPLETE);
        queries.put(Granularity.DAY, "?start=2026-11-25T00:00:00Z&end=" + COMPLETE);

        for (Map.Entry<Granularity, String> e : queries.entrySet()) {
            Granularity g = e.getKey();
            HttpResult r =
                    api.get(
                            path + e.getValue() + "&granularity=" + g.wireName() + metrics,
                            operator);

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode body = r.json();
            assertThat(body.get("destination_type").asText()).isEqualTo("amplitude");
            assertThat(body.get("query").get("granularity").asText()).isEqualTo(g.wireName());
            assertThat(body.get("complete_through").asText()).isEqualTo(COMPLETE.toString());
            JsonNode points = body.get("points");
            Instant first = Instant.parse(body.get("query").get("start").asText());
            Instant last = Instant.parse(body.get("query").get("end").asText());
            assertThat(points.size()).isEqualTo(Duration.between(first, last).dividedBy(g.size()));
            long attempts = 0;
            for (JsonNode p : points) {
                Instant start = Instant.parse(p.get("start").asText());
                Instant end = start.plus(g.size());
                List<DeliveryAttempt> in =
                        select(sent, start, end, s -> s.type().equals("amplitude")).stream()
                                .map(Sent::attempt)
                                .toList();
                String at = g.wireName() + " " + start;
                assertThat(p.get("partial").asBoolean()).as(at).isEqualTo(end.isAfter(COMPLETE));
                assertThat(p.get("successes").asLong())
                        .as(at)
                        .isEqualTo(count(in, Outcome.DELIVERED));
                assertThat(p.get("retried").asLong()).as(at).isEqualTo(count(in, Outcome.RETRYING));
                assertThat(p.get("discarded").asLong())
                        .as(at)
                        .isEqualTo(count(in, Outcome.DISCARDED));
                assertThat(p.get("expired").asLong()).as(at).isEqualTo(count(in, Outcome.EXPIRED));
                assertThat(p.get("workspaces").asLong())
                        .as(at)
                        .isEqualTo(in.stream().map(a -> a.pair().workspaceId()).distinct().count());
                assertThat(p.get("affected_workspaces").asLong())
                        .as(at)
                        .isEqualTo(
                                in.stream()
                                        .filter(a -> a.outcome().isFailure())
                                        .map(a -> a.pair().workspaceId())
                                        .distinct()
                                        .count());
                assertThat(p.get("pairs").asLong())
                        .as(at)
                        .isEqualTo(in.stream().map(DeliveryAttempt::pair).distinct().count());
                attempts += in.size();
            }
            assertThat(attempts).as("attempts compared at " + g.wireName()).isGreaterThan(1000);
            assertThat(r.raw().body()).doesNotContain("ws_");
        }
    }

    @Test
    void shouldRefuseATypesSeriesToWorkspacesAndExplainBadParameters() {
        String path = "/v1/destinations/amplitude/delivery-metrics";
        HttpResult none = api.get(path, null);
        HttpResult workspace = api.get(path, api.token("ws_amp_1"));
        HttpResult badType = api.get("/v1/destinations/Amplitude!/delivery-metrics", operator);
        HttpResult badMetric = api.get(path + "?metrics=successes,nope", operator);
        HttpResult groupBy = api.get(path + "?group_by=pair", operator);
        HttpResult beyondRetention =
                api.get(
                        path
                                + "?start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00Z"
                                + "&granularity=minute",
                        operator);
        HttpResult unseen = api.get("/v1/destinations/never-seen/delivery-metrics", operator);

        assertThat(none.status()).isEqualTo(401);
        assertThat(workspace.status()).isEqualTo(403);
        assertThat(workspace.raw().body()).doesNotContain("successes");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.raw().body()).contains("destination_type");
        assertThat(badMetric.status()).isEqualTo(400);
        assertThat(badMetric.raw().body()).contains("metrics").contains("nope");
        assertThat(groupBy.status()).isEqualTo(400);
        assertThat(groupBy.raw().body()).contains("group_by");
        assertThat(beyondRetention.status()).as(beyondRetention.toString()).isEqualTo(422);
        assertThat(List.of(badType, badMetric, groupBy, beyondRetention))
                .allSatisfy(
                        r -> assertThat(r.contentType()).startsWith("application/problem+json"));
        assertThat(unseen.status()).isEqualTo(200);
        assertThat(unseen.json().get("points"))
                .allSatisfy(p -> assertThat(p.get("successes").asLong()).isZero());
    }

    private static long count(List<DeliveryAttempt> attempts, Outcome o) {
        return attempts.stream().filter(a -> a.outcome() == o).count();
    }

    @Test
    void shouldShowThePairsTypeWithItsPublicStatusWhenEnoughWorkspacesSendToIt() {
        String ws = "ws_amp_1";
        String token = api.token(ws);
        HttpResult open = api.get("/v1/status", null);

        HttpResult series = api.get(pairPath(ws, "dst_amplitude", "delivery-metrics"), token);
        HttpResult samples = api.get(pairPath(ws, "dst_amplitude", "errors/samples"), token);

        assertThat(series.status()).as(series.toString()).isEqualTo(200);
        assertThat(samples.status()).as(samples.toString()).isEqualTo(200);
        JsonNode publicEntry = byType(open.json()).get("amplitude");
        for (HttpResult r : List.of(series, samples)) {
            JsonNode status = r.json().get("destination_status");
            assertThat(status).as(r.toString()).isEqualTo(publicEntry);
            assertThat(status.get("status").asText()).isEqualTo("outage");
            assertNoOtherWorkspace(r, ws);
        }
        // The pair's own answer is there as well: it failed too.
        assertThat(series.json().get("series")).hasSize(1);
        assertThat(samples.json().get("errors")).isNotEmpty();
    }

    @Test
    void shouldShowOnlyThePairsTypeWhenTooFewWorkspacesSendToIt() {
        String ws = "ws_tny_1";

        HttpResult r = api.get(pairPath(ws, "dst_tiny", "delivery-metrics"), api.token(ws));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode status = r.json().get("destination_status");
        List<String> fields = new ArrayList<>();
        status.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("destination_type");
        assertThat(status.get("destination_type").asText()).isEqualTo("tiny");
        assertThat(r.json().get("series")).hasSize(1);
        assertNoOtherWorkspace(r, ws);
    }

    @Test
    void shouldLeaveTheStatusOutForADestinationWithoutATypeAndOnTheWorkspaceEndpoint() {
        String ws = "ws_amp_1";
        String token = api.token(ws);

        HttpResult untyped = api.get(pairPath(ws, "dst_untyped", "delivery-metrics"), token);
        HttpResult workspace =
                api.get(
                        "/v1/workspaces/"
                                + ws
                                + "/delivery-metrics?destination=dst_amplitude&"
                                + RANGE,
                        token);

        assertThat(untyped.status()).as(untyped.toString()).isEqualTo(200);
        assertThat(untyped.json().get("series")).hasSize(1);
        assertThat(untyped.json().has("destination_status")).isFalse();
        assertThat(workspace.status()).as(workspace.toString()).isEqualTo(200);
        assertThat(workspace.json().has("destination_status")).isFalse();
    }

    @Test
    void shouldRefuseAnotherWorkspacesTokenOnThePairEndpoints() {
        String other = api.token("ws_amp_2");

        HttpResult series =
                api.get(pairPath("ws_amp_1", "dst_amplitude", "delivery-metrics"), other);
        HttpResult samples =
                api.get(pairPath("ws_amp_1", "dst_amplitude", "errors/samples"), other);

        assertThat(series.status()).isEqualTo(403);
        assertThat(samples.status()).isEqualTo(403);
        assertThat(series.json().has("destination_status")).isFalse();
    }

    @Test
    void shouldAnswerThePairWithoutTheStatusWhenTheGlobalDatabaseCannotBeRead() {
        try (TestDeployment broken = TestDeployment.start(db, names, observed, Map.of())) {
            seedShards(broken, sent);
            broken.inGlobalTransaction(
                    c -> {
                        try (java.sql.Statement st = c.createStatement()) {
                            st.execute("DROP TABLE pipeline_progress");
                        }
                    });
            String ws = "ws_amp_1";

            HttpResult r =
                    broken.get(pairPath(ws, "dst_amplitude", "delivery-metrics"), broken.token(ws));
            HttpResult open = broken.get("/v1/status", null);

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("series")).hasSize(1);
            assertThat(r.json().has("destination_status")).isFalse();
            assertThat(open.status()).as("the status itself fails").isGreaterThanOrEqualTo(500);
        }
    }

    private static final String RANGE =
            "start=" + MINUTES_FROM + "&end=" + COMPLETE + "&granularity=minute";

    private static String pairPath(String ws, String destination, String tail) {
        return "/v1/workspaces/"
                + ws
                + "/sources/src_web/destinations/"
                + destination
                + "/"
                + tail
                + "?"
                + RANGE;
    }

    /** Not one workspace id but the asker's own, nor a count or reason, in the whole body. */
    private static void assertNoOtherWorkspace(HttpResult r, String own) {
        String raw = r.raw().body();
        for (List<String> workspaces : TYPES.values()) {
            for (String ws : workspaces) {
                if (!ws.equals(own)) {
                    assertThat(raw).as(r.toString()).doesNotContain(ws);
                }
            }
        }
        assertThat(raw)
                .doesNotContain("ws_stale")
                .doesNotContain("workspaces")
                .doesNotContain("reason");
    }

    private static long queries(TestDeployment d) {
        return Math.round(
                d.adminSamples().getOrDefault("delivery_metrics_api_global_queries_total", 0.0));
    }

    private static void assertLatency(JsonNode actual, double expected, String type) {
        if (Double.isNaN(expected)) {
            assertThat(actual.isNull()).as(type).isTrue();
        } else {
            // DDSketch: 1 % relative accuracy.
            assertThat(actual.asDouble()).as(type).isCloseTo(expected, within(expected * 0.011));
        }
    }

    private static Map<String, JsonNode> byType(JsonNode body) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode t : body.get("destinations")) {
            out.put(t.get("destination_type").asText(), t);
        }
        return out;
    }

    // --- the constructed attempts -----------------------------------------------------------

    private static List<String> workspaces(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    /**
     * Yesterday's hours (baseline, 2 % retried, about 3 % expired) and the last two hours minute by
     * minute: healthy, except amplitude failing everywhere from 11:50 and braze's first workspace
     * from 11:30.
     */
    private static List<Sent> world() {
        List<Sent> out = new ArrayList<>();
        Map<String, Integer> counters = new HashMap<>();
        for (Map.Entry<String, List<String>> e : TYPES.entrySet()) {
            String type = e.getKey();
            for (int w = 0; w < e.getValue().size(); w++) {
                String ws = e.getValue().get(w);
                for (Instant h = BASELINE_FROM; h.isBefore(MINUTES_FROM); h = h.plusSeconds(3600)) {
                    for (int i = 0; i < 12; i++) {
                        int n = counters.merge(type + ws, 1, Integer::sum);
                        Outcome o =
                                n % 50 == 0
                                        ? Outcome.RETRYING
                                        : n % 35 == 0 ? Outcome.EXPIRED : Outcome.DELIVERED;
                        out.add(attempt(type, ws, h.plusSeconds(i * 300L + 7), n, o));
                    }
                }
                int perMinute = type.equals("tiny") ? 12 : 5;
                for (Instant m = MINUTES_FROM; m.isBefore(COMPLETE); m = m.plus(MINUTE)) {
                    boolean failing =
                            (type.equals("amplitude") && !m.isBefore(OUTAGE_FROM))
                                    || (type.equals("braze")
                                            && w == 0
                                            && !m.isBefore(LONE_FAILURE_FROM));
                    for (int i = 0; i < perMinute; i++) {
                        int n = counters.merge(type + ws, 1, Integer::sum);
                        Outcome o = failing ? Outcome.DISCARDED : Outcome.DELIVERED;
                        out.add(attempt(type, ws, m.plusSeconds(i * 4L + 1), n, o));
                    }
                }
            }
        }
        return out;
    }

    private static Sent attempt(String type, String ws, Instant at, int n, Outcome o) {
        return new Sent(
                type,
                AttemptBuilder.anAttempt()
                        .pair(ws, "src_web", "dst_" + type)
                        .at(at)
                        .latencyMs(n % 10 == 0 ? 300 : 100)
                        .errorCode(o == Outcome.DELIVERED ? null : "http_500")
                        .outcome(o));
    }

    /**
     * Writes the global rows as the job and compaction would: hour rows of yesterday (compacted
     * through 10:00), minute rows of the last two hours, and a stale hour row for 10:00, which is
     * not compacted yet and must be ignored in favour of its minute rows.
     */
    private static void seed(TestDeployment d, List<Sent> sent) {
        List<Sent> hours = select(sent, BASELINE_FROM, MINUTES_FROM, s -> true);
        List<Sent> minutes = select(sent, MINUTES_FROM, COMPLETE, s -> true);
        d.writeGlobal(Granularity.HOUR, rows(Granularity.HOUR, hours));
        d.writeGlobal(Granularity.MINUTE, rows(Granularity.MINUTE, minutes));
        List<Sent> stale = new ArrayList<>();
        for (String type : TYPES.keySet()) {
            for (int i = 0; i < 500; i++) {
                stale.add(
                        attempt(
                                type,
                                "ws_stale",
                                MINUTES_FROM.plusSeconds(i),
                                i,
                                Outcome.DISCARDED));
            }
        }
        d.writeGlobal(Granularity.HOUR, rows(Granularity.HOUR, stale));
        d.globalCompactedThrough(Granularity.HOUR, HOURS_COMPACTED);
        d.globalCompleteThrough(COMPLETE);
    }

    /**
     * The workspaces' pair minute rows of the last two hours, each destination's type as the job
     * stores it, and a destination of ws_amp_1 whose records never named a type.
     */
    private static void seedShards(TestDeployment d, List<Sent> sent) {
        List<DeliveryAttempt> attempts = new ArrayList<>();
        select(sent, MINUTES_FROM, COMPLETE, s -> true).forEach(s -> attempts.add(s.attempt()));
        for (int i = 0; i < 20; i++) {
            attempts.add(
                    AttemptBuilder.anAttempt()
                            .pair("ws_amp_1", "src_web", "dst_untyped")
                            .at(MINUTES_FROM.plusSeconds(i * 30L + 1))
                            .delivered());
        }
        d.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        List<DestinationTypes.Seen> types = new ArrayList<>();
        TYPES.forEach(
                (type, workspaces) ->
                        workspaces.forEach(
                                ws ->
                                        types.add(
                                                new DestinationTypes.Seen(
                                                        ws,
                                                        "dst_" + type,
                                                        type,
                                                        COMPLETE.minus(MINUTE)))));
        d.writeDestinationTypes(types);
    }

    /**
     * One row per (type, bucket), each built with MetricBucket.add and DistinctContributors.add.
     */
    private static List<TypeBucket> rows(Granularity g, List<Sent> sent) {
        Map<String, TreeMap<Instant, TypeBucket>> byType = new TreeMap<>();
        for (Sent s : sent) {
            TypeBucket row =
                    byType.computeIfAbsent(s.type(), k -> new TreeMap<>())
                            .computeIfAbsent(
                                    g.floor(s.attempt().completedAt()),
                                    t ->
                                            new TypeBucket(
                                                    s.type(),
                                                    t,
                                                    new MetricBucket(),
                                                    new DistinctContributors()));
            row.bucket().add(s.attempt());
            row.contributors().add(s.attempt().pair(), s.attempt().outcome().isFailure());
        }
        List<TypeBucket> out = new ArrayList<>();
        byType.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    private static List<Sent> select(
            List<Sent> sent, Instant from, Instant to, Predicate<Sent> filter) {
        return sent.stream()
                .filter(
                        s ->
                                !s.attempt().completedAt().isBefore(from)
                                        && s.attempt().completedAt().isBefore(to)
                                        && filter.test(s))
                .toList();
    }

    // --- the expectations, from the attempts ----------------------------------------------------

    /**
     * What a type's attempts in [from, to) add up to: the success rate is delivered ÷ (delivered +
     * discarded + expired), the error rate the classifier judges is failed ÷ attempts.
     */
    private record Figures(
            long attempts,
            long failed,
            double successRate,
            double p95Ms,
            long workspaces,
            long affectedWorkspaces) {}

    private Figures figures(String type, Instant from, Instant to) {
        long attempts = 0;
        long failed = 0;
        long delivered = 0;
        long lost = 0;
        List<Long> latencies = new ArrayList<>();
        Set<String> workspaces = new HashSet<>();
        Set<String> affected = new HashSet<>();
        for (Sent s : select(sent, from, to, s -> s.type().equals(type))) {
            DeliveryAttempt a = s.attempt();
            workspaces.add(a.pair().workspaceId());
            if (a.outcome() == Outcome.FILTERED) {
                continue;
            }
            attempts++;
            if (a.outcome() == Outcome.DELIVERED) {
                delivered++;
                latencies.add(a.latencyMillis());
            } else {
                failed++;
                affected.add(a.pair().workspaceId());
                if (a.outcome() != Outcome.RETRYING) {
                    lost++;
                }
            }
        }
        latencies.sort(Long::compare);
        double p95 =
                latencies.isEmpty()
                        ? Double.NaN
                        : latencies.get((int) Math.ceil(0.95 * latencies.size()) - 1);
        return new Figures(
                attempts,
                failed,
                delivered + lost == 0 ? Double.NaN : (double) delivered / (delivered + lost),
                p95,
                workspaces.size(),
                affected.size());
    }

    private record Verdict(String status, Instant since, boolean exact) {}

    /**
     * The documented rules, minute by minute from the minute before the horizon (failure rules
     * only: the constructed latencies never double), and the start of the last run.
     */
    private Verdict expectedVerdict(String type) {
        Figures base = figures(type, BASELINE_FROM, HORIZON);
        double baseError = base.attempts() == 0 ? 0 : (double) base.failed() / base.attempts();
        List<String> statuses = new ArrayList<>();
        List<Instant> minutes = new ArrayList<>();
        for (Instant m = HORIZON.minus(MINUTE); m.isBefore(COMPLETE); m = m.plus(MINUTE)) {
            Figures f = figures(type, m.minus(MINUTE.multipliedBy(WINDOW - 1)), m.plus(MINUTE));
            String status = "operational";
            if (f.attempts() >= MIN_ATTEMPTS) {
                double error = (double) f.failed() / f.attempts();
                double loss = Math.max(0, (error - baseError) / (1 - baseError));
                long affected = f.affectedWorkspaces();
                if (loss >= 0.5 && affected >= MIN_WORKSPACES && affected >= 0.5 * f.workspaces()) {
                    status = "outage";
                } else if (loss >= 0.1
                        && affected >= MIN_WORKSPACES
                        && affected >= 0.2 * f.workspaces()) {
                    status = "degraded";
                }
            }
            statuses.add(status);
            minutes.add(m);
        }
        String last = statuses.get(statuses.size() - 1);
        int i = statuses.size() - 1;
        while (i > 0 && statuses.get(i - 1).equals(last)) {
            i--;
        }
        return i == 0 ? new Verdict(last, HORIZON, false) : new Verdict(last, minutes.get(i), true);
    }
}
