package io.deliverymetrics.core.metrics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;

/**
 * Factory for the project's one latency sketch configuration: a DDSketch over milliseconds with 1 %
 * relative accuracy.
 *
 * <p>Every sketch in the system uses this same index mapping, which is what makes merges exact (bin
 * counts simply add) and lets the binary encoding omit the mapping.
 */
public final class LatencySketch {

    /** Relative accuracy guaranteed for every quantile read from a sketch. */
    public static final double RELATIVE_ACCURACY = 0.01;

    static final IndexMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);

    private LatencySketch() {}

    /** A new, empty sketch. */
    public static DDSketch create() {
        return new DDSketch(MAPPING, UnboundedSizeDenseStore::new);
    }
}
