package io.deliverymetrics.core.model;

import java.util.Locale;
import java.util.Optional;

/** The result of one delivery attempt, as the delivery system reports it. */
public enum Outcome {
    /** Terminal success. Counted per event; the only outcome with a latency. */
    DELIVERED,
    /** This attempt failed and another will follow. Counted per attempt. */
    RETRYING,
    /** Terminal: rejected by the destination or not retryable. Counted per event. */
    DISCARDED,
    /** Terminal: retries exhausted. Counted per event. */
    EXPIRED,
    /** Dropped by a destination filter; not a failure. Counted per event. */
    FILTERED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name used in the JSON contract and in the database, e.g. {@code "delivered"}. */
    public String wireName() {
        return wireName;
    }

    /** Whether attempts with this outcome carry an error code worth counting. */
    public boolean isFailure() {
        return this == RETRYING || this == DISCARDED || this == EXPIRED;
    }

    /**
     * Looks up an outcome by its wire name; empty for anything unknown (including case variants).
     */
    public static Optional<Outcome> fromWireName(String name) {
        for (Outcome o : values()) {
            if (o.wireName.equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
