package io.deliverymetrics.api.query;

import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.core.time.TierPolicy;
import io.deliverymetrics.core.time.TierPolicy.Selection;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A well-formed range that no tier can serve: older than the retention or needing more points than
 * allowed. Reported as 422 with the limit that was hit.
 */
public final class RangeNotServableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Selection failure;
    private final Optional<Granularity> requested;

    RangeNotServableException(
            Selection failure, Optional<Granularity> requested, TierPolicy policy, Instant start) {
        super(describe(failure, requested, policy, start));
        this.failure = failure;
        this.requested = requested;
    }

    /** {@link Selection.BeyondRetention} or {@link Selection.TooManyPoints}. */
    public Selection failure() {
        return failure;
    }

    /** The explicitly requested tier; empty for {@code auto}. */
    public Optional<Granularity> requested() {
        return requested;
    }

    private static String describe(
            Selection failure, Optional<Granularity> requested, TierPolicy policy, Instant start) {
        String prefix = requested.isEmpty() ? "no granularity can serve this range: " : "";
        if (failure instanceof Selection.BeyondRetention b) {
            Duration kept = policy.retention(b.granularity());
            return prefix
                    + "start "
                    + start
                    + " is older than the oldest "
                    + b.granularity().wireName()
                    + " bucket still kept ("
                    + b.oldestRetained()
                    + "; "
                    + b.granularity().wireName()
                    + " data is retained for "
                    + kept.toDays()
                    + " days)";
        }
        if (failure instanceof Selection.TooManyPoints t) {
            return prefix
                    + "the range needs "
                    + t.points()
                    + " "
                    + t.granularity().wireName()
                    + " buckets, more than the "
                    + t.maxPoints()
                    + " allowed per series; shorten the range or choose a coarser granularity";
        }
        throw new IllegalArgumentException("not a failure: " + failure);
    }
}
