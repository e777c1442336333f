package io.deliverymetrics.core.metrics;

import java.util.Objects;

/**
 * One row of a bucket's event breakdown: an event type (a slug, {@code unknown} when the record had
 * none) and an event name ({@code null} when the record had none).
 *
 * <p>{@link #OTHER} collects the keys beyond {@link MetricBucket#MAX_EVENT_KEYS}; its type {@value
 * #OTHER_TYPE} is no slug, so no input can produce it.
 */
public record EventKey(String eventType, String eventName) implements Comparable<EventKey> {

    /** Event type of the row that collects keys beyond the cap; a slug can never be {@code *}. */
    public static final String OTHER_TYPE = "*";

    /** The key that collects the counts of keys beyond the per-bucket cap. */
    public static final EventKey OTHER = new EventKey(OTHER_TYPE, null);

    public EventKey {
        Objects.requireNonNull(eventType, "eventType");
    }

    // Written out: the generated methods' method-handle chains cost more on a per-attempt lookup.
    @Override
    public int hashCode() {
        return 31 * eventType.hashCode() + (eventName == null ? 0 : eventName.hashCode());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventKey k
                && eventType.equals(k.eventType)
                && Objects.equals(eventName, k.eventName);
    }

    public boolean isOther() {
        return OTHER_TYPE.equals(eventType);
    }

    /** By type, then name with no name first (the order of the rows in storage and encodings). */
    @Override
    public int compareTo(EventKey o) {
        int c = eventType.compareTo(o.eventType);
        if (c != 0) {
            return c;
        }
        if (eventName == null || o.eventName == null) {
            return eventName == null ? (o.eventName == null ? 0 : -1) : 1;
        }
        return eventName.compareTo(o.eventName);
    }
}
