package io.deliverymetrics.api.model;

import io.deliverymetrics.core.metrics.MetricBucket;
import java.util.List;
import java.util.Map;

/**
 * The requested metrics of a query, rendered bucket by bucket. Each value equals {@link
 * Metric#valueOf}; the latency percentiles of a bucket are read together, in one pass over its
 * sketch.
 */
public final class MetricValues {

    private final Metric[] metrics;

    /** The percentiles' quantiles in ascending order, one per percentile metric. */
    private final double[] quantiles;

    /** For each metric, its position in {@link #quantiles}; -1 for the others. */
    private final int[] quantileSlot;

    public MetricValues(List<Metric> metrics) {
        this.metrics = metrics.toArray(Metric[]::new);
        this.quantiles =
                metrics.stream()
                        .filter(Metric::readsLatencySketch)
                        .mapToDouble(Metric::quantile)
                        .sorted()
                        .toArray();
        this.quantileSlot = new int[this.metrics.length];
        boolean[] taken = new boolean[quantiles.length];
        for (int i = 0; i < this.metrics.length; i++) {
            quantileSlot[i] = -1;
            for (int j = 0; j < quantiles.length && quantileSlot[i] < 0; j++) {
                if (!taken[j] && quantiles[j] == this.metrics[i].quantile()) {
                    taken[j] = true;
                    quantileSlot[i] = j;
                }
            }
        }
    }

    /** Puts each metric's value for {@code b} into {@code out} under its wire name, in order. */
    public void putAll(Map<String, Object> out, MetricBucket b) {
        double[] values = quantiles.length == 0 ? null : b.latencyQuantilesMs(quantiles);
        for (int i = 0; i < metrics.length; i++) {
            Metric m = metrics[i];
            out.put(
                    m.wireName(),
                    quantileSlot[i] < 0
                            ? m.valueOf(b)
                            : Metric.definedOrNull(values[quantileSlot[i]]));
        }
    }
}
