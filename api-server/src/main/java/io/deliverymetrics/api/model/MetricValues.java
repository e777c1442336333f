package io.deliverymetrics.api.model;

import io.deliverymetrics.core.metrics.MetricBucket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The requested metrics of a query, rendered bucket by bucket. Each value equals {@link
 * Metric#valueOf}; the latency percentiles of a bucket are read together, in one pass over its
 * sketch.
 */
public final class MetricValues {

    private final Metric[] metrics;

    /** The distinct quantiles of the requested percentiles, ascending. */
    private final double[] quantiles;

    /** For each metric, its quantile's position in {@link #quantiles}; -1 for the others. */
    private final int[] quantileSlot;

    public MetricValues(List<Metric> metrics) {
        this.metrics = metrics.toArray(Metric[]::new);
        this.quantiles =
                metrics.stream()
                        .filter(Metric::readsLatencySketch)
                        .mapToDouble(Metric::quantile)
                        .distinct()
                        .sorted()
                        .toArray();
        this.quantileSlot = new int[this.metrics.length];
        for (int i = 0; i < this.metrics.length; i++) {
            Metric m = this.metrics[i];
            quantileSlot[i] =
                    m.readsLatencySketch() ? Arrays.binarySearch(quantiles, m.quantile()) : -1;
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
