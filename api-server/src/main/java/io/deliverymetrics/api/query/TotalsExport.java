package io.deliverymetrics.api.query;

import io.deliverymetrics.api.model.DeliveryExport;
import io.deliverymetrics.api.model.DeliveryExport.ShardStatus;
import io.deliverymetrics.api.model.ShardTotals;
import io.deliverymetrics.sql.TotalsRows.PairTotals;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Collects the pairs' running totals of every shard (or of one workspace's shard) for the metrics
 * expositions, bounded by a total pair cap. A shard that cannot be read is reported as down instead
 * of failing the whole scrape, so one lost shard does not blind the monitoring of the others.
 */
public final class TotalsExport {

    private final TotalsStore store;
    private final int maxPairs;

    /**
     * @param maxPairs most pairs one export holds, over all shards
     */
    public TotalsExport(TotalsStore store, int maxPairs) {
        this.store = Objects.requireNonNull(store, "store");
        if (maxPairs < 1) {
            throw new IllegalArgumentException("maxPairs must be positive, was " + maxPairs);
        }
        this.maxPairs = maxPairs;
    }

    /** Every workspace of every shard. */
    public DeliveryExport all() {
        List<Integer> shards = new ArrayList<>();
        for (int i = 0; i < store.shardCount(); i++) {
            shards.add(i);
        }
        return export(shards, null);
    }

    /** Only {@code workspaceId}, read from its shard. */
    public DeliveryExport workspace(String workspaceId) {
        Objects.requireNonNull(workspaceId, "workspaceId");
        return export(List.of(store.shardOf(workspaceId)), workspaceId);
    }

    private DeliveryExport export(List<Integer> shards, String workspaceId) {
        List<ShardStatus> statuses = new ArrayList<>();
        List<PairTotals> pairs = new ArrayList<>();
        boolean truncated = false;
        for (int shard : shards) {
            ShardTotals totals;
            try {
                // With no room left the shard is still read, to learn whether it had data (more).
                totals = store.read(shard, workspaceId, maxPairs - pairs.size());
            } catch (StorageException e) {
                statuses.add(new ShardStatus(shard, Optional.empty(), Optional.of(e.getMessage())));
                continue;
            }
            statuses.add(new ShardStatus(shard, totals.finalThrough(), Optional.empty()));
            pairs.addAll(totals.rows());
            truncated |= totals.more();
        }
        return new DeliveryExport(statuses, pairs, maxPairs, truncated);
    }
}
