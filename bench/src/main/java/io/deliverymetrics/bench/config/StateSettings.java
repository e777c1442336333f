package io.deliverymetrics.bench.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of the state-size benchmark.
 *
 * @param pairCounts numbers of active pairs, one run each (ascending, without repeats)
 * @param attemptsPerPairMinute attempts every pair gets per minute (round robin over the pairs)
 * @param alignToMinute whether the run produces one whole minute first and measures in the next
 *     one, while both are open (full mode); otherwise it measures as soon as every pair has data
 * @param jobOverrides job settings that differ from {@code delivery-metrics-job.yaml} (smoke
 *     mode's, and the state backend's with {@code --state-backend})
 */
public record StateSettings(
        List<Integer> pairCounts,
        int attemptsPerPairMinute,
        boolean alignToMinute,
        Map<String, String> jobOverrides) {

    public StateSettings {
        pairCounts = pairCounts.stream().distinct().sorted().toList();
        if (pairCounts.isEmpty() || pairCounts.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException(
                    "state pair counts must be positive, was " + pairCounts);
        }
        if (attemptsPerPairMinute < 1) {
            throw new IllegalArgumentException(
                    "attempts per pair and minute must be >= 1, was " + attemptsPerPairMinute);
        }
        jobOverrides = Map.copyOf(jobOverrides);
    }

    /** 10,000 and 100,000 pairs, 6 attempts per pair and minute, production job settings. */
    public static StateSettings full() {
        return new StateSettings(List.of(10_000, 100_000), 6, true, Map.of());
    }

    /**
     * 200 and 2,000 pairs, 60 attempts per pair and minute, checkpoints and early firings every
     * second (so the run takes seconds and every pair has rows).
     */
    public static StateSettings smoke() {
        return new StateSettings(
                List.of(200, 2_000),
                60,
                false,
                Map.of("checkpoint.interval", "1s", "window.early-firing-interval", "1s"));
    }

    public StateSettings withPairCounts(List<Integer> counts) {
        return new StateSettings(counts, attemptsPerPairMinute, alignToMinute, jobOverrides);
    }

    public StateSettings withAttemptsPerPairMinute(int attempts) {
        return new StateSettings(pairCounts, attempts, alignToMinute, jobOverrides);
    }

    /** These settings with {@code overrides} over the job overrides. */
    public StateSettings withJobOverrides(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(jobOverrides);
        merged.putAll(overrides);
        return new StateSettings(pairCounts, attemptsPerPairMinute, alignToMinute, merged);
    }
}
