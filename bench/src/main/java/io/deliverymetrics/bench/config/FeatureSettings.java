package io.deliverymetrics.bench.config;

/**
 * Size and goals of the feature cost benchmark, whose load is otherwise the streaming benchmark's
 * (pairs, rate, and loadgen's default mix of destination failure profiles).
 *
 * @param records attempt records pre-loaded for it (every variant reads them all, each run)
 * @param globalGoal goal of the job's throughput with the global roll-up on over off
 * @param eventsGoal goal of the job's throughput with the event breakdown and the error samples on
 *     over off
 */
public record FeatureSettings(long records, double globalGoal, double eventsGoal) {

    public FeatureSettings {
        if (records < 1) {
            throw new IllegalArgumentException("records must be >= 1, was " + records);
        }
        if (!(globalGoal > 0 && globalGoal <= 1) || !(eventsGoal > 0 && eventsGoal <= 1)) {
            throw new IllegalArgumentException(
                    "goals must be in (0, 1], were " + globalGoal + " and " + eventsGoal);
        }
    }

    /**
     * 3,000,000 records: with everything on, the job takes about 25 s for them on 2 cores, so the
     * four variants' three runs take about 6 minutes.
     */
    public static FeatureSettings full() {
        return new FeatureSettings(3_000_000, 0.9, 0.85);
    }

    /** {@code records} records (smoke mode: the streaming benchmark's), the same goals. */
    public static FeatureSettings of(long records) {
        return new FeatureSettings(records, 0.9, 0.85);
    }
}
