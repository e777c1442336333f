package io.deliverymetrics.flink.model;

import io.deliverymetrics.core.model.PairKey;

/**
 * One write for a pair's minute row: either the full window aggregate ({@code bucket} set) or the
 * count of too-late records for that minute ({@code bucket} null, {@code lateDropped} set).
 *
 * @param bucket the aggregate encoded with {@code BucketCodec.encode}, or {@code null}
 */
public record MinuteUpdate(
        String workspaceId,
        String sourceId,
        String destinationId,
        long bucketStartMs,
        byte[] bucket,
        long lateDropped) {

    public PairKey pair() {
        return new PairKey(workspaceId, sourceId, destinationId);
    }

    public boolean isAggregate() {
        return bucket != null;
    }
}
