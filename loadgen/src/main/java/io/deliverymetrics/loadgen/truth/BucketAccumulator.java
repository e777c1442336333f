package io.deliverymetrics.loadgen.truth;

import io.deliverymetrics.loadgen.model.Attempt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Mutable running totals of one pair-bucket; keeps every latency so percentiles are exact. */
final class BucketAccumulator {

    private long records;
    private long successes;
    private final long[] successesByAttempt = new long[BucketTotals.ATTEMPT_SLOTS];
    private long retried;
    private long discarded;
    private long expired;
    private long filtered;
    private long latencySum;
    private long latencyMax;
    private long[] latencies = new long[4];
    private int latencyCount;
    private final Map<String, long[]> errors = new TreeMap<>();

    void add(Attempt a) {
        records++;
        switch (a.outcome()) {
            case DELIVERED -> {
                successes++;
                successesByAttempt[Math.min(a.attempt(), BucketTotals.ATTEMPT_SLOTS) - 1]++;
                addLatency(a.latencyMs());
            }
            case RETRYING -> retried++;
            case DISCARDED -> discarded++;
            case EXPIRED -> expired++;
            case FILTERED -> filtered++;
            default -> throw new IllegalStateException("unknown outcome " + a.outcome());
        }
        if (a.outcome().requiresErrorCode()) {
            errors.computeIfAbsent(a.outcome().wireName() + ':' + a.errorCode(), k -> new long[1])[
                    0]++;
        }
    }

    void merge(BucketAccumulator o) {
        records += o.records;
        successes += o.successes;
        for (int i = 0; i < successesByAttempt.length; i++) {
            successesByAttempt[i] += o.successesByAttempt[i];
        }
        retried += o.retried;
        discarded += o.discarded;
        expired += o.expired;
        filtered += o.filtered;
        for (int i = 0; i < o.latencyCount; i++) {
            addLatency(o.latencies[i]);
        }
        o.errors.forEach((k, v) -> errors.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
    }

    private void addLatency(long ms) {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = ms;
        latencySum += ms;
        latencyMax = Math.max(latencyMax, ms);
    }

    BucketTotals snapshot() {
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        List<Long> byAttempt = new ArrayList<>(successesByAttempt.length);
        for (long c : successesByAttempt) {
            byAttempt.add(c);
        }
        SortedMap<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((k, v) -> errorCounts.put(k, v[0]));
        return new BucketTotals(
                records,
                successes,
                List.copyOf(byAttempt),
                retried,
                discarded,
                expired,
                filtered,
                latencyCount,
                latencySum,
                latencyMax,
                latencyCount == 0 ? null : BucketTotals.percentile(sorted, latencyCount, 50),
                latencyCount == 0 ? null : BucketTotals.percentile(sorted, latencyCount, 90),
                latencyCount == 0 ? null : BucketTotals.percentile(sorted, latencyCount, 95),
                latencyCount == 0 ? null : BucketTotals.percentile(sorted, latencyCount, 99),
                Collections.unmodifiableSortedMap(errorCounts));
    }
}
