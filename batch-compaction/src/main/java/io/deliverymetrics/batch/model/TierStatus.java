package io.deliverymetrics.batch.model;

import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * How far one tier of one shard is compacted, for the {@code status} command and health.
 *
 * @param compactedThrough empty before the first compaction
 * @param changesSeenThrough empty before the first compaction
 * @param completeThrough the limit compaction may reach now (buffer, pipeline progress, finer tier)
 * @param lagBuckets complete target buckets not compacted yet
 */
public record TierStatus(
        int shard,
        Granularity tier,
        Optional<Instant> compactedThrough,
        Optional<LocalDateTime> changesSeenThrough,
        Instant completeThrough,
        long lagBuckets) {}
