package io.deliverymetrics.api.model;

import io.deliverymetrics.sql.TotalsRows.PairTotals;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one scrape exports about deliveries: each pair's running totals over its final minutes,
 * capped at {@code maxPairs} pairs in total, and how each shard that was asked fared.
 *
 * @param shards every shard that was asked, in id order
 * @param pairs the pairs' totals, by shard and then (workspace, source, destination)
 * @param truncated whether pairs were left out because of the cap
 */
public record DeliveryExport(
        List<ShardStatus> shards, List<PairTotals> pairs, int maxPairs, boolean truncated) {

    public DeliveryExport {
        shards = List.copyOf(shards);
        pairs = List.copyOf(pairs);
    }

    /**
     * How reading one shard went.
     *
     * @param finalThrough the shard's final-through; empty when unknown or unreachable
     * @param failure why the shard could not be read; empty when it was
     */
    public record ShardStatus(int shard, Optional<Instant> finalThrough, Optional<String> failure) {

        public boolean up() {
            return failure.isEmpty();
        }
    }
}
