package io.deliverymetrics.api.metrics;

import io.deliverymetrics.api.model.DeliveryGauges;
import io.deliverymetrics.api.model.DeliveryGauges.ShardStatus;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The per-pair delivery series of one scrape, as Prometheus client snapshots: each shard's last
 * final minute per (workspace, source, destination), and the export's own health.
 *
 * <p>The delivery counts are gauges of one final minute: the API server keeps no running totals
 * (any replica answers, restarts lose nothing), and a final minute's count never changes, so {@code
 * event_delivery_successes} reads directly as "deliveries in the last final minute".
 */
public final class DeliverySeries {

    private static final String MINUTE = " in the last final minute of the pair's shard.";

    private record Count(String name, String help, ToLongFunction<MetricBucket> value) {}

    private record Quantile(String name, String help, double q) {}

    private static final List<Count> COUNTS =
            List.of(
                    new Count(
                            "event_delivery_successes",
                            "Events delivered (terminal success)" + MINUTE,
                            MetricBucket::successes),
                    new Count(
                            "event_delivery_retried",
                            "Failed attempts that will be retried (attempts, not events)" + MINUTE,
                            MetricBucket::retried),
                    new Count(
                            "event_delivery_discarded",
                            "Events discarded: rejected or not retryable (terminal)" + MINUTE,
                            MetricBucket::discarded),
                    new Count(
                            "event_delivery_expired",
                            "Events whose retries ran out (terminal)" + MINUTE,
                            MetricBucket::expired),
                    new Count(
                            "event_delivery_filtered",
                            "Events dropped by a destination filter (not a failure)" + MINUTE,
                            MetricBucket::filtered));

    private static final String LATENCY =
            " end-to-end latency in milliseconds (received to delivered) of the deliveries"
                    + MINUTE
                    + " From the merged DDSketch (1 percent relative accuracy); absent when"
                    + " nothing was delivered.";

    private static final List<Quantile> QUANTILES =
            List.of(
                    new Quantile("event_delivery_latency_p50_ms", "Median" + LATENCY, 0.50),
                    new Quantile(
                            "event_delivery_latency_p95_ms", "95th percentile" + LATENCY, 0.95),
                    new Quantile(
                            "event_delivery_latency_p99_ms", "99th percentile" + LATENCY, 0.99));

    /** Whose series a scrape shows. */
    public enum Scope {
        /** Every workspace of every shard, with the shards' own health. */
        OPERATOR,
        /** One workspace: its pairs and how final its data is; nothing about shards or others. */
        WORKSPACE
    }

    private DeliverySeries() {}

    /** The snapshots of {@code gauges} as {@code scope} may see them. */
    public static MetricSnapshots of(DeliveryGauges gauges, Scope scope) {
        List<MetricSnapshot> out = new ArrayList<>();
        for (Count c : COUNTS) {
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(c.name()).help(c.help());
            for (PairBucket p : gauges.pairs()) {
                b.dataPoint(point(c.value().applyAsLong(p.bucket()), labels(p)));
            }
            out.add(b.build());
        }
        for (Quantile q : QUANTILES) {
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(q.name()).help(q.help());
            for (PairBucket p : gauges.pairs()) {
                if (p.bucket().latencyCount() > 0) {
                    // Micro-second resolution is plenty for a 1 % relative-accuracy sketch.
                    double ms = Math.round(p.bucket().latencyQuantileMs(q.q()) * 1000) / 1000.0;
                    b.dataPoint(point(ms, labels(p)));
                }
            }
            out.add(b.build());
        }
        GaugeSnapshot.Builder finalThrough =
                GaugeSnapshot.builder()
                        .name("event_delivery_final_through_seconds")
                        .unit(Unit.SECONDS)
                        .help(
                                "Unix time up to which minutes are final: the exported minute"
                                        + " ends here. Alert on time() minus this to catch a"
                                        + " stalled pipeline.");
        for (ShardStatus s : gauges.shards()) {
            Labels labels =
                    scope == Scope.OPERATOR
                            ? Labels.of("shard", Integer.toString(s.shard()))
                            : Labels.EMPTY;
            s.finalThrough()
                    .ifPresent(t -> finalThrough.dataPoint(point(t.getEpochSecond(), labels)));
        }
        out.add(finalThrough.build());
        if (scope == Scope.OPERATOR) {
            GaugeSnapshot.Builder up =
                    GaugeSnapshot.builder()
                            .name("event_delivery_export_shard_up")
                            .help(
                                    "1 when the shard was read for this scrape, 0 when it could"
                                            + " not be reached.");
            for (ShardStatus s : gauges.shards()) {
                up.dataPoint(
                        point(s.up() ? 1 : 0, Labels.of("shard", Integer.toString(s.shard()))));
            }
            out.add(up.build());
        }
        out.add(
                single(
                        "event_delivery_export_pairs",
                        "Pairs exported by this scrape.",
                        gauges.pairs().size()));
        out.add(
                single(
                        "event_delivery_export_max_pairs",
                        "Most pairs one scrape exports (metrics.max-pairs).",
                        gauges.maxPairs()));
        out.add(
                single(
                        "event_delivery_export_truncated",
                        "1 when pairs with data were left out because of metrics.max-pairs.",
                        gauges.truncated() ? 1 : 0));
        return new MetricSnapshots(out);
    }

    private static GaugeSnapshot single(String name, String help, double value) {
        return GaugeSnapshot.builder()
                .name(name)
                .help(help)
                .dataPoint(point(value, Labels.EMPTY))
                .build();
    }

    private static GaugeDataPointSnapshot point(double value, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    private static Labels labels(PairBucket p) {
        return Labels.of(
                "workspace", p.pair().workspaceId(),
                "source", p.pair().sourceId(),
                "destination", p.pair().destinationId());
    }
}
