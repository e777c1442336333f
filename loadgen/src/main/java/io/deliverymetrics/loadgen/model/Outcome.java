package io.deliverymetrics.loadgen.model;

/** The outcome of one delivery attempt, as written in the record's {@code outcome} field. */
public enum Outcome {
    DELIVERED("delivered", true),
    RETRYING("retrying", false),
    DISCARDED("discarded", true),
    EXPIRED("expired", true),
    FILTERED("filtered", true);

    private final String wireName;
    private final boolean terminal;

    Outcome(String wireName, boolean terminal) {
        this.wireName = wireName;
        this.terminal = terminal;
    }

    /** The lowercase name used in the JSON record, e.g. {@code delivered}. */
    public String wireName() {
        return wireName;
    }

    /** Whether this outcome ends an event's attempt chain. */
    public boolean terminal() {
        return terminal;
    }

    /** Whether the contract requires a non-null {@code error_code} for this outcome. */
    public boolean requiresErrorCode() {
        return this == RETRYING || this == DISCARDED || this == EXPIRED;
    }
}
