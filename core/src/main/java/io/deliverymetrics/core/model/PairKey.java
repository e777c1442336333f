package io.deliverymetrics.core.model;

import java.util.Objects;

/**
 * Identifies one source → destination pair within a workspace; the unit every metric is kept for.
 */
public record PairKey(String workspaceId, String sourceId, String destinationId)
        implements Comparable<PairKey> {

    /**
     * Source and destination id of a workspace's overflow pair, which counts the attempts of the
     * pairs beyond the workspace's cap on distinct active pairs. Reserved: the contract rejects it
     * as an input id.
     */
    public static final String OVERFLOW_ID = "__overflow__";

    public PairKey {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(destinationId, "destinationId");
    }

    /** {@code workspaceId}'s overflow pair ({@link #OVERFLOW_ID} → {@link #OVERFLOW_ID}). */
    public static PairKey overflow(String workspaceId) {
        return new PairKey(workspaceId, OVERFLOW_ID, OVERFLOW_ID);
    }

    /** Whether this is its workspace's overflow pair. */
    public boolean isOverflow() {
        return OVERFLOW_ID.equals(sourceId) && OVERFLOW_ID.equals(destinationId);
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
