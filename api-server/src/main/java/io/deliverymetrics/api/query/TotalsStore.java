package io.deliverymetrics.api.query;

import io.deliverymetrics.api.model.ShardTotals;

/** Where the metrics expositions read each pair's running totals from. */
public interface TotalsStore {

    /** Number of shards; ids are 0..n−1. */
    int shardCount();

    /** The shard {@code workspaceId} is routed to. */
    int shardOf(String workspaceId);

    /**
     * The shard's {@code final_through} and at most {@code limit} pairs' totals in (workspace,
     * source, destination) order, optionally of one workspace only, and whether the shard has more
     * pairs than that ({@code limit} may be 0 to ask only that).
     *
     * @param workspaceId one workspace, or {@code null} for every workspace of the shard
     * @throws StorageException when the shard cannot be read
     */
    ShardTotals read(int shard, String workspaceId, int limit);

    /**
     * Whether {@code workspaceId} has a pair to {@code destinationId} (from {@code sourceId} when
     * it is not {@code null}) with at least one final minute.
     *
     * @throws StorageException when the shard cannot be read
     */
    boolean hasPair(String workspaceId, String sourceId, String destinationId);
}
