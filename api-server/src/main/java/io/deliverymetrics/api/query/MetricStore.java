package io.deliverymetrics.api.query;

/** Where metric rows come from: the shard a workspace is routed to. */
public interface MetricStore {

    /**
     * Opens a consistent read view of {@code workspaceId}'s shard; the caller closes it.
     *
     * @throws StorageException when the shard cannot be reached
     */
    ShardView open(String workspaceId);
}
