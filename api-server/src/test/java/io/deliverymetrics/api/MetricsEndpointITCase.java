package io.deliverymetrics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deliverymetrics.api.http.OpenMetricsWriter;
import io.deliverymetrics.api.http.RequestMetrics;
import io.deliverymetrics.api.support.AttemptBuilder;
import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.Expected;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.Promtool;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics}: per-pair gauges of each shard's last complete minute over real shards,
 * checked against the seeded attempts and by Prometheus' own promtool.
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
        // The watermark is ahead: the export must take the final minutes, not the complete ones.
        d.progress(0, COMPLETE_0.plusSeconds(90), COMPLETE_0);
        d.progress(1, COMPLETE_1.plusSeconds(60), COMPLETE_1);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldServeEachShardsLastFinalMinutePerPairAsOpenMetrics() {
        HttpResponse<String> r = api.getText("/metrics", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains(OpenMetricsWriter.CONTENT_TYPE);
        assertThat(r.body()).endsWith("\n# EOF\n");
        Map<String, String> samples = samples(r.body());
        List<PairKey> exported =
                List.of(
                        new PairKey(ws0, "src_app", "dst_wh"),
                        new PairKey(ws0, "src_web", "dst_amp"),
                        new PairKey(ws1, WEIRD_SOURCE, WEIRD_DESTINATION),
                        new PairKey(ws1, "src_web", "dst_amp"));
        for (PairKey p : exported) {
            Instant complete = p.workspaceId().equals(ws0) ? COMPLETE_0 : COMPLETE_1;
            Expected e = lastMinute(p, complete);
            String labels = labels(p);
            assertThat(samples.get("event_delivery_successes" + labels))
                    .as("successes of %s", p)
                    .isEqualTo(Long.toString(e.successes()));
            assertThat(samples.get("event_delivery_retried" + labels))
                    .isEqualTo(Long.toString(e.retried()));
            assertThat(samples.get("event_delivery_discarded" + labels))
                    .isEqualTo(Long.toString(e.discarded()));
            assertThat(samples.get("event_delivery_expired" + labels))
                    .isEqualTo(Long.toString(e.expired()));
            assertThat(samples).containsKey("event_delivery_filtered" + labels);
            for (double q : new double[] {0.50, 0.95, 0.99}) {
                long exact = e.exactQuantile(q);
                String name = "event_delivery_latency_p" + Math.round(q * 100) + "_ms";
                assertThat(Double.parseDouble(samples.get(name + labels)))
                        .as("%s of %s (exact %d)", name, p, exact)
                        .isCloseTo(exact, within(exact * 0.01 + 0.001));
            }
        }
        assertThat(samples.get("event_delivery_final_through_seconds{shard=\"0\"}"))
                .isEqualTo(Long.toString(COMPLETE_0.getEpochSecond()));
        assertThat(samples.get("event_delivery_final_through_seconds{shard=\"1\"}"))
                .isEqualTo(Long.toString(COMPLETE_1.getEpochSecond()));
        assertThat(samples.get("event_delivery_export_shard_up{shard=\"0\"}")).isEqualTo("1");
        assertThat(samples.get("event_delivery_export_pairs")).isEqualTo("4");
        assertThat(samples.get("event_delivery_export_max_pairs")).isEqualTo("10000");
        assertThat(samples.get("event_delivery_export_truncated")).isEqualTo("0");
        assertThat(samples.keySet().stream().filter(k -> k.startsWith("event_delivery_successes")))
                .hasSize(4);
    }

    @Test
    void shouldPassPromtoolsLintAndOpenMetricsParser(@TempDir Path dir) {
        api.get("/healthz", null);
        api.getText("/no/such/route", null);
        String body = api.getText("/metrics", null).body();

        Promtool.Result lint = Promtool.checkMetrics(body);
        // The one finding we accept: the latency gauges keep the _ms names the Datadog mapping
        // uses, and promtool's lint prefers base units (seconds) spelled out. Any parse error
        // (exit 1) or other finding fails.
        List<String> findings = lint.output().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lint.exitCode()).as(lint.output()).isIn(0, 3);
        assertThat(findings)
                .as(lint.output())
                .allMatch(
                        l ->
                                l.matches(
                                        "event_delivery_latency_p(50|95|99)_ms metric names should"
                                                + " not contain abbreviated units"));

        Promtool.Result parsed =
                Promtool.parseOpenMetrics(body, TestDeployment.NOW.getEpochSecond(), dir);
        assertThat(parsed.exitCode()).as(parsed.output()).isZero();
    }

    @Test
    void shouldEscapeQuotesBackslashesAndLineFeedsInLabelValues() {
        String body = api.getText("/metrics", null).body();

        assertThat(body)
                .contains(
                        "event_delivery_successes{workspace=\""
                                + ws1
                                + "\",source=\"we\\\"ird\\\\src\",destination=\"dst\\nline\"} 3\n");
    }

    @Test
    void shouldCountItsOwnRequestsByRouteTemplateAndStatus() {
        String healthz = "method=\"GET\",route=\"/healthz\",status=\"200\"";
        String ts =
                "method=\"GET\",route=\"/v1/workspaces/{workspace_id}/delivery-metrics\","
                        + "status=\"401\"";
        long healthzBefore = count(healthz);
        long tsBefore = count(ts);

        api.get("/healthz", null);
        api.get("/healthz", null);
        api.get("/v1/workspaces/" + ws0 + "/delivery-metrics", null);

        assertThat(count(healthz) - healthzBefore).isEqualTo(2);
        assertThat(count(ts) - tsBefore).isEqualTo(1);
    }

    @Test
    void shouldAskForATokenAndExportOnlyItsWorkspaceUpToTheCapWhenConfigured() {
        try (TestDeployment scoped =
                TestDeployment.start(
                        db,
                        names,
                        observed,
                        Map.of(
                                "metrics.require-token", "true",
                                "metrics.max-pairs", "1",
                                "dashboard.enabled", "false"))) {
            seedInto(scoped);

            HttpResponse<String> anonymous = scoped.getText("/metrics", null);
            HttpResponse<String> invalid =
                    scoped.getText("/metrics", "dm_0123456789abcdef.not-the-secret");
            HttpResponse<String> ok = scoped.getText("/metrics", scoped.token(ws0));

            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type").orElse(""))
                    .startsWith("application/problem+json");
            assertThat(invalid.statusCode()).isEqualTo(401);
            assertThat(ok.statusCode()).isEqualTo(200);
            Map<String, String> samples = samples(ok.body());
            assertThat(
                            samples.keySet().stream()
                                    .filter(k -> k.startsWith("event_delivery_successes")))
                    .containsExactly(
                            "event_delivery_successes"
                                    + labels(new PairKey(ws0, "src_app", "dst_wh")));
            assertThat(samples.get("event_delivery_export_truncated")).isEqualTo("1");
            assertThat(samples.get("event_delivery_export_max_pairs")).isEqualTo("1");
            assertThat(samples).containsKey("event_delivery_export_shard_up{shard=\"0\"}");
            assertThat(samples).doesNotContainKey("event_delivery_export_shard_up{shard=\"1\"}");
            assertThat(scoped.getText("/", null).statusCode())
                    .as("dashboard disabled")
                    .isEqualTo(404);
            assertThat(scoped.getText("/dashboard-config", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void shouldNotServeMetricsWhenDisabled() {
        try (TestDeployment off =
                TestDeployment.start(db, names, observed, Map.of("metrics.enabled", "false"))) {
            assertThat(off.getText("/metrics", null).statusCode()).isEqualTo(404);
            assertThat(off.server().routes()).noneMatch(route -> route.path().equals("/metrics"));
        }
    }

    // --- helpers

    private Expected lastMinute(PairKey p, Instant completeThrough) {
        Instant minute = completeThrough.minus(Duration.ofMinutes(1));
        return Expected.of(
                Attempts.select(attempts, minute, completeThrough, a -> a.pair().equals(p)));
    }

    private static String labels(PairKey p) {
        StringBuilder b = new StringBuilder("{workspace=\"");
        b.append(escape(p.workspaceId())).append("\",source=\"");
        b.append(escape(p.sourceId())).append("\",destination=\"");
        b.append(escape(p.destinationId())).append("\"}");
        return b.toString();
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private long count(String labels) {
        String v =
                samples(api.getText("/metrics", null).body())
                        .get(RequestMetrics.NAME + "_count{" + labels + "}");
        return v == null ? 0 : Long.parseLong(v);
    }

    /** Sample lines as "name{labels}" → value (labels as served, in order). */
    private static Map<String, String> samples(String body) {
        assertThat(body).as("served as OpenMetrics").isNotEmpty();
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), line.substring(space + 1));
        }
        return out;
    }
}
