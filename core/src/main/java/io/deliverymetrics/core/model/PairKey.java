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

    /**
     * The value the record's generated method computes in OpenJDK ({@code 31 * (31 * h(w) + h(s)) +
     * h(d)}), so the key groups Flink derives from it, and with them the keyed state of existing
     * checkpoints, stay the same; written out because the generated method's method-handle chain
     * showed up in profiles of the job, where every attempt and timer hashes its pair.
     */
    @Override
    public int hashCode() {
        return 31 * (31 * workspaceId.hashCode() + sourceId.hashCode()) + destinationId.hashCode();
    }

    @Override
    public boolean equals(Object o) {
        return this == o
                || (o instanceof PairKey k
                        && workspaceId.equals(k.workspaceId)
                        && sourceId.equals(k.sourceId)
                        && destinationId.equals(k.destinationId));
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
