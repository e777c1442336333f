package io.deliverymetrics.batch.model;

import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One row of {@code compaction_progress}: how far a target tier of one shard is compacted.
 *
 * @param compactedThrough every bucket of {@code tier} before this instant is compacted
 * @param changesSeenThrough the database-clock time of the last change scan of the finer tier
 *     (session time zone UTC), kept as the database returned it so it compares exactly with {@code
 *     updated_at}
 */
public record CompactionProgress(
        Granularity tier, Instant compactedThrough, LocalDateTime changesSeenThrough) {

    public CompactionProgress {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(compactedThrough, "compactedThrough");
        Objects.requireNonNull(changesSeenThrough, "changesSeenThrough");
    }
}
