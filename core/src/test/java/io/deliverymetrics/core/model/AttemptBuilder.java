package io.deliverymetrics.core.model;

import java.time.Duration;
import java.time.Instant;

/**
 * The project's one test data builder for {@link DeliveryAttempt}: {@code anAttempt().pair("ws",
 * "src", "dst").at("12:00:30").latencyMs(250).delivered()}. Shared with the other modules' tests
 * through core's test jar.
 */
public final class AttemptBuilder {

    private static final String DAY = "2026-11-26T";

    private String workspaceId = "ws_acme";
    private String sourceId = "src_web";
    private String destinationId = "dst_amplitude";
    private String eventId = "msg_1";
    private String errorMessage;
    private int attempt = 1;
    private String errorCode;
    private Instant completedAt = Instant.parse(DAY + "04:00:01.456Z");
    private long latencyMs = 100;
    private String eventType = DeliveryAttempt.UNKNOWN_TYPE;
    private String eventName;

    private AttemptBuilder() {}

    public static AttemptBuilder anAttempt() {
        return new AttemptBuilder();
    }

    public AttemptBuilder pair(String workspace, String source, String destination) {
        this.workspaceId = workspace;
        this.sourceId = source;
        this.destinationId = destination;
        return this;
    }

    public AttemptBuilder event(String id) {
        this.eventId = id;
        return this;
    }

    /** Completion time on the builder's fixed UTC day, e.g. {@code "12:00:30"}. */
    public AttemptBuilder at(String timeOfDay) {
        this.completedAt = Instant.parse(DAY + timeOfDay + "Z");
        return this;
    }

    /** Completion time. */
    public AttemptBuilder at(Instant completedAt) {
        this.completedAt = completedAt;
        return this;
    }

    public AttemptBuilder attempt(int n) {
        this.attempt = n;
        return this;
    }

    public AttemptBuilder latencyMs(long ms) {
        this.latencyMs = ms;
        return this;
    }

    public AttemptBuilder errorCode(String code) {
        this.errorCode = code;
        return this;
    }

    /** The event type, a slug ({@code unknown} unless set). */
    public AttemptBuilder eventType(String type) {
        this.eventType = type;
        return this;
    }

    /** The event name, {@code null} (the default) for none. */
    public AttemptBuilder eventName(String name) {
        this.eventName = name;
        return this;
    }

    public AttemptBuilder errorMessage(String message) {
        this.errorMessage = message;
        return this;
    }

    public DeliveryAttempt delivered() {
        return build(Outcome.DELIVERED);
    }

    public DeliveryAttempt retrying() {
        return build(Outcome.RETRYING);
    }

    public DeliveryAttempt discarded() {
        return build(Outcome.DISCARDED);
    }

    public DeliveryAttempt expired() {
        return build(Outcome.EXPIRED);
    }

    public DeliveryAttempt filtered() {
        return build(Outcome.FILTERED);
    }

    /** An attempt with {@code outcome}; the same as {@link #build}. */
    public DeliveryAttempt outcome(Outcome outcome) {
        return build(outcome);
    }

    public DeliveryAttempt build(Outcome outcome) {
        return new DeliveryAttempt(
                workspaceId,
                sourceId,
                destinationId,
                eventId,
                attempt,
                outcome,
                errorCode,
                completedAt.minus(Duration.ofMillis(latencyMs)),
                completedAt,
                DeliveryAttempt.UNKNOWN_TYPE,
                eventType,
                eventName,
                errorMessage);
    }
}
