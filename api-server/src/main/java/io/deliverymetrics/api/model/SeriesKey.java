package io.deliverymetrics.api.model;

import io.deliverymetrics.core.model.PairKey;
import java.util.Comparator;

/**
 * Identifies one series of a response: the grouped-by parts of the pair, {@code null} where not
 * grouped. Series are ordered by this key, which is what cursors page over.
 */
public record SeriesKey(String sourceId, String destinationId) implements Comparable<SeriesKey> {

    /** The key of the single series when nothing is grouped. */
    public static final SeriesKey ALL = new SeriesKey(null, null);

    private static final Comparator<SeriesKey> ORDER =
            Comparator.comparing(
                            SeriesKey::sourceId, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(
                            SeriesKey::destinationId,
                            Comparator.nullsFirst(Comparator.naturalOrder()));

    /**
     * Whether the series is (a group of) its workspace's overflow pair, which counts the attempts
     * of the pairs beyond the streaming job's cap.
     */
    public boolean isOverflow() {
        return PairKey.OVERFLOW_ID.equals(sourceId) || PairKey.OVERFLOW_ID.equals(destinationId);
    }

    @Override
    public int compareTo(SeriesKey o) {
        return ORDER.compare(this, o);
    }
}
