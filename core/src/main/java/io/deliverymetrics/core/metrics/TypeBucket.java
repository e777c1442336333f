package io.deliverymetrics.core.metrics;

import java.time.Instant;
import java.util.Objects;

/**
 * The metrics of one destination type over all workspaces for the bucket starting at {@code
 * bucketStart}, with who contributed: one row of a global tier table.
 */
public record TypeBucket(
        String destinationType,
        Instant bucketStart,
        MetricBucket bucket,
        DistinctContributors contributors) {

    public TypeBucket {
        Objects.requireNonNull(destinationType, "destinationType");
        Objects.requireNonNull(bucketStart, "bucketStart");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(contributors, "contributors");
    }
}
