package io.deliverymetrics.api.model;

import io.deliverymetrics.core.metrics.PairBucket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one scrape of {@code /metrics} exports about deliveries: each shard's last final minute per
 * pair, capped at {@code maxPairs} pairs in total.
 *
 * @param shards every shard that was asked, in id order
 * @param pairs the exported minute rows, by shard and then (workspace, source, destination)
 * @param truncated whether pairs with data were left out because of the cap
 */
public record DeliveryGauges(
        List<ShardStatus> shards, List<PairBucket> pairs, int maxPairs, boolean truncated) {

    public DeliveryGauges {
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
