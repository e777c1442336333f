package io.deliverymetrics.core.metrics;

import java.util.Arrays;

/**
 * A pair's running totals over every final minute so far: the outcome counters and a cumulative
 * latency histogram, as Prometheus counters and histograms expose them. Totals only grow, since a
 * final minute never changes and is added once; {@link #plus} is the one way they move.
 *
 * @param latencySumMs sum of the delivered latencies in milliseconds
 * @param latencyAtMost per bound of {@link #LATENCY_BOUNDS_MS}, the latencies at most that bound
 *     (cumulative); the {@code +Inf} bucket is {@code latencyCount}
 */
public record DeliveryTotals(
        long successes,
        long retried,
        long discarded,
        long expired,
        long filtered,
        long latencyCount,
        long latencySumMs,
        long[] latencyAtMost) {

    /**
     * Upper bounds of the latency histogram in milliseconds: 10 ms to 5 min, about 2.5 per decade,
     * the range of end-to-end delivery latencies from a fast webhook to a slow batch API.
     */
    public static final double[] LATENCY_BOUNDS_MS = {
        10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000
    };

    /** Totals before any minute. */
    public static final DeliveryTotals ZERO =
            new DeliveryTotals(0, 0, 0, 0, 0, 0, 0, new long[LATENCY_BOUNDS_MS.length]);

    public DeliveryTotals {
        if (latencyAtMost.length != LATENCY_BOUNDS_MS.length) {
            throw new IllegalArgumentException(
                    "latencyAtMost needs one count per bound ("
                            + LATENCY_BOUNDS_MS.length
                            + "), had "
                            + latencyAtMost.length);
        }
        latencyAtMost = latencyAtMost.clone();
    }

    /** These totals with one more final minute added. */
    public DeliveryTotals plus(MetricBucket minute) {
        long[] le = minute.latencyCountsAtMost(LATENCY_BOUNDS_MS);
        for (int i = 0; i < le.length; i++) {
            le[i] += latencyAtMost[i];
        }
        return new DeliveryTotals(
                successes + minute.successes(),
                retried + minute.retried(),
                discarded + minute.discarded(),
                expired + minute.expired(),
                filtered + minute.filtered(),
                latencyCount + minute.latencyCount(),
                latencySumMs + minute.latencySumMs(),
                le);
    }

    /** The cumulative latency counts; a copy. */
    @Override
    public long[] latencyAtMost() {
        return latencyAtMost.clone();
    }

    /** All values as one array: the seven counters, then the histogram. */
    public long[] toArray() {
        long[] out = new long[7 + latencyAtMost.length];
        out[0] = successes;
        out[1] = retried;
        out[2] = discarded;
        out[3] = expired;
        out[4] = filtered;
        out[5] = latencyCount;
        out[6] = latencySumMs;
        System.arraycopy(latencyAtMost, 0, out, 7, latencyAtMost.length);
        return out;
    }

    /** The inverse of {@link #toArray}. */
    public static DeliveryTotals fromArray(long[] a) {
        return new DeliveryTotals(
                a[0], a[1], a[2], a[3], a[4], a[5], a[6], Arrays.copyOfRange(a, 7, a.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeliveryTotals t && Arrays.equals(toArray(), t.toArray());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toArray());
    }

    @Override
    public String toString() {
        return "DeliveryTotals" + Arrays.toString(toArray());
    }
}
