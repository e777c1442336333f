package io.deliverymetrics.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.ApiServer;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.datadog.config.ForwarderConfig;
import io.deliverymetrics.datadog.model.DeliveryMetric;
import io.deliverymetrics.datadog.model.PollResult;
import io.deliverymetrics.datadog.support.FakeDatadogIntake;
import io.deliverymetrics.datadog.support.FakeDatadogIntake.ReceivedPoint;
import io.deliverymetrics.datadog.support.MutableClock;
import io.deliverymetrics.datadog.support.RecordingSleeper;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.DestinationTypeRows;
import io.deliverymetrics.sql.GlobalDatabase;
import io.deliverymetrics.sql.MetricRows;
import io.deliverymetrics.sql.Migrator;
import io.deliverymetrics.sql.PipelineProgress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder against the real API server (its own code, on a random port) over a real MariaDB
 * from {@code embedded-infra}, seeded with minute rows built from generated attempts; Datadog is
 * the local intake. Counts are checked against totals computed independently from the attempts,
 * latencies against what the API itself serves; the destination status, forwarded with an operator
 * token, against figures computed from the attempts of the global rows.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwarderAgainstRealApiITCase {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:42Z");
    private static final Instant COMPLETE_THROUGH = Instant.parse("2026-11-26T11:58:00Z");
    private static final String WS = "ws_real";
    private static final List<PairKey> PAIRS =
            List.of(
                    new PairKey(WS, "src_web", "dst_amplitude"),
                    new PairKey(WS, "src_web", "dst_s3"),
                    new PairKey(WS, "src_ios", "dst_amplitude"));

    private final EmbeddedMariaDb db;
    private final ApiConfig apiConfig;
    private final ApiServer server;
    private final HikariDataSource control;

    ForwarderAgainstRealApiITCase(EmbeddedMariaDb db, UniqueNames names) {
        this.db = db;
        String shard = names.database("dd_shard");
        String controlDb = names.database("dd_control");
        String globalDb = names.database("dd_global");
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
        s.put("global.jdbc-url", db.jdbcUrl(globalDb));
        s.put("global.user", db.user());
        s.put("rate-limit.burst", "100000");
        this.apiConfig = ApiConfig.withOverrides(s);
        Migrator.migrateShards(apiConfig.shards());
        Migrator.migrateControl(db.jdbcUrl(controlDb), db.user(), db.password());
        Migrator.migrateGlobal(new GlobalDatabase(db.jdbcUrl(globalDb), db.user(), db.password()));
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

    /** Attempts of every pair, completed uniformly over [11:45, 12:01). */
    private static List<DeliveryAttempt> attempts() {
        Random rnd = new Random(20261126);
        Outcome[] outcomes = Outcome.values();
        List<DeliveryAttempt> out = new ArrayList<>();
        Instant from = Instant.parse("2026-11-26T11:45:00Z");
        for (int i = 0; i < 3_000; i++) {
            PairKey pair = PAIRS.get(rnd.nextInt(PAIRS.size()));
            Instant done = from.plusMillis(rnd.nextInt(16 * 60_000));
            Outcome o = outcomes[rnd.nextInt(outcomes.length)];
            long latency = 20 + rnd.nextInt(5_000);
            out.add(
                    new DeliveryAttempt(
                            pair.workspaceId(),
                            pair.sourceId(),
                            pair.destinationId(),
                            "evt_" + i,
                            1 + rnd.nextInt(3),
                            o,
                            o.isFailure() ? "http_500" : null,
                            done.minusMillis(latency),
                            done));
        }
        return out;
    }

    private void seed(List<DeliveryAttempt> attempts) throws Exception {
        Map<PairKey, TreeMap<Instant, MetricBucket>> buckets = new HashMap<>();
        for (DeliveryAttempt a : attempts) {
            buckets.computeIfAbsent(a.pair(), k -> new TreeMap<>())
                    .computeIfAbsent(
                            Granularity.MINUTE.floor(a.completedAt()), k -> new MetricBucket())
                    .add(a);
        }
        List<PairBucket> rows = new ArrayList<>();
        buckets.forEach(
                (pair, byMinute) ->
                        byMinute.forEach((t, b) -> rows.add(new PairBucket(pair, t, b))));
        try (Connection c = db.connect(jdbcDatabase())) {
            c.setAutoCommit(false);
            MetricRows.write(c, Granularity.MINUTE, rows);
            PipelineProgress.write(
                    c, apiConfig.pipelineName(), 0, 1, COMPLETE_THROUGH, COMPLETE_THROUGH);
            c.commit();
        }
    }

    private String jdbcDatabase() {
        String url = apiConfig.shards().shard(0).jdbcUrl();
        return url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    }

    /** Counts per (pair, minute, metric) straight from the attempts, zeros included. */
    private static Map<String, Double> groundTruthCounts(
            List<DeliveryAttempt> attempts, Instant from, Instant to) {
        Map<String, Double> out = new HashMap<>();
        for (PairKey pair : PAIRS) {
            for (Instant t = from; t.isBefore(to); t = t.plusSeconds(60)) {
                for (DeliveryMetric m : DeliveryMetric.values()) {
                    if (m.kind() == DeliveryMetric.Kind.COUNT) {
                        out.put(
                                key(m.datadogName(), pair.sourceId(), pair.destinationId(), t),
                                0.0);
                    }
                }
            }
        }
        for (DeliveryAttempt a : attempts) {
            Instant t = Granularity.MINUTE.floor(a.completedAt());
            if (t.isBefore(from) || !t.isBefore(to)) {
                continue;
            }
            String metric =
                    switch (a.outcome()) {
                        case DELIVERED -> "event_delivery.successes";
                        case RETRYING -> "event_delivery.retried";
                        case DISCARDED -> "event_delivery.discarded";
                        case EXPIRED -> "event_delivery.expired";
                        case FILTERED -> "event_delivery.filtered";
                    };
            out.merge(key(metric, a.sourceId(), a.destinationId(), t), 1.0, Double::sum);
        }
        return out;
    }

    private static String key(String metric, String source, String destination, Instant t) {
        return metric + "|" + source + "|" + destination + "|" + t;
    }

    @Test
    void shouldForwardExactlyWhatTheRealApiServesForEveryCompleteMinute(@TempDir Path dir)
            throws Exception {
        List<DeliveryAttempt> attempts = attempts();
        seed(attempts);
        String token = new TokenStore(control, new SecureRandom()).create(WS, "datadog").value();
        try (FakeDatadogIntake intake = FakeDatadogIntake.start()) {
            Map<String, String> s = settings(token, dir, intake);
            MutableClock clock = new MutableClock(NOW);
            try (DatadogForwarder forwarder = forwarder(s, clock)) {

                PollResult r = forwarder.pollOnce().get(0);

                assertThat(r.succeeded()).as(r.failure().orElse("")).isTrue();
                assertThat(r.forwardedThrough()).contains(COMPLETE_THROUGH);
                Instant from = Instant.parse("2026-11-26T11:50:00Z");
                Map<String, Double> counts = new HashMap<>();
                Map<String, Double> latencies = new HashMap<>();
                for (ReceivedPoint p : intake.points()) {
                    String k =
                            key(p.metric(), p.tag("source"), p.tag("destination"), p.timestamp());
                    assertThat(p.tag("workspace")).isEqualTo(WS);
                    assertThat(p.timestamp()).isBetween(from, COMPLETE_THROUGH.minusSeconds(60));
                    Map<String, Double> target =
                            p.metric().startsWith("event_delivery.latency.") ? latencies : counts;
                    assertThat(target.put(k, p.value())).as("sent once: " + k).isNull();
                }
                assertThat(counts).isEqualTo(groundTruthCounts(attempts, from, COMPLETE_THROUGH));
                assertThat(latencies).isEqualTo(latenciesServedByTheApi(token, from));
                assertThat(latencies).isNotEmpty();

                // Nothing changed: the next minute's poll re-reads the overlap and sends nothing.
                int before = intake.points().size();
                clock.set(NOW.plusSeconds(60));
                PollResult again = forwarder.pollOnce().get(0);
                assertThat(again.pointsSubmitted()).isZero();
                assertThat(intake.points()).hasSize(before);
            }
        }
    }

    // --- the destination status -------------------------------------------------------------

    /** The API's default status window: each report covers the 5 minutes before it. */
    private static final int STATUS_WINDOW_MINUTES = 5;

    /** One attempt and the destination type it went to. */
    private record Sent(String type, DeliveryAttempt attempt) {}

    /**
     * [11:40, 11:58): amplitude in 6 workspaces discards everything from 11:50 (an outage by the
     * API's rules: over 100 attempts in the window, all failed, in more than 3 and half of the
     * workspaces); braze in 4 workspaces, only the first of which fails (every 4th attempt
     * retried), with filtered events in all: operational.
     */
    private static List<Sent> destinationAttempts() {
        List<Sent> out = new ArrayList<>();
        int n = 0;
        for (Instant m = Instant.parse("2026-11-26T11:40:00Z");
                m.isBefore(COMPLETE_THROUGH);
                m = m.plusSeconds(60)) {
            for (int w = 1; w <= 6; w++) {
                for (int i = 0; i < 6; i++) {
                    n++;
                    Outcome o =
                            m.isBefore(Instant.parse("2026-11-26T11:50:00Z"))
                                    ? Outcome.DELIVERED
                                    : Outcome.DISCARDED;
                    out.add(
                            typeAttempt(
                                    "amplitude", "ws_amp_" + w, m.plusSeconds(i * 9L + 2), n, o));
                }
            }
            for (int w = 1; w <= 4; w++) {
                for (int i = 0; i < 5; i++) {
                    n++;
                    Outcome o =
                            w == 1 && i % 4 == 0
                                    ? Outcome.RETRYING
                                    : i == 3 ? Outcome.FILTERED : Outcome.DELIVERED;
                    out.add(typeAttempt("braze", "ws_brz_" + w, m.plusSeconds(i * 11L + 1), n, o));
                }
            }
        }
        return out;
    }

    private static Sent typeAttempt(String type, String ws, Instant at, int n, Outcome o) {
        return new Sent(
                type,
                AttemptBuilder.anAttempt()
                        .pair(ws, "src_web", "dst_" + type)
                        .event("evt_" + type + "_" + n)
                        .at(at)
                        .latencyMs(40 + (n * 37L) % 900)
                        .errorCode(
                                o == Outcome.DELIVERED || o == Outcome.FILTERED ? null : "http_503")
                        .outcome(o));
    }

    /** Minute rows of the global database, one per (type, minute), as the job writes them. */
    private void seedGlobal(List<Sent> sent) throws Exception {
        Map<String, TreeMap<Instant, TypeBucket>> rows = new TreeMap<>();
        for (Sent x : sent) {
            TypeBucket row =
                    rows.computeIfAbsent(x.type(), k -> new TreeMap<>())
                            .computeIfAbsent(
                                    Granularity.MINUTE.floor(x.attempt().completedAt()),
                                    t ->
                                            new TypeBucket(
                                                    x.type(),
                                                    t,
                                                    new MetricBucket(),
                                                    new DistinctContributors()));
            row.bucket().add(x.attempt());
            row.contributors().add(x.attempt().pair(), x.attempt().outcome().isFailure());
        }
        List<TypeBucket> all = new ArrayList<>();
        rows.values().forEach(m -> all.addAll(m.values()));
        try (Connection c =
                java.sql.DriverManager.getConnection(
                        apiConfig.global().jdbcUrl(), db.user(), db.password())) {
            c.setAutoCommit(false);
            DestinationTypeRows.write(c, Granularity.MINUTE, all);
            PipelineProgress.write(
                    c, apiConfig.pipelineName(), 0, 1, COMPLETE_THROUGH, COMPLETE_THROUGH);
            c.commit();
        }
    }

    /**
     * The figures of {@code type} over the status window, straight from the attempts: attempts
     * leave filtered events out, the success rate is delivered ÷ (delivered + discarded + expired),
     * workspaces count every contributor and affected ones those with a failure.
     */
    private static Map<String, Double> expectedFigures(List<Sent> sent, String type) {
        Instant from = COMPLETE_THROUGH.minusSeconds(60L * STATUS_WINDOW_MINUTES);
        long attempts = 0;
        long delivered = 0;
        long lost = 0;
        Set<String> workspaces = new HashSet<>();
        Set<String> affected = new HashSet<>();
        for (Sent x : sent) {
            DeliveryAttempt a = x.attempt();
            if (!x.type().equals(type)
                    || a.completedAt().isBefore(from)
                    || !a.completedAt().isBefore(COMPLETE_THROUGH)) {
                continue;
            }
            workspaces.add(a.workspaceId());
            if (a.outcome() == Outcome.FILTERED) {
                continue;
            }
            attempts++;
            if (a.outcome() == Outcome.DELIVERED) {
                delivered++;
            } else {
                affected.add(a.workspaceId());
                if (a.outcome() != Outcome.RETRYING) {
                    lost++;
                }
            }
        }
        Map<String, Double> out = new HashMap<>();
        out.put("event_delivery.destination.attempts", (double) attempts);
        out.put("event_delivery.destination.success_rate", (double) delivered / (delivered + lost));
        out.put("event_delivery.destination.workspaces", (double) workspaces.size());
        out.put("event_delivery.destination.affected_workspaces", (double) affected.size());
        return out;
    }

    /** The exact p95 of the type's delivered latencies in the status window. */
    private static double exactP95(List<Sent> sent, String type) {
        Instant from = COMPLETE_THROUGH.minusSeconds(60L * STATUS_WINDOW_MINUTES);
        List<Long> latencies = new ArrayList<>();
        for (Sent x : sent) {
            DeliveryAttempt a = x.attempt();
            if (x.type().equals(type)
                    && a.outcome() == Outcome.DELIVERED
                    && !a.completedAt().isBefore(from)
                    && a.completedAt().isBefore(COMPLETE_THROUGH)) {
                latencies.add(a.latencyMillis());
            }
        }
        latencies.sort(Long::compare);
        return latencies.get((int) Math.ceil(0.95 * latencies.size()) - 1);
    }

    private Map<String, String> settings(String token, Path dir, FakeDatadogIntake intake) {
        Map<String, String> s = new HashMap<>();
        s.put("api.base-url", "http://127.0.0.1:" + server.port());
        s.put("workspaces.0.id", WS);
        s.put("workspaces.0.token", token);
        s.put("datadog.base-url", intake.baseUrl().toString());
        s.put("datadog.api-key", "test-key");
        s.put("state.file", dir.resolve("state.json").toString());
        return s;
    }

    private static DatadogForwarder forwarder(Map<String, String> settings, Clock clock) {
        return DatadogForwarder.create(
                ForwarderConfig.withOverrides(settings, Map.of()),
                clock,
                new RecordingSleeper(),
                new Random(1));
    }

    @Test
    void shouldForwardTheDestinationStatusComputedFromTheGlobalRowsWithAnOperatorToken(
            @TempDir Path dir) throws Exception {
        List<Sent> sent = destinationAttempts();
        seedGlobal(sent);
        TokenStore tokens = new TokenStore(control, new SecureRandom());
        String workspaceToken = tokens.create(WS, "datadog").value();
        String operator = tokens.createOperator("datadog").value();
        try (FakeDatadogIntake intake = FakeDatadogIntake.start()) {
            Map<String, String> s = settings(workspaceToken, dir, intake);
            s.put("destinations.enabled", "true");
            s.put("destinations.token", operator);
            MutableClock clock = new MutableClock(NOW);
            try (DatadogForwarder forwarder = forwarder(s, clock)) {
                forwarder.verifyAccess();

                PollResult r = forwarder.pollOnce().get(1);

                assertThat(r.succeeded()).as(r.failure().orElse("")).isTrue();
                assertThat(r.forwardedThrough()).contains(COMPLETE_THROUGH);
                Map<String, Map<String, Double>> byType = new HashMap<>();
                Map<String, String> statusTags = new HashMap<>();
                for (ReceivedPoint p : intake.points()) {
                    if (!p.metric().startsWith("event_delivery.destination.")) {
                        continue;
                    }
                    assertThat(p.timestamp()).isEqualTo(COMPLETE_THROUGH.minusSeconds(60));
                    String type = p.tag("destination_type");
                    assertThat(
                                    byType.computeIfAbsent(type, k -> new HashMap<>())
                                            .put(p.metric(), p.value()))
                            .as("sent once: " + p)
                            .isNull();
                    if (p.metric().equals("event_delivery.destination.status")) {
                        statusTags.put(type, p.tag("status"));
                    }
                }
                JsonNode served = destinationsServedByTheApi(operator);
                assertThat(byType.keySet()).containsExactlyInAnyOrder("amplitude", "braze");
                for (String type : List.of("amplitude", "braze")) {
                    Map<String, Double> got = new HashMap<>(byType.get(type));
                    Double status = got.remove("event_delivery.destination.status");
                    Double p95 = got.remove("event_delivery.destination.latency_p95_ms");
                    assertThat(got).as(type).isEqualTo(expectedFigures(sent, type));
                    JsonNode api = served.get(type);
                    assertThat(statusTags.get(type)).isEqualTo(api.get("status").asText());
                    assertThat(status)
                            .isEqualTo(
                                    List.of("operational", "degraded", "outage")
                                            .indexOf(api.get("status").asText()));
                    if (api.get("latency_p95_ms").isNull()) {
                        assertThat(p95).as(type).isNull();
                    } else {
                        assertThat(p95).isEqualTo(api.get("latency_p95_ms").asDouble());
                        double exact = exactP95(sent, type);
                        assertThat(p95).isCloseTo(exact, within(exact * 0.011));
                    }
                }
                // What the constructed attempts are for.
                assertThat(statusTags)
                        .containsEntry("amplitude", "outage")
                        .containsEntry("braze", "operational");
                assertThat(byType.get("amplitude"))
                        .containsEntry("event_delivery.destination.status", 2.0)
                        .containsEntry("event_delivery.destination.affected_workspaces", 6.0)
                        .doesNotContainKey("event_delivery.destination.latency_p95_ms");
                assertThat(byType.get("braze"))
                        .containsEntry("event_delivery.destination.status", 0.0)
                        .containsEntry("event_delivery.destination.affected_workspaces", 1.0);

                // The same report a minute later (complete_through has not moved): nothing new.
                int before = intake.points().size();
                clock.set(NOW.plusSeconds(60));
                assertThat(forwarder.pollOnce().get(1).pointsSubmitted()).isZero();
                assertThat(intake.points()).hasSize(before);
            }
        }
    }

    @Test
    void shouldRefuseToStartWhenTheDestinationSwitchIsOnWithAWorkspaceToken(@TempDir Path dir)
            throws Exception {
        String workspaceToken =
                new TokenStore(control, new SecureRandom()).create(WS, "datadog").value();
        try (FakeDatadogIntake intake = FakeDatadogIntake.start()) {
            Map<String, String> s = settings(workspaceToken, dir, intake);
            s.put("destinations.enabled", "true");
            s.put("destinations.token", workspaceToken);
            try (DatadogForwarder forwarder = forwarder(s, new MutableClock(NOW))) {

                assertThatThrownBy(forwarder::verifyAccess)
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("HTTP 403")
                        .hasMessageContaining("operator token");
                assertThat(intake.points()).isEmpty();
            }
        }
    }

    /** {@code GET /v1/destinations} with the operator token, by destination type. */
    private JsonNode destinationsServedByTheApi(String operator) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + server.port()
                                                                + "/v1/destinations"))
                                        .header("Authorization", "Bearer " + operator)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(response.body());
        assertThat(root.get("complete_through").asText()).isEqualTo(COMPLETE_THROUGH.toString());
        assertThat(root.get("window_minutes").asInt()).isEqualTo(STATUS_WINDOW_MINUTES);
        com.fasterxml.jackson.databind.node.ObjectNode byType = json.createObjectNode();
        root.get("destinations").forEach(t -> byType.set(t.get("destination_type").asText(), t));
        return byType;
    }

    /** The latency percentiles of complete minutes as the API serves them, read directly. */
    private Map<String, Double> latenciesServedByTheApi(String token, Instant from)
            throws Exception {
        URI uri =
                URI.create(
                        "http://127.0.0.1:"
                                + server.port()
                                + "/v1/workspaces/"
                                + WS
                                + "/delivery-metrics?granularity=minute&group_by=pair&start="
                                + from
                                + "&end="
                                + COMPLETE_THROUGH
                                + "&metrics=latency_p50,latency_p95,latency_p99");
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(uri)
                                        .header("Authorization", "Bearer " + token)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode root = new ObjectMapper().readTree(response.body());
        Map<String, Double> out = new HashMap<>();
        for (JsonNode series : root.get("series")) {
            for (JsonNode p : series.get("points")) {
                for (String q : List.of("p50", "p95", "p99")) {
                    JsonNode v = p.get("latency_" + q);
                    if (v != null && v.isNumber()) {
                        out.put(
                                key(
                                        "event_delivery.latency." + q,
                                        series.get("source_id").asText(),
                                        series.get("destination_id").asText(),
                                        Instant.parse(p.get("start").asText())),
                                v.doubleValue());
                    }
                }
            }
        }
        return out;
    }
}
