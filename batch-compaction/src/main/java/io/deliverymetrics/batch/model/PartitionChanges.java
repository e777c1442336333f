package io.deliverymetrics.batch.model;

import java.util.List;

/**
 * What retention does to one table: partitions split off {@code p_future} (ascending) and expired
 * partitions dropped.
 */
public record PartitionChanges(String table, List<PartitionInfo> create, List<String> drop) {

    public PartitionChanges {
        create = List.copyOf(create);
        drop = List.copyOf(drop);
    }

    public boolean isEmpty() {
        return create.isEmpty() && drop.isEmpty();
    }
}
