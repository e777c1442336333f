package io.deliverymetrics.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.ApiServer;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.datadog.support.FakeDatadogIntake;
import io.deliverymetrics.datadog.support.FakeDatadogIntake.ApiCall;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.Migrator;
import io.deliverymetrics.sql.TotalsRows;
import io.deliverymetrics.sql.TotalsRows.PairTotals;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code goals --apply} end to end: goals declared through the real API server (its own code, over
 * a real MariaDB from {@code embedded-infra}) become SLOs and monitors in the local stand-in for
 * Datadog's API, through the official client; applying again writes nothing; a deleted goal takes
 * its SLO and monitors with it, a changed goal updates its monitor in place.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoalsCommandAgainstRealApiITCase {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:42Z");
    private static final String WS = "ws_goals";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiServer server;
    private final HikariDataSource control;
    private final HttpClient http = HttpClient.newHttpClient();

    GoalsCommandAgainstRealApiITCase(EmbeddedMariaDb db, UniqueNames names) throws Exception {
        String shard = names.database("dd_goals_shard");
        String controlDb = names.database("dd_goals_control");
        db.createDatabase(shard);
        db.createDatabase(controlDb);
        Map<String, String> s = new HashMap<>();
        s.put("server.host", "127.0.0.1");
        s.put("server.port", "0");
        s.put("admin.port", "0");
        s.put("shards.0.jdbc-url", db.jdbcUrl(shard));
        s.put("shards.0.user", db.user());
        s.put("control.jdbc-url", db.jdbcUrl(controlDb));
        s.put("control.user", db.user());
        s.put("rate-limit.burst", "100000");
        ApiConfig apiConfig = ApiConfig.withOverrides(s);
        Migrator.migrateShards(apiConfig.shards());
        Migrator.migrateControl(db.jdbcUrl(controlDb), db.user(), db.password());
        // A goal for a destination or a pair needs the pair to have a final minute.
        try (Connection c = db.connect(shard)) {
            c.setAutoCommit(false);
            List<PairTotals> rows = new ArrayList<>();
            for (String dst : List.of("dst_s3", "dst_amplitude")) {
                PairKey pair = new PairKey(WS, "src_web", dst);
                MetricBucket b = new MetricBucket();
                b.add(
                        new DeliveryAttempt(
                                WS,
                                "src_web",
                                dst,
                                "evt_" + dst,
                                1,
                                Outcome.DELIVERED,
                                null,
                                NOW.minusSeconds(600),
                                NOW.minusSeconds(599)));
                rows.add(new PairTotals(pair, NOW.minusSeconds(540), DeliveryTotals.ZERO.plus(b)));
            }
            TotalsRows.write(c, rows);
            c.commit();
        }
        this.server =
                ApiServer.create(apiConfig, Clock.fixed(NOW, ZoneOffset.UTC), (m, r, st, ms) -> {})
                        .start();
        this.control = new HikariDataSource();
        control.setJdbcUrl(db.jdbcUrl(controlDb));
        control.setUsername(db.user());
        control.setPassword(db.password());
        control.setMaximumPoolSize(2);
    }

    @AfterAll
    void stop() {
        server.close();
        control.close();
    }

    private record Run(int status, JsonNode report, String err) {}

    private Run goals(String token, FakeDatadogIntake intake, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(extra));
        args.add("--api.base-url=http://127.0.0.1:" + server.port());
        args.add("--workspaces.0.id=" + WS);
        args.add("--workspaces.0.token=" + token);
        args.add("--datadog.base-url=" + intake.baseUrl());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                GoalsCommand.run(
                        args,
                        Map.of("DD_API_KEY", "test-api-key", "DD_APP_KEY", "test-app-key"),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        return new Run(
                status,
                text.isBlank() ? null : JSON.readTree(text),
                err.toString(StandardCharsets.UTF_8));
    }

    private void putGoal(String token, String id, String body) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(goalUri(id))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    private void deleteGoal(String token, String id) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(goalUri(id))
                                .header("Authorization", "Bearer " + token)
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    private URI goalUri(String id) {
        return URI.create(
                "http://127.0.0.1:" + server.port() + "/v1/workspaces/" + WS + "/goals/" + id);
    }

    private static List<String> tags(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.path("tags").forEach(t -> out.add(t.asText()));
        return out;
    }

    private static JsonNode withTag(List<JsonNode> items, String... tags) {
        List<JsonNode> found =
                items.stream().filter(n -> tags(n).containsAll(List.of(tags))).toList();
        assertThat(found).as(String.join(",", tags)).hasSize(1);
        return found.get(0);
    }

    @Test
    void shouldCreateThenLeaveAloneThenFollowChangedAndDeletedGoals() throws Exception {
        String token = new TokenStore(control, new SecureRandom()).create(WS, "goals").value();
        putGoal(
                token,
                "all-delivered",
                "{\"kind\":\"success_rate\",\"target\":0.995,\"window\":\"28d\"}");
        putGoal(
                token,
                "web-amplitude",
                "{\"kind\":\"success_rate\",\"target\":0.9,\"window\":\"90d\","
                        + "\"source_id\":\"src_web\",\"destination_id\":\"dst_amplitude\"}");
        putGoal(
                token,
                "s3-latency",
                "{\"kind\":\"latency_p95\",\"target\":2500,\"window\":\"24h\","
                        + "\"destination_id\":\"dst_s3\"}");
        putGoal(token, "fresh", "{\"kind\":\"data_lag\",\"target\":300}");

        try (FakeDatadogIntake intake = FakeDatadogIntake.start()) {
            // Someone's own SLO for the workspace: not ours, never touched.
            String foreign =
                    intake.putSlo(
                            JSON.readTree(
                                    "{\"name\":\"by hand\",\"type\":\"metric\",\"tags\":"
                                            + "[\"workspace:ws_goals\",\"delivery_goal:fresh\"],"
                                            + "\"thresholds\":[{\"timeframe\":\"7d\",\"target\":99}],"
                                            + "\"query\":{\"numerator\":\"sum:a{*}\","
                                            + "\"denominator\":\"sum:b{*}\"}}"));

            // Dry run: prints, needs no Datadog key, calls nothing.
            Run dry = goals(token, intake);
            assertThat(dry.status()).as(dry.err()).isZero();
            assertThat(dry.report().get("mode").asText()).isEqualTo("dry_run");
            assertThat(dry.report().at("/workspaces/0/goals")).hasSize(4);
            assertThat(intake.calls()).isEmpty();

            // First apply: everything is created.
            Run first = goals(token, intake, "--apply");
            assertThat(first.status()).as(first.err()).isZero();
            JsonNode w = first.report().at("/workspaces/0");
            assertThat(w.get("created")).hasSize(2 + 5);
            assertThat(w.get("updated")).isEmpty();
            assertThat(w.get("deleted")).isEmpty();
            assertThat(w.get("notes").toString()).contains("web-amplitude: fast_burn left out");
            assertThat(intake.calls())
                    .allMatch(c -> c.method().equals("GET") || c.method().equals("POST"));

            List<JsonNode> slos = intake.slos();
            List<JsonNode> monitors = intake.monitors();
            assertThat(slos).hasSize(3); // two goals' and the foreign one
            assertThat(monitors).hasSize(5);
            JsonNode allSlo =
                    withTag(slos, "delivery_goal:all-delivered", "managed_by:delivery-metrics");
            assertThat(allSlo.at("/thresholds/0/timeframe").asText()).isEqualTo("30d");
            assertThat(allSlo.at("/thresholds/0/target").asDouble()).isEqualTo(99.5);
            assertThat(allSlo.at("/query/numerator").asText())
                    .isEqualTo("sum:event_delivery.successes{workspace:ws_goals}.as_count()");
            String allId = allSlo.get("id").asText();
            assertThat(
                            withTag(
                                            monitors,
                                            "delivery_goal:all-delivered",
                                            "delivery_goal_role:fast_burn")
                                    .get("query")
                                    .asText())
                    .isEqualTo(
                            "burn_rate(\""
                                    + allId
                                    + "\").over(\"30d\").long_window(\"1h\").short_window(\"5m\")"
                                    + " > 14.4");
            String ampId = withTag(slos, "delivery_goal:web-amplitude").get("id").asText();
            JsonNode ampSlow =
                    withTag(
                            monitors,
                            "delivery_goal:web-amplitude",
                            "delivery_goal_role:slow_burn");
            assertThat(ampSlow.get("query").asText())
                    .startsWith("burn_rate(\"" + ampId + "\").over(\"90d\").long_window(\"6h\")");
            assertThat(ampSlow.get("type").asText()).isEqualTo("slo alert");
            assertThat(withTag(monitors, "delivery_goal:s3-latency").get("query").asText())
                    .isEqualTo(
                            "min(last_1h):max:event_delivery.latency.p95"
                                    + "{workspace:ws_goals,destination:dst_s3} > 2500");
            JsonNode lag = withTag(monitors, "delivery_goal:fresh", "delivery_goal_role:data_lag");
            assertThat(lag.at("/options/notify_no_data").asBoolean()).isTrue();
            assertThat(lag.at("/options/no_data_timeframe").asInt()).isEqualTo(5);
            assertThat(intake.calls())
                    .filteredOn(c -> c.method().equals("POST"))
                    .allSatisfy(c -> assertThat(c.body()).isNotNull());

            // Second apply: nothing changed, nothing written.
            int before = intake.calls().size();
            Run second = goals(token, intake, "--apply");
            assertThat(second.status()).as(second.err()).isZero();
            JsonNode w2 = second.report().at("/workspaces/0");
            assertThat(w2.get("unchanged")).hasSize(7);
            assertThat(w2.get("created")).isEmpty();
            assertThat(w2.get("updated")).isEmpty();
            assertThat(w2.get("deleted")).isEmpty();
            List<ApiCall> secondCalls = intake.calls().subList(before, intake.calls().size());
            assertThat(secondCalls).isNotEmpty().noneMatch(ApiCall::writes);
            assertThat(intake.slos()).isEqualTo(slos);
            assertThat(intake.monitors()).isEqualTo(monitors);

            // One goal deleted, one changed: its monitors and SLO go, the other is updated.
            deleteGoal(token, "web-amplitude");
            putGoal(
                    token,
                    "s3-latency",
                    "{\"kind\":\"latency_p95\",\"target\":3000,\"window\":\"24h\","
                            + "\"destination_id\":\"dst_s3\"}");
            before = intake.calls().size();
            Run third = goals(token, intake, "--apply");
            assertThat(third.status()).as(third.err()).isZero();
            List<ApiCall> writes =
                    intake.calls().subList(before, intake.calls().size()).stream()
                            .filter(ApiCall::writes)
                            .toList();
            String latencyId = withTag(monitors, "delivery_goal:s3-latency").get("id").asText();
            assertThat(writes)
                    .extracting(c -> c.method() + " " + c.path())
                    .containsExactly(
                            "PUT /api/v1/monitor/" + latencyId,
                            "DELETE /api/v1/monitor/" + ampSlow.get("id").asText(),
                            "DELETE /api/v1/slo/" + ampId);
            JsonNode w3 = third.report().at("/workspaces/0");
            assertThat(w3.get("updated")).hasSize(1);
            assertThat(w3.get("deleted")).hasSize(2);
            assertThat(w3.get("unchanged")).hasSize(4);
            assertThat(intake.slos())
                    .extracting(n -> n.get("id").asText())
                    .containsExactlyInAnyOrder(allId, foreign);
            assertThat(intake.monitors()).hasSize(4);
            assertThat(withTag(intake.monitors(), "delivery_goal:s3-latency").get("query").asText())
                    .endsWith("> 3000");

            // And once more: settled.
            before = intake.calls().size();
            assertThat(goals(token, intake, "--apply").status()).isZero();
            assertThat(intake.calls().subList(before, intake.calls().size()))
                    .noneMatch(ApiCall::writes);
        }
    }

    @Test
    void shouldRefuseToApplyWithoutAnApplicationKey() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                GoalsCommand.run(
                        List.of(
                                "--apply",
                                "--workspaces.0.id=" + WS,
                                "--workspaces.0.token=t",
                                "--datadog.api-key=k"),
                        Map.of(),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("application key");
    }
}
