package io.deliverymetrics.bench.internal;

/**
 * Counts of durations in whole milliseconds, exact up to {@code maxMillis} (larger values are kept
 * in an overflow count and by the maximum), for percentiles over millions of samples without
 * keeping them. Thread-safe.
 */
public final class MillisHistogram {

    private final long[] counts;
    private long overflow;
    private long total;
    private long max = Long.MIN_VALUE;

    public MillisHistogram(int maxMillis) {
        this.counts = new long[maxMillis + 1];
    }

    /** Adds one sample; negative values count as 0 ms. */
    public synchronized void add(long millis) {
        long v = Math.max(0, millis);
        if (v < counts.length) {
            counts[(int) v]++;
        } else {
            overflow++;
        }
        total++;
        max = Math.max(max, v);
    }

    public synchronized long count() {
        return total;
    }

    /** The largest sample, NaN when empty. */
    public synchronized double max() {
        return total == 0 ? Double.NaN : max;
    }

    /**
     * The nearest-rank quantile ({@code q} in (0, 1]): the smallest value with at least {@code
     * ceil(q · n)} samples at or below it; NaN when empty, the maximum when it is in the overflow.
     */
    public synchronized double quantile(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int ms = 0; ms < counts.length; ms++) {
            seen += counts[ms];
            if (seen >= rank) {
                return ms;
            }
        }
        return max;
    }
}
