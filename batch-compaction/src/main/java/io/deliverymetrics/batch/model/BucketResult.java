package io.deliverymetrics.batch.model;

import io.deliverymetrics.core.time.Granularity;
import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of compacting one target bucket of one shard.
 *
 * @param sourceRows finer rows read and merged
 * @param targetRows rows written to the target tier (one per pair)
 */
public record BucketResult(
        int shard,
        Granularity tier,
        Instant bucketStart,
        long sourceRows,
        long targetRows,
        Duration took) {}
