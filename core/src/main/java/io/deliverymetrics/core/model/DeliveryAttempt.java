package io.deliverymetrics.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One delivery attempt of one event to one destination, validated.
 *
 * <p>Event time is {@link #completedAt()}. Instances come from {@code AttemptParser}, which
 * enforces the contract (ids, outcome, attempt ≥ 1, {@code completedAt ≥ receivedAt}, the optional
 * text fields' limits).
 *
 * @param errorCode the destination's error code, or {@code null} when none was reported
 * @param destinationType the partner API of the destination (a lower-case slug such as {@code
 *     braze}), {@link #UNKNOWN_TYPE} when the record did not say
 * @param eventType the kind of event (a slug such as {@code track}), {@link #UNKNOWN_TYPE} when the
 *     record did not say
 * @param eventName the event's name (1–128 code points of text), or {@code null} when it has none
 * @param errorMessage what the destination answered (at most 1,024 code points, longer ones end in
 *     the truncation marker), or {@code null} when none was reported
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
        Instant completedAt,
        String destinationType,
        String eventType,
        String eventName,
        String errorMessage) {

    /** The destination or event type of a record that does not carry one. */
    public static final String UNKNOWN_TYPE = "unknown";

    public DeliveryAttempt {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(completedAt, "completedAt");
        Objects.requireNonNull(destinationType, "destinationType");
        Objects.requireNonNull(eventType, "eventType");
    }

    /** An attempt without the optional fields: unknown destination and event type, no texts. */
    public DeliveryAttempt(
            String workspaceId,
            String sourceId,
            String destinationId,
            String eventId,
            int attempt,
            Outcome outcome,
            String errorCode,
            Instant receivedAt,
            Instant completedAt) {
        this(
                workspaceId,
                sourceId,
                destinationId,
                eventId,
                attempt,
                outcome,
                errorCode,
                receivedAt,
                completedAt,
                UNKNOWN_TYPE,
                UNKNOWN_TYPE,
                null,
                null);
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
