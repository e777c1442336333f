package io.deliverymetrics.flink.model;

import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.MetricBucket;
import java.util.Objects;

/**
 * Window accumulator of a destination type's minute: the merged {@link MetricBucket} of the pair
 * partials and the distinct workspaces and pairs that contributed (all and affected).
 */
public record TypeRollup(MetricBucket bucket, DistinctContributors contributors) {

    public TypeRollup {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(contributors, "contributors");
    }

    public TypeRollup copy() {
        return new TypeRollup(bucket.copy(), contributors.copy());
    }
}
