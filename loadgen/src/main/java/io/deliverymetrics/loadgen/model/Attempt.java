package io.deliverymetrics.loadgen.model;

import java.util.Objects;

/**
 * One delivery attempt as the delivery system reports it, before it is encoded as JSON.
 *
 * <p>{@code errorCode} is null exactly for {@link Outcome#DELIVERED} and {@link Outcome#FILTERED};
 * timestamps are epoch milliseconds. The optional fields are {@code null} when the record leaves
 * them out.
 *
 * @param destinationType the destination's partner API, e.g. {@code braze}; null when omitted
 * @param eventType the event's type, e.g. {@code track}; null when omitted
 * @param eventName the event's name; null when it has none
 * @param errorMessage what the destination answered on a failure; null when there is none
 */
public record Attempt(
        Pair pair,
        String eventId,
        int attempt,
        Outcome outcome,
        String errorCode,
        long receivedAtMs,
        long completedAtMs,
        String destinationType,
        String eventType,
        String eventName,
        String errorMessage) {

    /**
     * The type that the pipeline assigns to a record without {@code destination_type} or {@code
     * event_type}.
     */
    public static final String UNKNOWN_TYPE = "unknown";

    public Attempt {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** An attempt without the optional fields. */
    public Attempt(
            Pair pair,
            String eventId,
            int attempt,
            Outcome outcome,
            String errorCode,
            long receivedAtMs,
            long completedAtMs) {
        this(
                pair,
                eventId,
                attempt,
                outcome,
                errorCode,
                receivedAtMs,
                completedAtMs,
                null,
                null,
                null,
                null);
    }

    /** End-to-end latency in milliseconds: completed_at minus received_at. */
    public long latencyMs() {
        return completedAtMs - receivedAtMs;
    }

    /** The destination type the pipeline sees: {@link #UNKNOWN_TYPE} when omitted. */
    public String destinationTypeOrUnknown() {
        return destinationType == null ? UNKNOWN_TYPE : destinationType;
    }

    /** The event type the pipeline sees: {@link #UNKNOWN_TYPE} when omitted. */
    public String eventTypeOrUnknown() {
        return eventType == null ? UNKNOWN_TYPE : eventType;
    }
}
