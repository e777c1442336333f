package io.deliverymetrics.api;

import static io.deliverymetrics.api.support.DestinationWorld.BASELINE_FROM;
import static io.deliverymetrics.api.support.DestinationWorld.COMPLETE;
import static io.deliverymetrics.api.support.DestinationWorld.HORIZON;
import static io.deliverymetrics.api.support.DestinationWorld.MINUTE;
import static io.deliverymetrics.api.support.DestinationWorld.MINUTES_FROM;
import static io.deliverymetrics.api.support.DestinationWorld.TYPES;
import static io.deliverymetrics.api.support.DestinationWorld.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.support.DestinationWorld;
import io.deliverymetrics.api.support.DestinationWorld.Figures;
import io.deliverymetrics.api.support.DestinationWorld.Verdict;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The destination status over a global database seeded with rows built from the constructed
 * attempts of {@link DestinationWorld}: an outage of one type across six workspaces, a failure of
 * one workspace of another type, a healthy type of five workspaces and a healthy type of two.
 * Expected verdicts and figures are computed from the attempts, with the documented rules, not from
 * the rows. The same attempts are the workspaces' pair rows on their shards, with each
 * destination's type, for the pair responses' {@code destination_status} ("is it me or them?").
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DestinationStatusITCase {

    private final EmbeddedMariaDb db;
    private final UniqueNames names;
    private final ObservedResponses observed;
    private final TestDeployment api;
    private final DestinationWorld world = new DestinationWorld();
    private final String operator;

    DestinationStatusITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.db = db;
        this.names = names;
        this.observed = observed;
        this.api = TestDeployment.start(db, names, observed, Map.of());
        world.seed(api);
        world.seedShards(api);
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
            Verdict v = world.expectedVerdict(type);
            Figures f = world.window(type);
            Figures base = world.figures(type, BASELINE_FROM, HORIZON);
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
    void shouldComputeOncePerCompleteThroughAndServeTheCacheWithoutQueries() {
        try (TestDeployment moving =
                TestDeployment.start(db, names, observed, Map.of("status.cache-max-age", "5m"))) {
            world.seed(moving);
            String token = moving.operatorToken();

            long q0 = queries(moving);
            HttpResult first = moving.get("/v1/destinations", token);
            long q1 = queries(moving);
            HttpResult again = moving.get("/v1/destinations", token);
            HttpResult open = moving.get("/v1/status", null);
            long q2 = queries(moving);
            moving.advanceMonotonicClock(Duration.ofMinutes(6));
            HttpResult unchanged = moving.get("/v1/destinations", token);
            long q3 = queries(moving);
            moving.globalCompleteThrough(COMPLETE.plus(MINUTE));
            moving.advanceMonotonicClock(Duration.ofMinutes(6));
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
                List<DeliveryAttempt> in = world.attempts("amplitude", start, end);
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
            world.seedShards(broken);
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
}
