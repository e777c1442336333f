package io.deliverymetrics.api.query;

import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.core.time.TierPolicy;
import io.deliverymetrics.core.time.TierPolicy.Selection;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Chooses the tier of a query with core's {@link TierPolicy} and aligns the range to it. */
public final class TierResolver {

    private final TierPolicy policy;

    public TierResolver(TierPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * {@code auto} ({@code requested} empty) picks the finest tier within retention and the point
     * cap; an explicit tier is checked against both.
     *
     * @throws RangeNotServableException when no tier (or not the requested one) can serve it
     */
    public Resolution resolve(
            Optional<Granularity> requested, Instant start, Instant end, Instant now) {
        Selection s =
                requested.isPresent()
                        ? policy.check(requested.get(), start, end, now)
                        : policy.auto(start, end, now);
        if (s instanceof Selection.Chosen c) {
            Granularity g = c.granularity();
            return new Resolution(g, g.floor(start), g.ceil(end), Math.toIntExact(c.points()));
        }
        throw new RangeNotServableException(s, requested, policy, start);
    }
}
