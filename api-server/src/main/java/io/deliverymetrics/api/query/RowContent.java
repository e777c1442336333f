package io.deliverymetrics.api.query;

import io.deliverymetrics.api.model.Metric;
import java.util.Collection;

/**
 * Which parts of a row a query needs besides the counters: the latency sketch (only latency
 * quantiles read it) and the error breakdown (only the errors endpoint reads it). Both are most of
 * a row's bytes and decoding work, so a query reads them only when its answer depends on them.
 *
 * @param latencySketches read and merge the latency sketches
 * @param errors read and merge the error rows
 * @param events read and merge the event breakdown (only the event groupings read it)
 * @param samples read and merge the error samples (only the samples endpoint reads them)
 */
public record RowContent(boolean latencySketches, boolean errors, boolean events, boolean samples) {

    /** Without the event breakdown and the error samples. */
    public RowContent(boolean latencySketches, boolean errors) {
        this(latencySketches, errors, false, false);
    }

    /** The same, with the event breakdown too. */
    public RowContent withEvents() {
        return new RowContent(latencySketches, errors, true, samples);
    }

    /** What rendering {@code metrics} needs: sketches only for quantiles, never error rows. */
    public static RowContent forMetrics(Collection<Metric> metrics) {
        boolean quantiles = false;
        for (Metric m : metrics) {
            quantiles |= m.readsLatencySketch();
        }
        return new RowContent(quantiles, false);
    }

    /** What the error breakdown needs: counters and error rows, no sketches. */
    public static RowContent forErrors() {
        return new RowContent(false, true);
    }

    /** What the error samples need: error rows and their samples. */
    public static RowContent forSamples() {
        return new RowContent(false, true, false, true);
    }
}
