package io.deliverymetrics.loadgen.model;

import java.util.Objects;

/**
 * One delivery attempt as the delivery system reports it, before it is encoded as JSON.
 *
 * <p>{@code errorCode} is null exactly for {@link Outcome#DELIVERED} and {@link Outcome#FILTERED};
 * timestamps are epoch milliseconds.
 */
public record Attempt(
        Pair pair,
        String eventId,
        int attempt,
        Outcome outcome,
        String errorCode,
        long receivedAtMs,
        long completedAtMs) {

    public Attempt {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** End-to-end latency in milliseconds: completed_at minus received_at. */
    public long latencyMs() {
        return completedAtMs - receivedAtMs;
    }
}
