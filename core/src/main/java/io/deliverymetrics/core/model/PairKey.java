package io.deliverymetrics.core.model;

import java.util.Objects;

/**
 * Identifies one source → destination pair within a workspace; the unit every metric is kept for.
 */
public record PairKey(String workspaceId, String sourceId, String destinationId)
        implements Comparable<PairKey> {

    public PairKey {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(destinationId, "destinationId");
    }

    /** The Kafka message key of the contract: {@code workspace_id/source_id/destination_id}. */
    public String kafkaKey() {
        return workspaceId + '/' + sourceId + '/' + destinationId;
    }

    @Override
    public int compareTo(PairKey o) {
        int c = workspaceId.compareTo(o.workspaceId);
        if (c != 0) {
            return c;
        }
        c = sourceId.compareTo(o.sourceId);
        return c != 0 ? c : destinationId.compareTo(o.destinationId);
    }
}
