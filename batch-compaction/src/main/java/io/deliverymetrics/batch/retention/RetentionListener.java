package io.deliverymetrics.batch.retention;

import io.deliverymetrics.batch.model.PartitionChanges;
import io.deliverymetrics.core.time.Granularity;

/**
 * Observes retention on one shard (metrics). Called on the retention thread once per table and run,
 * also when nothing changed; an exception thrown here fails the run.
 */
public interface RetentionListener {

    /** Retention of one table of {@code tier} is done: {@code changes} were applied. */
    void tableRetained(int shardId, Granularity tier, PartitionChanges changes);

    /** Forwards to several listeners in order. */
    static RetentionListener composite(Iterable<RetentionListener> listeners) {
        return (shardId, tier, changes) ->
                listeners.forEach(l -> l.tableRetained(shardId, tier, changes));
    }
}
