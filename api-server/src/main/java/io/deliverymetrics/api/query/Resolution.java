package io.deliverymetrics.api.query;

import io.deliverymetrics.core.time.Granularity;
import java.time.Duration;
import java.time.Instant;

/**
 * The tier a query is served at and its range aligned to that tier: {@code start} floored, {@code
 * end} ceiled, so every bucket the request touches is whole.
 */
public record Resolution(Granularity granularity, Instant start, Instant end, int points) {

    /** Start of bucket {@code i} of the range. */
    public Instant bucketStart(int i) {
        return start.plus(granularity.size().multipliedBy(i));
    }

    /**
     * Index of the bucket that contains {@code t} (a row of this or a finer tier).
     *
     * @throws IllegalStateException when {@code t} is outside the range
     */
    public int indexOf(Instant t) {
        if (t.isBefore(start) || !t.isBefore(end)) {
            throw new IllegalStateException("row at " + t + " outside " + start + ".." + end);
        }
        return (int) (Duration.between(start, t).toMillis() / granularity.sizeMillis());
    }
}
