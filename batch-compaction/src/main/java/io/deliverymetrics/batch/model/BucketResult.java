package io.deliverymetrics.batch.model;

import io.deliverymetrics.core.time.Granularity;
import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of compacting one target bucket of one shard.
 *
 * @param kind whether the bucket was caught up or recomputed
 * @param sourceRows finer rows read and merged
 * @param targetRows rows written to the target tier (one per pair)
 */
public record BucketResult(
        int shard,
        Granularity tier,
        Instant bucketStart,
        Kind kind,
        long sourceRows,
        long targetRows,
        Duration took) {

    /** Why a bucket was compacted. */
    public enum Kind {
        /** Catch-up from the watermark: compacted for the first time. */
        CATCH_UP("catch-up"),
        /** Recomputed: its finer rows changed after it was compacted, or an explicit range. */
        REPAIR("repair");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The name in metrics and output. */
        public String label() {
            return label;
        }
    }
}
