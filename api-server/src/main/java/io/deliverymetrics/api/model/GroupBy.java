package io.deliverymetrics.api.model;

import io.deliverymetrics.core.model.PairKey;
import java.util.Locale;
import java.util.Optional;

/** How the pairs of a workspace are split into series. */
public enum GroupBy {
    /** One series aggregating every matching pair. */
    NONE,
    /** One series per (source, destination) pair. */
    PAIR,
    /** One series per source, aggregating its destinations. */
    SOURCE,
    /** One series per destination, aggregating its sources. */
    DESTINATION;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The value of the {@code group_by} parameter; {@code none} is the default. */
    public String wireName() {
        return wireName;
    }

    /** The series a pair's rows belong to. */
    public SeriesKey keyOf(PairKey pair) {
        return switch (this) {
            case NONE -> SeriesKey.ALL;
            case PAIR -> new SeriesKey(pair.sourceId(), pair.destinationId());
            case SOURCE -> new SeriesKey(pair.sourceId(), null);
            case DESTINATION -> new SeriesKey(null, pair.destinationId());
        };
    }

    /** Looks up by wire name ({@code pair}, {@code source}, {@code destination}, {@code none}). */
    public static Optional<GroupBy> fromWireName(String name) {
        for (GroupBy g : values()) {
            if (g.wireName.equals(name)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
