package io.deliverymetrics.api.model;

import io.deliverymetrics.sql.TotalsRows.PairTotals;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One shard's running totals as the metrics expositions export them.
 *
 * @param finalThrough the streaming job's final-through on the shard; empty until it has reported
 * @param rows the pairs' totals in (workspace, source, destination) order
 * @param more whether the shard had more pairs than were asked for
 */
public record ShardTotals(
        int shard, Optional<Instant> finalThrough, List<PairTotals> rows, boolean more) {

    public ShardTotals {
        Objects.requireNonNull(finalThrough, "finalThrough");
        rows = List.copyOf(rows);
    }
}
