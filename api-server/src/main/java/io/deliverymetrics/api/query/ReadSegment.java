package io.deliverymetrics.api.query;

import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.util.Objects;

/** Read the rows of {@code tier} with bucket_start in [start, end). */
public record ReadSegment(Granularity tier, Instant start, Instant end) {
    public ReadSegment {
        Objects.requireNonNull(tier, "tier");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("empty segment " + start + ".." + end);
        }
    }
}
