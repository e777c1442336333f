package io.deliverymetrics.flink.model;

import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.model.PairKey;

/**
 * One write for a pair: the full window aggregate of a minute ({@code bucket} set), the count of
 * too-late records for a minute ({@code lateDropped} set), the pair's running totals through a
 * final minute ({@code totals} set), or the destination type that the pair's records of a minute
 * named ({@code destinationType} set).
 *
 * @param bucketStartMs the minute written; for totals, the last final minute they include
 * @param bucket the aggregate encoded with {@code BucketCodec.encode}, or {@code null}
 * @param totals {@link DeliveryTotals#toArray()} of the running totals, or {@code null}
 * @param destinationType the type the records of the minute named (never {@code unknown}), or
 *     {@code null}
 */
public record MinuteUpdate(
        String workspaceId,
        String sourceId,
        String destinationId,
        long bucketStartMs,
        byte[] bucket,
        long lateDropped,
        long[] totals,
        String destinationType) {

    /** A minute's aggregate ({@code bucket} set) or too-late count. */
    public MinuteUpdate(
            String workspaceId,
            String sourceId,
            String destinationId,
            long bucketStartMs,
            byte[] bucket,
            long lateDropped) {
        this(workspaceId, sourceId, destinationId, bucketStartMs, bucket, lateDropped, null, null);
    }

    /** The running totals of {@code pair} through the final minute starting at {@code minuteMs}. */
    public static MinuteUpdate totals(PairKey pair, long minuteMs, DeliveryTotals totals) {
        return ofPair(pair, minuteMs, totals.toArray(), null);
    }

    /** Records of {@code pair} in the minute starting at {@code minuteMs} named {@code type}. */
    public static MinuteUpdate destinationTypeSeen(PairKey pair, long minuteMs, String type) {
        return ofPair(pair, minuteMs, null, type);
    }

    private static MinuteUpdate ofPair(PairKey pair, long minuteMs, long[] totals, String type) {
        return new MinuteUpdate(
                pair.workspaceId(),
                pair.sourceId(),
                pair.destinationId(),
                minuteMs,
                null,
                0,
                totals,
                type);
    }

    public PairKey pair() {
        return new PairKey(workspaceId, sourceId, destinationId);
    }

    public boolean isAggregate() {
        return bucket != null;
    }

    public boolean isTotals() {
        return totals != null;
    }

    public boolean isDestinationType() {
        return destinationType != null;
    }
}
