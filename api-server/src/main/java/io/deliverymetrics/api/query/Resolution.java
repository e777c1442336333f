package io.deliverymetrics.api.query;

import io.deliverymetrics.core.time.Granularity;
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
}
