package io.deliverymetrics.core.metrics;

import io.deliverymetrics.core.model.Outcome;
import java.util.Arrays;

/**
 * The outcome counters of one row of a bucket's event breakdown: successes, retried, discarded,
 * expired and filtered, counted as the bucket counts them (events for terminal outcomes, attempts
 * for {@code retrying}). Changed only by {@link MetricBucket}.
 */
public final class OutcomeCounts {

    private static final int OUTCOMES = Outcome.values().length;

    private final long[] counts = new long[OUTCOMES];

    OutcomeCounts() {}

    /** Counts in the order successes, retried, discarded, expired, filtered. */
    public static OutcomeCounts of(
            long successes, long retried, long discarded, long expired, long filtered) {
        OutcomeCounts c = new OutcomeCounts();
        long[] values = {successes, retried, discarded, expired, filtered};
        for (Outcome o : Outcome.values()) {
            long v = values[index(o)];
            if (v < 0) {
                throw new IllegalArgumentException("negative " + o.wireName() + " count: " + v);
            }
            c.counts[o.ordinal()] = v;
        }
        return c;
    }

    /** Position of {@code o} in the argument order of {@link #of}. */
    private static int index(Outcome o) {
        return switch (o) {
            case DELIVERED -> 0;
            case RETRYING -> 1;
            case DISCARDED -> 2;
            case EXPIRED -> 3;
            case FILTERED -> 4;
        };
    }

    void increment(Outcome o) {
        counts[o.ordinal()]++;
    }

    void add(OutcomeCounts other) {
        for (int i = 0; i < OUTCOMES; i++) {
            counts[i] += other.counts[i];
        }
    }

    OutcomeCounts copy() {
        OutcomeCounts c = new OutcomeCounts();
        System.arraycopy(counts, 0, c.counts, 0, OUTCOMES);
        return c;
    }

    public long count(Outcome o) {
        return counts[o.ordinal()];
    }

    public long successes() {
        return count(Outcome.DELIVERED);
    }

    public long retried() {
        return count(Outcome.RETRYING);
    }

    public long discarded() {
        return count(Outcome.DISCARDED);
    }

    public long expired() {
        return count(Outcome.EXPIRED);
    }

    public long filtered() {
        return count(Outcome.FILTERED);
    }

    /** Every attempt counted here, whatever its outcome. */
    public long attempts() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutcomeCounts c && Arrays.equals(counts, c.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "{successes="
                + successes()
                + ", retried="
                + retried()
                + ", discarded="
                + discarded()
                + ", expired="
                + expired()
                + ", filtered="
                + filtered()
                + '}';
    }
}
