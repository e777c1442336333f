package io.deliverymetrics.api.query;

import io.deliverymetrics.api.model.ShardMinute;

/** Where {@code /metrics} reads each shard's newest final minute from. */
public interface LastMinuteStore {

    /** Number of shards; ids are 0..n−1. */
    int shardCount();

    /** The shard {@code workspaceId} is routed to. */
    int shardOf(String workspaceId);

    /**
     * The minute before the shard's {@code final_through}: at most {@code limit} pair rows in
     * (workspace, source, destination) order, optionally of one workspace only, and whether the
     * minute has more rows than that ({@code limit} may be 0 to ask only that).
     *
     * @param workspaceId one workspace, or {@code null} for every workspace of the shard
     * @throws StorageException when the shard cannot be read
     */
    ShardMinute read(int shard, String workspaceId, int limit);
}
