package io.deliverymetrics.api.model;

import com.fasterxml.jackson.core.JsonGenerator;
import io.deliverymetrics.core.metrics.MetricBucket;
import java.io.IOException;
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

    /** For each metric, whether it was requested before (it has one field, at the first). */
    private final boolean[] repeated;

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
        this.repeated = new boolean[this.metrics.length];
        for (int i = 0; i < this.metrics.length; i++) {
            Metric m = this.metrics[i];
            repeated[i] = metrics.subList(0, i).contains(m);
            quantileSlot[i] =
                    m.readsLatencySketch() ? Arrays.binarySearch(quantiles, m.quantile()) : -1;
        }
    }

    /** Puts each metric's value for {@code b} into {@code out} under its wire name, in order. */
    public void putAll(Map<String, Object> out, MetricBucket b) {
        double[] values = quantiles.length == 0 ? null : b.latencyQuantilesMs(quantiles);
        for (int i = 0; i < metrics.length; i++) {
            out.put(metrics[i].wireName(), value(i, b, values));
        }
    }

    /**
     * Writes each metric's value for {@code b} as a field of the object {@code g} is in: the same
     * names, order and values as {@link #putAll}.
     */
    public void writeAll(JsonGenerator g, MetricBucket b) throws IOException {
        double[] values = quantiles.length == 0 ? null : b.latencyQuantilesMs(quantiles);
        for (int i = 0; i < metrics.length; i++) {
            if (repeated[i]) {
                continue;
            }
            g.writeFieldName(metrics[i].wireName());
            Object v = value(i, b, values);
            if (v == null) {
                g.writeNull();
            } else if (v instanceof Long l) {
                g.writeNumber(l);
            } else if (v instanceof Double d) {
                g.writeNumber(d);
            } else if (v instanceof long[] a) {
                g.writeArray(a, 0, a.length);
            } else {
                throw new IllegalStateException(
                        metrics[i] + " has a value of type " + v.getClass().getName());
            }
        }
    }

    private Object value(int i, MetricBucket b, double[] quantileValues) {
        return quantileSlot[i] < 0
                ? metrics[i].valueOf(b)
                : Metric.definedOrNull(quantileValues[quantileSlot[i]]);
    }
}
