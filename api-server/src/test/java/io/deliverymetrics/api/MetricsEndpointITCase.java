package io.deliverymetrics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.Expected;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.exposition.Promtool;
import io.deliverymetrics.core.exposition.Scrape;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.TotalsRows;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics expositions over real shards: every workspace on the admin listener, one workspace
 * behind its token on the public one; per-pair counters and a latency histogram of the final
 * minutes, checked against the seeded attempts and by Prometheus' own promtool.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndpointITCase {

    private static final Instant FROM = Instant.parse("2026-11-26T11:54:00Z");
    private static final Instant TO = Instant.parse("2026-11-26T11:59:30Z");
    // Shard 0's job is a minute behind shard 1's: each shard exports its own last complete minute.
    private static final Instant COMPLETE_0 = Instant.parse("2026-11-26T11:58:00Z");
    private static final Instant COMPLETE_1 = Instant.parse("2026-11-26T11:59:00Z");
    private static final String WEIRD_SOURCE = "we\"ird\\src";
    private static final String WEIRD_DESTINATION = "dst\nline";

    private final EmbeddedMariaDb db;
    private final UniqueNames names;
    private final ObservedResponses observed;
    private final TestDeployment api;
    private final String ws0;
    private final String ws1;
    private final List<DeliveryAttempt> attempts = new ArrayList<>();

    MetricsEndpointITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.db = db;
        this.names = names;
        this.observed = observed;
        this.api = TestDeployment.start(db, names, observed, Map.of());
        this.ws0 = api.workspaceOnShard(0);
        this.ws1 = api.workspaceOnShard(1);
    }

    @BeforeAll
    void seed() {
        Random rnd = new Random(5);
        attempts.addAll(
                Attempts.generate(rnd, new PairKey(ws0, "src_web", "dst_amp"), FROM, TO, 400));
        attempts.addAll(
                Attempts.generate(rnd, new PairKey(ws0, "src_app", "dst_wh"), FROM, TO, 300));
        attempts.addAll(
                Attempts.generate(rnd, new PairKey(ws1, "src_web", "dst_amp"), FROM, TO, 200));
        for (int i = 0; i < 3; i++) {
            attempts.add(
                    AttemptBuilder.anAttempt()
                            .pair(ws1, WEIRD_SOURCE, WEIRD_DESTINATION)
                            .at(COMPLETE_1.minusSeconds(30 + i))
                            .delivered());
        }
        seedInto(api);
    }

    private void seedInto(TestDeployment d) {
        d.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        // The job's running totals: each pair's final minutes (those before its shard's
        // final_through) added up, minute by minute, as FinalMinuteTotals adds them.
        List<TotalsRows.PairTotals> totals = new ArrayList<>();
        Map<PairKey, List<DeliveryAttempt>> byPair = new TreeMap<>();
        for (DeliveryAttempt a : attempts) {
            byPair.computeIfAbsent(a.pair(), k -> new ArrayList<>()).add(a);
        }
        byPair.forEach(
                (pair, list) -> {
                    Instant fin = finalThroughOf(pair);
                    DeliveryTotals t = DeliveryTotals.ZERO;
                    for (PairBucket minute :
                            Attempts.rows(
                                    Granularity.MINUTE,
                                    Attempts.select(list, Instant.EPOCH, fin, a -> true))) {
                        t = t.plus(minute.bucket());
                    }
                    totals.add(new TotalsRows.PairTotals(pair, fin, t));
                });
        d.writeTotals(totals);
        // The watermark is ahead: the export must take the final minutes, not the complete ones.
        d.progress(0, COMPLETE_0.plusSeconds(90), COMPLETE_0);
        d.progress(1, COMPLETE_1.plusSeconds(60), COMPLETE_1);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldServeEveryWorkspacesLastFinalMinutePerPairToTheOperatorOnTheAdminListener() {
        HttpResponse<String> r = api.getAdmin("/metrics", Scrape.OPENMETRICS);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/openmetrics-text");
        assertThat(r.body()).endsWith("# EOF\n");
        Map<String, Double> samples = Scrape.samples(r.body());
        List<PairKey> exported =
                List.of(
                        new PairKey(ws0, "src_app", "dst_wh"),
                        new PairKey(ws0, "src_web", "dst_amp"),
                        new PairKey(ws1, WEIRD_SOURCE, WEIRD_DESTINATION),
                        new PairKey(ws1, "src_web", "dst_amp"));
        for (PairKey p : exported) {
            assertPairSeries(samples, p, finalMinutes(p));
        }
        assertThat(samples.get("event_delivery_final_through_seconds{shard=\"0\"}"))
                .isEqualTo(COMPLETE_0.getEpochSecond());
        assertThat(samples.get("event_delivery_final_through_seconds{shard=\"1\"}"))
                .isEqualTo(COMPLETE_1.getEpochSecond());
        assertThat(samples.get("event_delivery_export_shard_up{shard=\"0\"}")).isEqualTo(1);
        assertThat(samples.get("event_delivery_export_pairs")).isEqualTo(4);
        assertThat(samples.get("event_delivery_export_max_pairs")).isEqualTo(10_000);
        assertThat(samples.get("event_delivery_export_truncated")).isZero();
        assertThat(samples.keySet().stream().filter(k -> k.startsWith("event_delivery_successes")))
                .hasSize(4);
        assertThat(samples.keySet()).noneMatch(k -> k.contains("_ms"));
        assertThat(samples.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));
    }

    @Test
    void shouldShowAWorkspacesTokenOnlyThatWorkspacesSeries() {
        String path = "/v1/workspaces/" + ws0 + "/metrics";

        HttpResponse<String> anonymous = api.getText(path, null);
        HttpResponse<String> otherWorkspace = api.getText(path, api.token(ws1));
        HttpResponse<String> own = api.getText(path, api.token(ws0));

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/problem+json");
        assertThat(anonymous.body()).doesNotContain("event_delivery");
        assertThat(otherWorkspace.statusCode()).isEqualTo(403);
        assertThat(otherWorkspace.body()).doesNotContain("event_delivery");
        assertThat(own.statusCode()).isEqualTo(200);
        Map<String, Double> samples = Scrape.samples(own.body());
        for (PairKey p :
                List.of(
                        new PairKey(ws0, "src_app", "dst_wh"),
                        new PairKey(ws0, "src_web", "dst_amp"))) {
            assertPairSeries(samples, p, finalMinutes(p));
        }
        assertThat(samples.keySet().stream().filter(k -> k.startsWith("event_delivery_successes")))
                .hasSize(2);
        assertThat(own.body())
                .doesNotContain(ws1)
                .doesNotContain("shard=")
                .doesNotContain("jvm_")
                .doesNotContain("delivery_metrics_api_");
        assertThat(samples.get("event_delivery_final_through_seconds"))
                .isEqualTo(COMPLETE_0.getEpochSecond());
    }

    @Test
    void shouldAnswerNoWorkspacesDataOnThePublicListenersMetricsPath() {
        HttpResponse<String> anonymous = api.getText("/metrics", null);
        HttpResponse<String> withToken = api.getText("/metrics", api.token(ws0));

        assertThat(anonymous.statusCode()).isEqualTo(404);
        assertThat(anonymous.body()).doesNotContain("event_delivery").doesNotContain(ws0);
        assertThat(withToken.statusCode()).isEqualTo(404);
        assertThat(withToken.body()).doesNotContain("event_delivery");
    }

    @Test
    void shouldPassPromtoolsLintAndOpenMetricsParserOnBothExpositions(@TempDir Path dir)
            throws Exception {
        api.get("/healthz", null);
        api.getText("/no/such/route", null);
        String workspacePath = "/v1/workspaces/" + ws1 + "/metrics";
        String token = api.token(ws1);
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("operator", api.getAdmin("/metrics", Scrape.PROMETHEUS_TEXT).body());
        texts.put("workspace", api.getText(workspacePath, token).body());
        Map<String, String> openMetrics = new LinkedHashMap<>();
        openMetrics.put("operator", api.getAdmin("/metrics", Scrape.OPENMETRICS).body());
        openMetrics.put("workspace", api.getText(workspacePath, token, Scrape.OPENMETRICS).body());

        for (Map.Entry<String, String> e : texts.entrySet()) {
            Promtool.Result lint = Promtool.checkMetrics(e.getValue());
            assertThat(lint.exitCode()).as(e.getKey() + ": " + lint.output()).isZero();
            assertThat(lint.output().strip()).as(e.getKey()).isEmpty();
        }
        for (Map.Entry<String, String> e : openMetrics.entrySet()) {
            Path sub = java.nio.file.Files.createDirectory(dir.resolve(e.getKey()));
            Promtool.Result parsed =
                    Promtool.parseOpenMetrics(
                            e.getValue(), TestDeployment.NOW.getEpochSecond(), sub);
            assertThat(parsed.exitCode()).as(e.getKey() + ": " + parsed.output()).isZero();
        }
    }

    @Test
    void shouldEscapeQuotesBackslashesAndLineFeedsInLabelValues() {
        String body = api.getAdmin("/metrics", Scrape.OPENMETRICS).body();

        assertThat(body)
                .contains(
                        "event_delivery_successes_total{destination=\"dst\\nline\",source=\"we\\\"ird\\\\src\",workspace=\""
                                + ws1
                                + "\"} 3.0\n");
    }

    @Test
    void shouldCountItsOwnRequestsByRouteTemplateAndStatus() {
        String healthz = "method=\"GET\",route=\"/healthz\",status=\"200\"";
        String ts =
                "method=\"GET\",route=\"/v1/workspaces/{workspace_id}/delivery-metrics\","
                        + "status=\"401\"";
        double healthzBefore = count(healthz);
        double tsBefore = count(ts);

        api.get("/healthz", null);
        api.get("/healthz", null);
        api.get("/v1/workspaces/" + ws0 + "/delivery-metrics", null);

        assertThat(count(healthz) - healthzBefore).isEqualTo(2);
        assertThat(count(ts) - tsBefore).isEqualTo(1);
    }

    @Test
    void shouldExportAWorkspaceUpToTheCapAndSayWhenItLeftPairsOut() {
        try (TestDeployment capped =
                TestDeployment.start(
                        db,
                        names,
                        observed,
                        Map.of("metrics.max-pairs", "1", "dashboard.enabled", "false"))) {
            seedInto(capped);

            HttpResponse<String> ok =
                    capped.getText("/v1/workspaces/" + ws0 + "/metrics", capped.token(ws0));

            assertThat(ok.statusCode()).isEqualTo(200);
            Map<String, Double> samples = Scrape.samples(ok.body());
            assertThat(
                            samples.keySet().stream()
                                    .filter(k -> k.startsWith("event_delivery_successes")))
                    .containsExactly(
                            "event_delivery_successes_total"
                                    + Scrape.pairLabels(ws0, "src_app", "dst_wh"));
            assertThat(samples.get("event_delivery_export_truncated")).isEqualTo(1);
            assertThat(samples.get("event_delivery_export_max_pairs")).isEqualTo(1);
            assertThat(capped.getText("/", null).statusCode())
                    .as("dashboard disabled")
                    .isEqualTo(404);
            assertThat(capped.getText("/dashboard-config", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void shouldServeNoDeliverySeriesWhenDisabledButKeepTheProcessMetrics() {
        try (TestDeployment off =
                TestDeployment.start(db, names, observed, Map.of("metrics.enabled", "false"))) {
            assertThat(
                            off.getText("/v1/workspaces/" + ws0 + "/metrics", off.token(ws0))
                                    .statusCode())
                    .isEqualTo(404);
            assertThat(off.server().routes()).noneMatch(route -> route.path().endsWith("/metrics"));
            String operator = off.getAdmin("/metrics", Scrape.OPENMETRICS).body();
            assertThat(operator)
                    .doesNotContain("event_delivery_")
                    .contains("jvm_memory_used_bytes");
        }
    }

    private void assertPairSeries(
            Map<String, Double> samples, PairKey p, List<DeliveryAttempt> finalAttempts) {
        Expected e = Expected.of(finalAttempts);
        String labels = Scrape.pairLabels(p.workspaceId(), p.sourceId(), p.destinationId());
        assertThat(samples.get("event_delivery_successes_total" + labels))
                .as("successes of %s", p)
                .isEqualTo(e.successes());
        assertThat(samples.get("event_delivery_retried_total" + labels)).isEqualTo(e.retried());
        assertThat(samples.get("event_delivery_discarded_total" + labels)).isEqualTo(e.discarded());
        assertThat(samples.get("event_delivery_expired_total" + labels)).isEqualTo(e.expired());
        assertThat(samples).containsKey("event_delivery_filtered_total" + labels);
        List<Long> latencies =
                finalAttempts.stream()
                        .filter(a -> a.outcome() == Outcome.DELIVERED)
                        .map(a -> a.completedAt().toEpochMilli() - a.receivedAt().toEpochMilli())
                        .toList();
        String inner = labels.substring(1, labels.length() - 1);
        assertThat(samples.get("event_delivery_latency_seconds_count" + labels))
                .isEqualTo(latencies.size());
        assertThat(samples.get("event_delivery_latency_seconds_sum" + labels))
                .isCloseTo(
                        latencies.stream().mapToLong(Long::longValue).sum() / 1000.0, within(1e-6));
        for (double bound : DeliveryTotals.LATENCY_BOUNDS_MS) {
            // A latency within 1 % of a bound may be counted on either side of it.
            long surelyBelow = latencies.stream().filter(ms -> ms <= bound * 0.99).count();
            long possiblyBelow = latencies.stream().filter(ms -> ms <= bound * 1.01).count();
            String le = "{" + inner + ",le=\"" + Scrape.number(bound / 1000.0) + "\"}";
            assertThat(samples.get("event_delivery_latency_seconds_bucket" + le))
                    .as("%s le %s ms", p, bound)
                    .isBetween((double) surelyBelow, (double) possiblyBelow);
        }
        assertThat(samples.get("event_delivery_latency_seconds_bucket{" + inner + ",le=\"+Inf\"}"))
                .isEqualTo(latencies.size());
    }

    private List<DeliveryAttempt> finalMinutes(PairKey p) {
        return Attempts.select(attempts, Instant.EPOCH, finalThroughOf(p), a -> a.pair().equals(p));
    }

    private Instant finalThroughOf(PairKey p) {
        return p.workspaceId().equals(ws0) ? COMPLETE_0 : COMPLETE_1;
    }

    private double count(String labels) {
        Double v =
                api.adminSamples()
                        .get("delivery_metrics_api_request_duration_seconds_count{" + labels + "}");
        return v == null ? 0 : v;
    }
}
