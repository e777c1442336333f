package io.deliverymetrics.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One delivery attempt of one event to one destination, validated.
 *
 * <p>Event time is {@link #completedAt()}. Instances come from {@code AttemptParser}, which
 * enforces the contract (ids, outcome, attempt ≥ 1, {@code completedAt ≥ receivedAt}).
 *
 * @param errorCode the destination's error code, or {@code null} when none was reported
 */
public record DeliveryAttempt(
        String workspaceId,
        String sourceId,
        String destinationId,
        String eventId,
        int attempt,
        Outcome outcome,
        String errorCode,
        Instant receivedAt,
        Instant completedAt) {

    public DeliveryAttempt {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(completedAt, "completedAt");
    }

    public PairKey pair() {
        return new PairKey(workspaceId, sourceId, destinationId);
    }

    /** End-to-end latency in whole milliseconds (receipt to completion), truncated. */
    public long latencyMillis() {
        return Duration.between(receivedAt, completedAt).toMillis();
    }

    /** Event time in epoch milliseconds. */
    public long eventTimeMillis() {
        return completedAt.toEpochMilli();
    }
}
