package io.deliverymetrics.api.model;

import io.deliverymetrics.core.metrics.EventKey;
import io.deliverymetrics.core.model.PairKey;
import java.util.Comparator;

/**
 * Identifies one series of a response: the grouped-by parts of the pair or of the event breakdown,
 * {@code null} where not grouped. Series are ordered by this key, which is what cursors page over.
 *
 * <p>Grouped by event name, {@code eventName} is {@code null} for the events that had no name (the
 * grouping says which of the two a {@code null} means).
 */
public record SeriesKey(String sourceId, String destinationId, String eventType, String eventName)
        implements Comparable<SeriesKey> {

    /** The key of the single series when nothing is grouped. */
    public static final SeriesKey ALL = new SeriesKey(null, null);

    private static final Comparator<String> NULLS_FIRST =
            Comparator.nullsFirst(Comparator.naturalOrder());

    private static final Comparator<SeriesKey> ORDER =
            Comparator.comparing(SeriesKey::sourceId, NULLS_FIRST)
                    .thenComparing(SeriesKey::destinationId, NULLS_FIRST)
                    .thenComparing(SeriesKey::eventType, NULLS_FIRST)
                    .thenComparing(SeriesKey::eventName, NULLS_FIRST);

    /** A key of a pair grouping (pair, source or destination). */
    public SeriesKey(String sourceId, String destinationId) {
        this(sourceId, destinationId, null, null);
    }

    /** A key of an event grouping: event type, and the name when grouped by name. */
    public static SeriesKey ofEvent(String eventType, String eventName) {
        return new SeriesKey(null, null, eventType, eventName);
    }

    /**
     * Whether the series is (a group of) its workspace's overflow pair, which counts the attempts
     * of the pairs beyond the streaming job's cap.
     */
    public boolean isOverflow() {
        return PairKey.OVERFLOW_ID.equals(sourceId) || PairKey.OVERFLOW_ID.equals(destinationId);
    }

    /**
     * Whether the series is the event breakdown's other row ({@link EventKey#OTHER}), which counts
     * the events beyond the per-bucket cap on event keys.
     */
    public boolean isOther() {
        return EventKey.OTHER_TYPE.equals(eventType);
    }

    @Override
    public int compareTo(SeriesKey o) {
        return ORDER.compare(this, o);
    }
}
