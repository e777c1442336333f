package io.deliverymetrics.loadgen.truth;

import java.util.List;
import java.util.SortedMap;

/**
 * The exact metrics of one pair in one time bucket, as the pipeline must report them.
 *
 * <p>Terminal outcomes count events, {@code retried} counts attempts. Latency is {@code
 * completed_at − received_at} in whole ms of delivered events. Percentile p is the value at 0-based
 * rank {@code floor(p × (n − 1) / 100)} of the ascending latencies (integer arithmetic), null when
 * there is no delivered event.
 *
 * @param records attempt records aggregated into this bucket
 * @param successesByAttempt 10 counts; index i = delivered on attempt i + 1, index 9 = attempt ≥ 10
 * @param errors count per {@code "outcome:error_code"} of retrying, discarded and expired records
 */
public record BucketTotals(
        long records,
        long successes,
        List<Long> successesByAttempt,
        long retried,
        long discarded,
        long expired,
        long filtered,
        long latencyCount,
        long latencySumMs,
        long latencyMaxMs,
        Long latencyP50Ms,
        Long latencyP90Ms,
        Long latencyP95Ms,
        Long latencyP99Ms,
        SortedMap<String, Long> errors) {

    /** Number of attempt slots in {@link #successesByAttempt()}. */
    public static final int ATTEMPT_SLOTS = 10;

    /** The value at 0-based rank floor(percent × (n − 1) / 100) of ascending {@code sorted}. */
    public static long percentile(long[] sorted, int n, int percent) {
        if (n <= 0) {
            throw new IllegalArgumentException("no values to take a percentile of");
        }
        return sorted[(int) ((long) percent * (n - 1) / 100)];
    }
}
