package io.deliverymetrics.bench.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the freshness benchmark.
 *
 * @param attemptsPerSecond target rate of attempt records the real-time producer sends
 * @param pairs pairs of the load (Zipf 1.1, 100 pairs per workspace)
 * @param warmup producing time before the measured span (job and JIT warm-up)
 * @param measured length of the measured span; it ends on a minute boundary, so a whole number of
 *     minutes gives that many whole measured minutes
 * @param pollInterval time between two rounds of API polls
 * @param polledPairs pairs whose per-pair minute series the poller reads (the most popular ones,
 *     spread evenly over the shards)
 * @param completionTimeout how long after the measured span the poller waits for its minutes to be
 *     complete
 * @param goalVisibleP99 the goal the p99 of an attempt's time to the API's partial minute is
 *     compared with
 * @param goalCompleteAfterOutOfOrderness the goal of the complete-minute p99 beyond the job's
 *     out-of-orderness (a minute cannot be complete before the out-of-orderness has passed)
 * @param jobOverrides job settings that differ from {@code delivery-metrics-job.yaml}: none in the
 *     full mode, short watermark delays in the smoke mode, plus any given with {@code
 *     --freshness-job}
 */
public record FreshnessSettings(
        double attemptsPerSecond,
        int pairs,
        Duration warmup,
        Duration measured,
        Duration pollInterval,
        int polledPairs,
        Duration completionTimeout,
        Duration goalVisibleP99,
        Duration goalCompleteAfterOutOfOrderness,
        Map<String, String> jobOverrides) {

    public FreshnessSettings {
        if (!(attemptsPerSecond > 0)) {
            throw new IllegalArgumentException(
                    "freshness rate must be positive, was " + attemptsPerSecond);
        }
        if (pairs < 1 || polledPairs < 1 || polledPairs > pairs) {
            throw new IllegalArgumentException(
                    "freshness needs 1 <= polled pairs ("
                            + polledPairs
                            + ") <= pairs ("
                            + pairs
                            + ")");
        }
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(completionTimeout, "completionTimeout");
        Objects.requireNonNull(goalVisibleP99, "goalVisibleP99");
        Objects.requireNonNull(goalCompleteAfterOutOfOrderness, "goalCompleteAfterOutOfOrderness");
        if (measured.toMillis() < 1_000 || measured.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(
                    "freshness measured span must be between 1 s and 1 h, was " + measured);
        }
        jobOverrides = Map.copyOf(jobOverrides);
    }

    /**
     * 50,000 attempts/s over 10,000 pairs, 45 s warm-up, three measured minutes; goals: an attempt
     * in the partial minute within 5 s (p99), a minute complete within the out-of-orderness + 2 s.
     */
    public static FreshnessSettings full() {
        return new FreshnessSettings(
                50_000,
                10_000,
                Duration.ofSeconds(45),
                Duration.ofMinutes(3),
                Duration.ofMillis(150),
                4,
                Duration.ofMinutes(3),
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                Map.of());
    }

    /**
     * 1,000 attempts/s over 200 pairs, 4 measured seconds at the end of a minute, and a job that
     * closes minutes 3 s after they end (1 s out-of-orderness, 2 s allowed lateness) instead of 35
     * s, so that the run takes seconds.
     */
    public static FreshnessSettings smoke() {
        return new FreshnessSettings(
                1_000,
                200,
                Duration.ofSeconds(2),
                Duration.ofSeconds(4),
                Duration.ofMillis(150),
                2,
                Duration.ofMinutes(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                Map.of("watermark.out-of-orderness", "1s", "window.allowed-lateness", "2s"));
    }

    public FreshnessSettings withAttemptsPerSecond(double rate) {
        return new FreshnessSettings(
                rate,
                pairs,
                warmup,
                measured,
                pollInterval,
                polledPairs,
                completionTimeout,
                goalVisibleP99,
                goalCompleteAfterOutOfOrderness,
                jobOverrides);
    }

    /** These settings with {@code overrides} applied over the job overrides they already have. */
    public FreshnessSettings withJobOverrides(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(jobOverrides);
        merged.putAll(overrides);
        return new FreshnessSettings(
                attemptsPerSecond,
                pairs,
                warmup,
                measured,
                pollInterval,
                polledPairs,
                completionTimeout,
                goalVisibleP99,
                goalCompleteAfterOutOfOrderness,
                merged);
    }
}
