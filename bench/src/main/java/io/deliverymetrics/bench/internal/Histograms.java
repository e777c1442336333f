package io.deliverymetrics.bench.internal;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * How the suite records and reads its latency distributions: HdrHistogram with 3 significant digits
 * (a value is kept to within 0.1 %), resizing itself so that no sample is ever out of range.
 */
public final class Histograms {

    /** Significant decimal digits of every histogram of the suite. */
    public static final int DIGITS = 3;

    private Histograms() {}

    /** An empty histogram for one recording thread. */
    public static Histogram create() {
        return new Histogram(DIGITS);
    }

    /** An empty histogram that several threads may record into while another reads it. */
    public static Histogram concurrent() {
        return new ConcurrentHistogram(DIGITS);
    }

    /**
     * The value at {@code percentile} (0–100): the smallest recorded value (to the histogram's
     * precision) that at least that share of the samples does not exceed; 100 gives the largest.
     * NaN when the histogram is empty.
     */
    public static double at(Histogram h, double percentile) {
        if (h.getTotalCount() == 0) {
            return Double.NaN;
        }
        return percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
    }

    /** The largest recorded value (to the histogram's precision); NaN when empty. */
    public static double max(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue();
    }
}
