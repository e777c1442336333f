package io.deliverymetrics.loadgen.model;

import java.util.Objects;

/** A (workspace, source, destination) pair, the unit that metrics are kept for. */
public record Pair(String workspaceId, String sourceId, String destinationId) {

    public Pair {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(destinationId, "destinationId");
    }

    /** The Kafka message key, {@code workspace_id/source_id/destination_id}. */
    public String key() {
        return workspaceId + '/' + sourceId + '/' + destinationId;
    }
}
