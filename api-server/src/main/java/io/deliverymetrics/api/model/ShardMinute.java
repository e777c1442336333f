package io.deliverymetrics.api.model;

import io.deliverymetrics.core.metrics.PairBucket;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One shard's newest final minute as {@code /metrics} exports it.
 *
 * @param finalThrough the streaming job's final-through on the shard; the exported minute is the
 *     one ending there. Empty until the job has reported, in which case {@code rows} is empty
 * @param rows minute rows of that minute in (workspace, source, destination) order
 * @param more whether the shard had more rows than were asked for
 */
public record ShardMinute(
        int shard, Optional<Instant> finalThrough, List<PairBucket> rows, boolean more) {

    public ShardMinute {
        Objects.requireNonNull(finalThrough, "finalThrough");
        rows = List.copyOf(rows);
    }
}
