package io.deliverymetrics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.http.GoalRoutes;
import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.TotalsRows;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Delivery goals against real shards and a real control database: managed through the API with the
 * workspace's token, validated, and evaluated from the tiers exactly as computed here from the
 * attempts, with an injected incident on one pair.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoalsITCase {

    /** The evaluation's windows end at the start of the test clock's minute. */
    private static final Instant END = TestDeployment.NOW.truncatedTo(ChronoUnit.MINUTES);

    private final TestDeployment api;

    GoalsITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api = TestDeployment.start(db, names, observed, Map.of());
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldCreateReadReplaceListAndDeleteAGoal() {
        String ws = api.workspaceOnShard(0);
        PairKey pair = new PairKey(ws, "src_web", "dst_braze");
        knownPairs(pair);
        String token = api.token(ws);

        HttpResult created =
                put(
                        ws,
                        "checkout",
                        "{\"kind\":\"success_rate\",\"target\":0.995,\"window\":\"28d\","
                                + "\"source_id\":\"src_web\",\"destination_id\":\"dst_braze\","
                                + "\"description\":\"Checkout \\\"events\\\" \\\\ 😀\"}",
                        token);
        HttpResult replaced =
                put(
                        ws,
                        "checkout",
                        "{\"kind\":\"success_rate\",\"target\":0.99,\"window\":\"7d\","
                                + "\"destination_id\":\"dst_braze\"}",
                        token);
        HttpResult read = api.get(goal(ws, "checkout"), token);
        HttpResult list = api.get("/v1/workspaces/" + ws + "/goals", token);
        HttpResult deleted = send("DELETE", goal(ws, "checkout"), null, token);
        HttpResult gone = api.get(goal(ws, "checkout"), token);
        HttpResult deletedAgain = send("DELETE", goal(ws, "checkout"), null, token);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("scope").asText()).isEqualTo("pair");
        assertThat(created.json().get("window").asText()).isEqualTo("28d");
        assertThat(created.json().get("description").asText())
                .isEqualTo("Checkout \"events\" \\ 😀");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("scope").asText()).isEqualTo("destination");
        assertThat(replaced.json().get("source_id").isNull()).isTrue();
        assertThat(replaced.json().get("created_at")).isEqualTo(created.json().get("created_at"));
        assertThat(read.json().get("target").asDouble()).isEqualTo(0.99);
        assertThat(read.json().get("window").asText()).isEqualTo("7d");
        assertThat(list.json().get("goals")).hasSize(1);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.contentType()).startsWith("application/problem+json");
        assertThat(deletedAgain.status()).isEqualTo(404);
    }

    @Test
    void shouldRefuseAGoalBeyondTheWorkspacesHundredth() {
        String ws = api.workspaceOnShard(0);
        String token = api.token(ws);
        for (int i = 0; i < GoalRoutes.MAX_GOALS; i++) {
            assertThat(put(ws, "lag_" + i, "{\"kind\":\"data_lag\",\"target\":60}", token).status())
                    .isEqualTo(201);
        }

        HttpResult refused = put(ws, "one_more", "{\"kind\":\"data_lag\",\"target\":60}", token);
        HttpResult replaced = put(ws, "lag_0", "{\"kind\":\"data_lag\",\"target\":30}", token);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("type").asText()).endsWith("too-many-goals");
        assertThat(replaced.status()).as("replacing one is not adding one").isEqualTo(200);
    }

    @Test
    void shouldRefuseABadGoalWithA400NamingTheField() {
        String ws = api.workspaceOnShard(1);
        knownPairs(new PairKey(ws, "src_web", "dst_braze"));
        String token = api.token(ws);
        Map<String, String> badBodies =
                Map.of(
                        "target",
                        "{\"kind\":\"success_rate\",\"target\":1.5,\"window\":\"28d\"}",
                        "window",
                        "{\"kind\":\"success_rate\",\"target\":0.99,\"window\":\"5000d\"}",
                        "source_id",
                        "{\"kind\":\"success_rate\",\"target\":0.99,\"window\":\"28d\","
                                + "\"source_id\":\"src_nope\",\"destination_id\":\"dst_braze\"}",
                        "kind",
                        "{\"kind\":\"uptime\",\"target\":0.99,\"window\":\"28d\"}",
                        "colour",
                        "{\"kind\":\"data_lag\",\"target\":60,\"colour\":\"red\"}");

        for (Map.Entry<String, String> e : badBodies.entrySet()) {
            HttpResult r = put(ws, "g1", e.getValue(), token);

            assertThat(r.status()).as(e.getValue()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("invalid_params"))
                    .as(e.getValue())
                    .anySatisfy(p -> assertThat(p.get("name").asText()).isEqualTo(e.getKey()));
        }
        HttpResult reserved = put(ws, "status", "{\"kind\":\"data_lag\",\"target\":60}", token);
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(api.get("/v1/workspaces/" + ws + "/goals", token).json().get("goals")).isEmpty();
    }

    @Test
    void shouldRefuseAnotherWorkspacesToken() {
        String ws = api.workspaceOnShard(0);
        String other = api.token(api.workspaceOnShard(1));

        HttpResult put = put(ws, "g1", "{\"kind\":\"data_lag\",\"target\":60}", other);
        HttpResult status = api.get("/v1/workspaces/" + ws + "/goals/status", other);

        assertThat(put.status()).isEqualTo(403);
        assertThat(status.status()).isEqualTo(403);
    }

    @Test
    void shouldEvaluateGoalsExactlyAndFlagOnlyThePairBurningItsBudget() throws Exception {
        String ws = api.workspaceOnShard(1);
        PairKey healthy = new PairKey(ws, "src_web", "dst_braze");
        PairKey incident = new PairKey(ws, "src_web", "dst_s3");
        List<DeliveryAttempt> attempts = new ArrayList<>();
        attempts.addAll(baseline(healthy));
        attempts.addAll(baseline(incident));
        // The incident: the last 30 minutes of dst_s3, half of its events discarded.
        for (int i = 0; i < 300; i++) {
            AttemptBuilder a =
                    AttemptBuilder.anAttempt()
                            .pair(ws, incident.sourceId(), incident.destinationId())
                            .at(END.minus(Duration.ofMinutes(30)).plusSeconds(6L * i))
                            .latencyMs(400);
            attempts.add(i % 2 == 0 ? a.errorCode("http_503").discarded() : a.delivered());
        }
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        knownPairs(healthy, incident);
        // Complete through 11:59, the minute the watermark is in: 102 s behind the clock.
        api.progress(api.shardOf(ws), END.minusSeconds(60), END.minusSeconds(120));
        String token = api.token(ws);
        for (PairKey p : List.of(healthy, incident)) {
            HttpResult r =
                    put(
                            ws,
                            p.destinationId(),
                            "{\"kind\":\"success_rate\",\"target\":0.99,\"window\":\"24h\","
                                    + "\"source_id\":\""
                                    + p.sourceId()
                                    + "\",\"destination_id\":\""
                                    + p.destinationId()
                                    + "\"}",
                            token);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        assertThat(
                        put(
                                        ws,
                                        "all",
                                        "{\"kind\":\"success_rate\",\"target\":0.99,\"window\":\"24h\"}",
                                        token)
                                .status())
                .isEqualTo(201);
        assertThat(put(ws, "lag", "{\"kind\":\"data_lag\",\"target\":60}", token).status())
                .isEqualTo(201);
        assertThat(
                        put(
                                        ws,
                                        "p95",
                                        "{\"kind\":\"latency_p95\",\"target\":1000,\"window\":\"6h\"}",
                                        token)
                                .status())
                .isEqualTo(201);

        HttpResult r = api.get("/v1/workspaces/" + ws + "/goals/status", token);
        java.net.http.HttpResponse<String> rules =
                api.getText("/v1/workspaces/" + ws + "/goals/rules", token);

        assertThat(rules.statusCode()).isEqualTo(200);
        assertThat(rules.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("goals", ".rules.yml");
        java.nio.file.Files.writeString(file, rules.body());
        io.deliverymetrics.core.exposition.Promtool.Result check =
                io.deliverymetrics.core.exposition.Promtool.checkRules(file);
        java.nio.file.Files.delete(file);
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(rules.body())
                .contains("goal: \"dst_s3\"", "DeliveryGoalFastBurn", "DeliveryGoalDataLag");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, JsonNode> byId = new java.util.TreeMap<>();
        r.json().get("goals").forEach(g -> byId.put(g.get("goal_id").asText(), g));
        assertThat(byId).containsOnlyKeys("all", "dst_braze", "dst_s3", "lag", "p95");
        assertSuccessRate(byId.get("dst_braze"), attempts, a -> a.pair().equals(healthy), false);
        assertSuccessRate(byId.get("dst_s3"), attempts, a -> a.pair().equals(incident), true);
        assertSuccessRate(byId.get("all"), attempts, a -> true, true);
        JsonNode lag = byId.get("lag");
        assertThat(lag.get("complete_through").asText()).isEqualTo(END.minusSeconds(60).toString());
        assertThat(lag.get("value").asDouble())
                .isEqualTo(
                        Duration.between(END.minusSeconds(60), TestDeployment.NOW).toMillis()
                                / 1e3);
        assertThat(lag.get("met").asBoolean()).as("102 s behind, over its 60 s target").isFalse();
        List<Long> latencies = new ArrayList<>();
        for (DeliveryAttempt a : attempts) {
            if (a.outcome() == Outcome.DELIVERED
                    && !a.completedAt().isBefore(END.minus(Duration.ofHours(6)))
                    && a.completedAt().isBefore(END)) {
                latencies.add(a.latencyMillis());
            }
        }
        java.util.Collections.sort(latencies);
        double p95 = latencies.get((int) Math.floor(0.95 * (latencies.size() - 1)));
        // The sketch's relative accuracy: 1 %.
        assertThat(byId.get("p95").get("value").asDouble()).isCloseTo(p95, within(p95 * 0.01));
        assertThat(byId.get("p95").get("met").asBoolean()).isTrue();
    }

    @Test
    void shouldManageGoalsFromTheCommandLineWithTheApisValidation() {
        String ws = api.workspaceOnShard(0);
        knownPairs(new PairKey(ws, "src_web", "dst_braze"));

        Cli set =
                cli(
                        "set",
                        ws,
                        "web_braze",
                        "--kind",
                        "success_rate",
                        "--target",
                        "0.999",
                        "--window",
                        "7d",
                        "--source",
                        "src_web",
                        "--destination",
                        "dst_braze");
        Cli bad =
                cli(
                        "set",
                        ws,
                        "nope",
                        "--kind",
                        "success_rate",
                        "--target",
                        "1.2",
                        "--window",
                        "7d",
                        "--destination",
                        "dst_unknown");
        Cli list = cli("list", ws);
        HttpResult viaApi = api.get(goal(ws, "web_braze"), api.token(ws));
        Cli delete = cli("delete", ws, "web_braze");
        Cli deleteAgain = cli("delete", ws, "web_braze");

        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("error: target must be a fraction");
        assertThat(list.out()).contains("web_braze").contains("src_web -> dst_braze");
        assertThat(viaApi.json().get("target").asDouble()).isEqualTo(0.999);
        assertThat(viaApi.json().get("window").asText()).isEqualTo("7d");
        assertThat(delete.exit()).isZero();
        assertThat(deleteAgain.exit()).isEqualTo(1);
    }

    private Cli cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        var control = api.config().control().orElseThrow();
        all.add("--control.jdbc-url=" + control.jdbcUrl());
        all.add("--control.user=" + control.user());
        all.add("--control.password=" + control.password());
        for (var shard : api.config().shards().shards()) {
            all.add("--shards." + shard.id() + ".jdbc-url=" + shard.jdbcUrl());
            all.add("--shards." + shard.id() + ".user=" + shard.user());
            all.add("--shards." + shard.id() + ".password=" + shard.password());
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit =
                io.deliverymetrics.api.cli.GoalCli.run(
                        all.toArray(String[]::new),
                        Map.of(),
                        new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                        new java.io.PrintStream(
                                err, true, java.nio.charset.StandardCharsets.UTF_8));
        return new Cli(
                exit,
                out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private record Cli(int exit, String out, String err) {}

    /**
     * 2,000 events over the 8 hours before {@link #END}: one in 200 discarded, the rest delivered.
     */
    private static List<DeliveryAttempt> baseline(PairKey p) {
        List<DeliveryAttempt> out = new ArrayList<>();
        Instant from = END.minus(Duration.ofHours(8));
        for (int i = 0; i < 2_000; i++) {
            AttemptBuilder a =
                    AttemptBuilder.anAttempt()
                            .pair(p.workspaceId(), p.sourceId(), p.destinationId())
                            .at(from.plusMillis(i * Duration.ofHours(8).toMillis() / 2_000))
                            .latencyMs(200 + i % 300);
            out.add(i % 200 == 7 ? a.errorCode("http_400").discarded() : a.delivered());
        }
        return out;
    }

    /** The goal's value, budget and burn rates equal those computed here from the attempts. */
    private static void assertSuccessRate(
            JsonNode g,
            List<DeliveryAttempt> attempts,
            Predicate<DeliveryAttempt> scope,
            boolean burning) {
        long[] day = count(attempts, scope, Duration.ofHours(24));
        assertThat(g.get("events").asLong()).isEqualTo(day[0]);
        assertThat(g.get("failures").asLong()).isEqualTo(day[1]);
        assertThat(g.get("value").asDouble())
                .isCloseTo((double) (day[0] - day[1]) / day[0], within(1e-12));
        double allowed = (1 - 0.99) * day[0];
        assertThat(g.get("error_budget").get("consumed").asDouble())
                .isCloseTo(day[1] / allowed, within(1e-9));
        for (Map.Entry<String, Duration> w :
                Map.of(
                                "1h", Duration.ofHours(1),
                                "5m", Duration.ofMinutes(5),
                                "6h", Duration.ofHours(6),
                                "30m", Duration.ofMinutes(30))
                        .entrySet()) {
            long[] c = count(attempts, scope, w.getValue());
            assertThat(g.get("burn_rates").get(w.getKey()).asDouble())
                    .as("burn rate over %s", w.getKey())
                    .isCloseTo(((double) c[1] / c[0]) / (1 - 0.99), within(1e-9));
        }
        assertThat(g.get("burning").asBoolean()).as(g.toString()).isEqualTo(burning);
        assertThat(g.get("alerts").get("fast_burn").asBoolean()).isEqualTo(burning);
    }

    /** Events (delivered, discarded, expired) and failures in the window before {@link #END}. */
    private static long[] count(
            List<DeliveryAttempt> attempts, Predicate<DeliveryAttempt> scope, Duration window) {
        long events = 0;
        long failures = 0;
        Instant from = END.minus(window);
        for (DeliveryAttempt a : attempts) {
            if (!scope.test(a)
                    || a.completedAt().isBefore(from)
                    || !a.completedAt().isBefore(END)) {
                continue;
            }
            if (a.outcome() == Outcome.DELIVERED) {
                events++;
            } else if (a.outcome() == Outcome.DISCARDED || a.outcome() == Outcome.EXPIRED) {
                events++;
                failures++;
            }
        }
        return new long[] {events, failures};
    }

    /** Running totals for the pairs, so that goals may name them. */
    private void knownPairs(PairKey... pairs) {
        List<TotalsRows.PairTotals> rows = new ArrayList<>();
        for (PairKey p : pairs) {
            MetricBucket one =
                    new MetricBucket()
                            .add(
                                    AttemptBuilder.anAttempt()
                                            .pair(p.workspaceId(), p.sourceId(), p.destinationId())
                                            .at(END.minus(Duration.ofHours(9)))
                                            .delivered());
            rows.add(
                    new TotalsRows.PairTotals(
                            p, END.minus(Duration.ofHours(9)), DeliveryTotals.ZERO.plus(one)));
        }
        api.writeTotals(rows);
    }

    private static String goal(String ws, String id) {
        return "/v1/workspaces/" + ws + "/goals/" + id;
    }

    private HttpResult put(String ws, String id, String body, String token) {
        return send("PUT", goal(ws, id), body, token);
    }

    private HttpResult send(String method, String path, String body, String token) {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(api.base().resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return api.send(r.build());
    }
}
