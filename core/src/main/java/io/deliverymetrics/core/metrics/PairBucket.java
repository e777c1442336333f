package io.deliverymetrics.core.metrics;

import io.deliverymetrics.core.model.PairKey;
import java.time.Instant;
import java.util.Objects;

/**
 * The metrics of one pair for the bucket starting at {@code bucketStart}: one row of a tier table.
 */
public record PairBucket(PairKey pair, Instant bucketStart, MetricBucket bucket) {

    public PairBucket {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(bucketStart, "bucketStart");
        Objects.requireNonNull(bucket, "bucket");
    }
}
