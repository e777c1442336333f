package io.deliverymetrics.batch.compaction;

import io.deliverymetrics.batch.model.BucketResult;
import io.deliverymetrics.batch.model.CompactionPlan;

/**
 * Observes compaction on one shard: progress output, metrics. Called on the compacting thread; an
 * exception thrown here fails the run (after the bucket it reports is written).
 */
public interface CompactionListener {

    /** A run on one shard was planned. */
    default void planned(int shardId, CompactionPlan plan) {}

    /** One target bucket was written. */
    default void bucketCompacted(BucketResult result) {}

    /** Forwards to several listeners in order. */
    static CompactionListener composite(Iterable<CompactionListener> listeners) {
        return new CompactionListener() {
            @Override
            public void planned(int shardId, CompactionPlan plan) {
                listeners.forEach(l -> l.planned(shardId, plan));
            }

            @Override
            public void bucketCompacted(BucketResult result) {
                listeners.forEach(l -> l.bucketCompacted(result));
            }
        };
    }
}
