package io.deliverymetrics.api.metrics;

import io.deliverymetrics.api.model.DeliveryExport;
import io.deliverymetrics.api.model.DeliveryExport.ShardStatus;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.sql.TotalsRows.PairTotals;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The per-pair delivery series of one scrape, as Prometheus client snapshots: each pair's running
 * totals over its final minutes as counters and a latency histogram, and the export's own health.
 *
 * <p>Counters of <em>final</em> minutes: a minute is added once the allowed lateness has passed it,
 * so no late record can change a value once exported, and {@code increase()} and {@code rate()}
 * over any window mean what they mean everywhere else, whatever the scrape interval or a missed
 * scrape. The totals live in the shard's {@code delivery_totals}, so every API replica exposes the
 * same value and a restarted server continues where it was.
 */
public final class DeliverySeries {

    /** Upper bounds of the latency histogram in seconds (the totals' bounds, in ms). */
    static final double[] LATENCY_BOUNDS_SECONDS = boundsInSeconds();

    private record Count(String name, String help, ToLongFunction<DeliveryTotals> value) {}

    private static final String FINAL = " in the pair's final minutes (a running total).";

    private static final List<Count> COUNTS =
            List.of(
                    new Count(
                            "event_delivery_successes",
                            "Events delivered (terminal success)" + FINAL,
                            DeliveryTotals::successes),
                    new Count(
                            "event_delivery_retried",
                            "Failed attempts that will be retried (attempts, not events)" + FINAL,
                            DeliveryTotals::retried),
                    new Count(
                            "event_delivery_discarded",
                            "Events discarded: rejected or not retryable (terminal)" + FINAL,
                            DeliveryTotals::discarded),
                    new Count(
                            "event_delivery_expired",
                            "Events whose retries ran out (terminal)" + FINAL,
                            DeliveryTotals::expired),
                    new Count(
                            "event_delivery_filtered",
                            "Events dropped by a destination filter (not a failure)" + FINAL,
                            DeliveryTotals::filtered));

    /** Whose series a scrape shows. */
    public enum Scope {
        /** Every workspace of every shard, with the shards' own health. */
        OPERATOR,
        /** One workspace: its pairs and how final its data is; nothing about shards or others. */
        WORKSPACE
    }

    private DeliverySeries() {}

    /** The snapshots of {@code export} as {@code scope} may see them. */
    public static MetricSnapshots of(DeliveryExport export, Scope scope) {
        List<MetricSnapshot> out = new ArrayList<>();
        for (Count c : COUNTS) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(c.name()).help(c.help());
            for (PairTotals p : export.pairs()) {
                b.dataPoint(
                        CounterDataPointSnapshot.builder()
                                .value(c.value().applyAsLong(p.totals()))
                                .labels(labels(p))
                                .build());
            }
            out.add(b.build());
        }
        HistogramSnapshot.Builder latency =
                HistogramSnapshot.builder()
                        .name("event_delivery_latency_seconds")
                        .unit(Unit.SECONDS)
                        .help(
                                "End-to-end latency (received to delivered) of the deliveries in"
                                        + " the pair's final minutes. Bucket counts come from the"
                                        + " minutes' DDSketches: a latency within 1 percent of a"
                                        + " bound may be counted on either side of it.");
        for (PairTotals p : export.pairs()) {
            latency.dataPoint(histogram(p.totals(), labels(p)));
        }
        out.add(latency.build());
        GaugeSnapshot.Builder finalThrough =
                GaugeSnapshot.builder()
                        .name("event_delivery_final_through_seconds")
                        .unit(Unit.SECONDS)
                        .help(
                                "Unix time up to which minutes are final: the exported minute"
                                        + " ends here. Alert on time() minus this to catch a"
                                        + " stalled pipeline.");
        for (ShardStatus s : export.shards()) {
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
            for (ShardStatus s : export.shards()) {
                up.dataPoint(
                        point(s.up() ? 1 : 0, Labels.of("shard", Integer.toString(s.shard()))));
            }
            out.add(up.build());
        }
        out.add(
                single(
                        "event_delivery_export_pairs",
                        "Pairs exported by this scrape.",
                        export.pairs().size()));
        out.add(
                single(
                        "event_delivery_export_max_pairs",
                        "Most pairs one scrape exports (metrics.max-pairs).",
                        export.maxPairs()));
        out.add(
                single(
                        "event_delivery_export_truncated",
                        "1 when pairs with data were left out because of metrics.max-pairs.",
                        export.truncated() ? 1 : 0));
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

    private static HistogramDataPointSnapshot histogram(DeliveryTotals t, Labels labels) {
        long[] atMost = t.latencyAtMost();
        double[] bounds = new double[atMost.length + 1];
        long[] counts = new long[atMost.length + 1];
        long below = 0;
        for (int i = 0; i < atMost.length; i++) {
            bounds[i] = LATENCY_BOUNDS_SECONDS[i];
            counts[i] = atMost[i] - below;
            below = atMost[i];
        }
        bounds[atMost.length] = Double.POSITIVE_INFINITY;
        counts[atMost.length] = t.latencyCount() - below;
        return HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                .sum(t.latencySumMs() / 1000.0)
                .labels(labels)
                .build();
    }

    private static double[] boundsInSeconds() {
        double[] ms = DeliveryTotals.LATENCY_BOUNDS_MS;
        double[] s = new double[ms.length];
        for (int i = 0; i < ms.length; i++) {
            s[i] = ms[i] / 1000.0;
        }
        return s;
    }

    private static Labels labels(PairTotals p) {
        return Labels.of(
                "workspace", p.pair().workspaceId(),
                "source", p.pair().sourceId(),
                "destination", p.pair().destinationId());
    }
}
