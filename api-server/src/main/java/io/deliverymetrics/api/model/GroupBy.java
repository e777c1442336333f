package io.deliverymetrics.api.model;

import io.deliverymetrics.core.metrics.EventKey;
import io.deliverymetrics.core.model.PairKey;
import java.util.Locale;
import java.util.Optional;

/** How the pairs of a workspace, or their event breakdown, are split into series. */
public enum GroupBy {
    /** One series aggregating every matching pair. */
    NONE,
    /** One series per (source, destination) pair. */
    PAIR,
    /** One series per source, aggregating its destinations. */
    SOURCE,
    /** One series per destination, aggregating its sources. */
    DESTINATION,
    /** One series per event type of the event breakdown, over the matching pairs. */
    EVENT_TYPE,
    /** One series per (event type, event name) of the event breakdown, over the matching pairs. */
    EVENT_NAME;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The value of the {@code group_by} parameter; {@code none} is the default. */
    public String wireName() {
        return wireName;
    }

    /**
     * Whether the series come from the event breakdown (outcome counters per event) rather than
     * from the pairs' buckets.
     */
    public boolean byEvent() {
        return this == EVENT_TYPE || this == EVENT_NAME;
    }

    /** The series a pair's rows belong to; not for the event groupings. */
    public SeriesKey keyOf(PairKey pair) {
        return switch (this) {
            case NONE -> SeriesKey.ALL;
            case PAIR -> new SeriesKey(pair.sourceId(), pair.destinationId());
            case SOURCE -> new SeriesKey(pair.sourceId(), null);
            case DESTINATION -> new SeriesKey(null, pair.destinationId());
            case EVENT_TYPE, EVENT_NAME ->
                    throw new IllegalStateException(this + " groups event rows, not pairs");
        };
    }

    /** The series a row of the event breakdown belongs to; only for the event groupings. */
    public SeriesKey keyOf(EventKey event) {
        return switch (this) {
            case EVENT_TYPE -> SeriesKey.ofEvent(event.eventType(), null);
            case EVENT_NAME -> SeriesKey.ofEvent(event.eventType(), event.eventName());
            default -> throw new IllegalStateException(this + " groups pairs, not event rows");
        };
    }

    /**
     * Looks up by wire name ({@code pair}, {@code source}, {@code destination}, {@code event_type},
     * {@code event_name}, {@code none}).
     */
    public static Optional<GroupBy> fromWireName(String name) {
        for (GroupBy g : values()) {
            if (g.wireName.equals(name)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
