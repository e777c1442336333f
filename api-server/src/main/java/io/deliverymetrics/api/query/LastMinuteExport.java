package io.deliverymetrics.api.query;

import io.deliverymetrics.api.model.DeliveryGauges;
import io.deliverymetrics.api.model.DeliveryGauges.ShardStatus;
import io.deliverymetrics.api.model.ShardMinute;
import io.deliverymetrics.core.metrics.PairBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Collects the last final minute of every shard for {@code /metrics}, bounded by a total pair cap.
 * A shard that cannot be read is reported as down instead of failing the whole scrape, so one lost
 * shard does not blind the monitoring of the others.
 */
public final class LastMinuteExport {

    private final LastMinuteStore store;
    private final int maxPairs;

    /**
     * @param maxPairs most pairs one export holds, over all shards
     */
    public LastMinuteExport(LastMinuteStore store, int maxPairs) {
        this.store = Objects.requireNonNull(store, "store");
        if (maxPairs < 1) {
            throw new IllegalArgumentException("maxPairs must be positive, was " + maxPairs);
        }
        this.maxPairs = maxPairs;
    }

    /** Every workspace of every shard. */
    public DeliveryGauges all() {
        List<Integer> shards = new ArrayList<>();
        for (int i = 0; i < store.shardCount(); i++) {
            shards.add(i);
        }
        return export(shards, null);
    }

    /** Only {@code workspaceId}, read from its shard. */
    public DeliveryGauges workspace(String workspaceId) {
        Objects.requireNonNull(workspaceId, "workspaceId");
        return export(List.of(store.shardOf(workspaceId)), workspaceId);
    }

    private DeliveryGauges export(List<Integer> shards, String workspaceId) {
        List<ShardStatus> statuses = new ArrayList<>();
        List<PairBucket> pairs = new ArrayList<>();
        boolean truncated = false;
        for (int shard : shards) {
            ShardMinute minute;
            try {
                // With no room left the shard is still read, to learn whether it had data (more).
                minute = store.read(shard, workspaceId, maxPairs - pairs.size());
            } catch (StorageException e) {
                statuses.add(new ShardStatus(shard, Optional.empty(), Optional.of(e.getMessage())));
                continue;
            }
            statuses.add(new ShardStatus(shard, minute.finalThrough(), Optional.empty()));
            pairs.addAll(minute.rows());
            truncated |= minute.more();
        }
        return new DeliveryGauges(statuses, pairs, maxPairs, truncated);
    }
}
