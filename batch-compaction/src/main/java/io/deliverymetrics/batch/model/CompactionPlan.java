package io.deliverymetrics.batch.model;

import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The work of one run on one shard: buckets to recompute first, then catch-up from a watermark.
 *
 * @param recompute target buckets to recompute, ascending (dirty buckets, or an explicit range)
 * @param catchUpFrom first target bucket of the catch-up, empty when the run does no catch-up
 * @param limit no target bucket starting at or after this instant is compacted by catch-up
 * @param changeMark the change-scan time to store once {@code recompute} is done, empty for
 *     explicit ranges (which leave the progress row alone)
 */
public record CompactionPlan(
        Granularity tier,
        List<Instant> recompute,
        Optional<Instant> catchUpFrom,
        Instant limit,
        Optional<LocalDateTime> changeMark) {

    public CompactionPlan {
        Objects.requireNonNull(tier, "tier");
        recompute = List.copyOf(recompute);
        Objects.requireNonNull(catchUpFrom, "catchUpFrom");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(changeMark, "changeMark");
    }

    /** Target buckets the catch-up may touch at most (gaps without finer rows are skipped). */
    public long catchUpBuckets() {
        return catchUpFrom
                .filter(f -> f.isBefore(limit))
                .map(f -> (limit.toEpochMilli() - f.toEpochMilli()) / tier.sizeMillis())
                .orElse(0L);
    }
}
