package io.deliverymetrics.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Retention per tier and the rule that picks the tier for a query.
 *
 * <p>{@code auto} picks the finest tier whose retention still covers {@code start} and whose point
 * count over [start, end) stays within {@link #maxPoints()}. An explicit tier is checked against
 * the same two limits.
 */
public final class TierPolicy {

    /** Default cap on points per series. */
    public static final int DEFAULT_MAX_POINTS = 1_440;

    private final Map<Granularity, Duration> retention;
    private final int maxPoints;

    public TierPolicy(Duration minute, Duration hour, Duration day, int maxPoints) {
        retention = new EnumMap<>(Granularity.class);
        retention.put(Granularity.MINUTE, positive(minute, "minute retention"));
        retention.put(Granularity.HOUR, positive(hour, "hour retention"));
        retention.put(Granularity.DAY, positive(day, "day retention"));
        if (minute.compareTo(hour) > 0 || hour.compareTo(day) > 0) {
            throw new IllegalArgumentException(
                    "retention must not shrink for coarser tiers: minute "
                            + minute
                            + ", hour "
                            + hour
                            + ", day "
                            + day);
        }
        if (maxPoints < 1) {
            throw new IllegalArgumentException("maxPoints must be positive, was " + maxPoints);
        }
        this.maxPoints = maxPoints;
    }

    /** Defaults: minute 7 days, hour 180 days, day 3 years (1,095 days), 1,440 points. */
    public static TierPolicy defaults() {
        return new TierPolicy(
                Duration.ofDays(7),
                Duration.ofDays(180),
                Duration.ofDays(1_095),
                DEFAULT_MAX_POINTS);
    }

    public Duration retention(Granularity g) {
        return retention.get(g);
    }

    public int maxPoints() {
        return maxPoints;
    }

    /** The oldest instant still covered by tier {@code g} at {@code now}. */
    public Instant oldestRetained(Granularity g, Instant now) {
        return g.floor(now.minus(retention.get(g)));
    }

    /** Checks an explicitly requested tier. */
    public Selection check(Granularity g, Instant start, Instant end, Instant now) {
        Objects.requireNonNull(g, "granularity");
        requireRange(start, end);
        if (start.isBefore(oldestRetained(g, now))) {
            return new Selection.BeyondRetention(g, oldestRetained(g, now));
        }
        long points = g.bucketsTouched(start, end);
        if (points > maxPoints) {
            return new Selection.TooManyPoints(g, points, maxPoints);
        }
        return new Selection.Chosen(g, points);
    }

    /** Picks the finest tier that satisfies both limits. */
    public Selection auto(Instant start, Instant end, Instant now) {
        requireRange(start, end);
        Selection firstFailure = null;
        for (Granularity g : Granularity.values()) {
            Selection s = check(g, start, end, now);
            if (s instanceof Selection.Chosen) {
                return s;
            }
            // Report the most useful failure: the coarsest tier's, since it has the widest limits.
            firstFailure = s;
        }
        return firstFailure;
    }

    private static void requireRange(Instant start, Instant end) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("start must be before end");
        }
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }

    /** Result of a tier choice. */
    public sealed interface Selection {
        /** The tier to read and the number of points the series will have. */
        record Chosen(Granularity granularity, long points) implements Selection {}

        /** {@code start} is older than what {@code granularity} keeps. */
        record BeyondRetention(Granularity granularity, Instant oldestRetained)
                implements Selection {}

        /** [start, end) needs more points than allowed at {@code granularity}. */
        record TooManyPoints(Granularity granularity, long points, int maxPoints)
                implements Selection {}
    }
}
