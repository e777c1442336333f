package io.deliverymetrics.loadgen.truth;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A pair, a UTC minute, an event type ({@code unknown} when the records had none) and an event name
 * ({@code null} when they had none); ordered by pair, minute, type, then name with no name first.
 */
public record EventMinuteKey(
        String workspaceId,
        String sourceId,
        String destinationId,
        Instant minute,
        String eventType,
        String eventName)
        implements Comparable<EventMinuteKey> {

    private static final Comparator<EventMinuteKey> ORDER =
            Comparator.comparing(EventMinuteKey::workspaceId)
                    .thenComparing(EventMinuteKey::sourceId)
                    .thenComparing(EventMinuteKey::destinationId)
                    .thenComparing(EventMinuteKey::minute)
                    .thenComparing(EventMinuteKey::eventType)
                    .thenComparing(
                            EventMinuteKey::eventName,
                            Comparator.nullsFirst(Comparator.naturalOrder()));

    public EventMinuteKey {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(minute, "minute");
        Objects.requireNonNull(eventType, "eventType");
    }

    @Override
    public int compareTo(EventMinuteKey o) {
        return ORDER.compare(this, o);
    }
}
