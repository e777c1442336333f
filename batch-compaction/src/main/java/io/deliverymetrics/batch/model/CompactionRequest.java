package io.deliverymetrics.batch.model;

import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one compaction run should do; its fields are identifying job parameters (an explicit range
 * also gets the instant it was requested, so that every launch of it is a new run).
 *
 * <p>Without {@code from} the run catches up from each shard's watermark and repairs dirty buckets
 * (the scheduled mode). With {@code from} it recomputes exactly the target buckets in [from, to)
 * that are complete, and leaves the watermark alone (backfill and manual repair).
 *
 * @param tier target tier, {@link Granularity#HOUR} or {@link Granularity#DAY}
 * @param to no bucket ending after this instant is compacted
 * @param from start of an explicit range, or empty for watermark-driven catch-up
 * @param shard one shard only, or empty for every shard
 */
public record CompactionRequest(
        Granularity tier, Instant to, Optional<Instant> from, OptionalInt shard) {

    public CompactionRequest {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(shard, "shard");
        if (tier == Granularity.MINUTE) {
            throw new IllegalArgumentException("the minute tier is written by the speed layer");
        }
        if (from.isPresent() && !from.get().isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        if (shard.isPresent() && shard.getAsInt() < 0) {
            throw new IllegalArgumentException("shard must be >= 0");
        }
    }

    /** A watermark-driven run over every shard, compacting what is complete at {@code to}. */
    public static CompactionRequest catchUp(Granularity tier, Instant to) {
        return new CompactionRequest(tier, to, Optional.empty(), OptionalInt.empty());
    }

    /** A recomputation of the target buckets in [from, to) over every shard. */
    public static CompactionRequest range(Granularity tier, Instant from, Instant to) {
        return new CompactionRequest(tier, to, Optional.of(from), OptionalInt.empty());
    }

    public CompactionRequest onShard(int shardId) {
        return new CompactionRequest(tier, to, from, OptionalInt.of(shardId));
    }

    public boolean explicitRange() {
        return from.isPresent();
    }
}
