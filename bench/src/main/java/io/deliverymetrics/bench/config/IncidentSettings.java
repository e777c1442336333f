package io.deliverymetrics.bench.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the incidents benchmark: the freshness benchmark's steady load, then one workspace
 * surging and later one destination type failing every attempt, each measured from the other
 * workspaces' side. The phases follow each other in the measured span: steady, the surge, a gap,
 * the failing type, a tail.
 *
 * @param load the steady load, the poller and the job (as for the freshness benchmark); its
 *     measured span is the sum of the phases
 * @param steady from the start of the measured span to the surge
 * @param surge how long one workspace sends {@code surgeFactor} times its events
 * @param gap between the surge's end and the failing type's start
 * @param failing how long one destination type fails every attempt (loadgen's {@code type-failing}:
 *     10 attempts per event, 1 s apart)
 * @param tail from the failing type's end to the end of the measured span
 * @param surgeFactor the surging workspace's events × this
 * @param failingTypeShare the failing type is the one whose share of the steady load's attempt
 *     records is closest to this
 * @param goalRatio the goal for the other workspaces' complete-minute p99 during an incident over
 *     the steady one
 * @param lagInterval time between two samples of the job's consumer lag
 */
public record IncidentSettings(
        FreshnessSettings load,
        Duration steady,
        Duration surge,
        Duration gap,
        Duration failing,
        Duration tail,
        double surgeFactor,
        double failingTypeShare,
        double goalRatio,
        Duration lagInterval) {

    /** The least warm-up of the full mode. */
    private static final Duration WARMUP = Duration.ofMinutes(2);

    public IncidentSettings {
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(lagInterval, "lagInterval");
        for (Duration d : new Duration[] {steady, surge, gap, failing, tail}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("incident phases must be 0 or more: " + d);
            }
        }
        if (steady.isZero() || surge.isZero() || failing.isZero()) {
            throw new IllegalArgumentException(
                    "the steady phase, the surge and the failing type must last");
        }
        Duration sum = steady.plus(surge).plus(gap).plus(failing).plus(tail);
        if (!sum.equals(load.measured())) {
            throw new IllegalArgumentException(
                    "the phases ("
                            + sum
                            + ") must fill the measured span ("
                            + load.measured()
                            + ")");
        }
        if (!(surgeFactor > 1) || !(failingTypeShare > 0 && failingTypeShare < 1)) {
            throw new IllegalArgumentException(
                    "surge factor must be > 1 and failing type share in (0, 1), were "
                            + surgeFactor
                            + " and "
                            + failingTypeShare);
        }
    }

    /**
     * The freshness benchmark's 50,000 attempts/s over 10,000 pairs, and 2 minutes of warm-up (the
     * job's first minutes at that rate complete later while it catches up with its start, which
     * would make the steady reference too slow); then 1 steady minute, a workspace at 100 times its
     * rate for 2 minutes, 1 minute to recover, and a type of about 5 % of the attempts failing for
     * 2 minutes; 8 polled pairs.
     */
    public static IncidentSettings full() {
        return full(FreshnessSettings.full());
    }

    /**
     * As {@link #full()} with the freshness benchmark's settings {@code f} (its rate, pairs,
     * warm-up, poll interval and job settings: {@code --freshness-rate}, {@code --freshness-job}).
     */
    public static IncidentSettings full(FreshnessSettings f) {
        return new IncidentSettings(
                new FreshnessSettings(
                        f.attemptsPerSecond(),
                        f.pairs(),
                        WARMUP.compareTo(f.warmup()) > 0 ? WARMUP : f.warmup(),
                        Duration.ofMinutes(6),
                        f.pollInterval(),
                        8,
                        f.completionTimeout(),
                        f.goalVisibleP99(),
                        f.goalCompleteAfterOutOfOrderness(),
                        f.jobOverrides()),
                Duration.ofMinutes(1),
                Duration.ofMinutes(2),
                Duration.ofMinutes(1),
                Duration.ofMinutes(2),
                Duration.ZERO,
                100,
                0.05,
                1.5,
                Duration.ofSeconds(1));
    }

    /**
     * The freshness benchmark's smoke load; 4 steady seconds before a minute boundary, then a
     * workspace at 10 times its rate for 10 s and a failing type for 10 s in the next minute.
     */
    public static IncidentSettings smoke() {
        FreshnessSettings f = FreshnessSettings.smoke();
        return new IncidentSettings(
                new FreshnessSettings(
                        f.attemptsPerSecond(),
                        f.pairs(),
                        f.warmup(),
                        Duration.ofSeconds(64),
                        f.pollInterval(),
                        f.polledPairs(),
                        f.completionTimeout(),
                        f.goalVisibleP99(),
                        f.goalCompleteAfterOutOfOrderness(),
                        f.jobOverrides()),
                Duration.ofSeconds(4),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                10,
                0.05,
                1.5,
                Duration.ofSeconds(1));
    }

    /** The job settings that differ from {@code delivery-metrics-job.yaml}. */
    public Map<String, String> jobOverrides() {
        return load.jobOverrides();
    }
}
