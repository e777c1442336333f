package io.deliverymetrics.loadgen.truth;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A destination type (as the pipeline sees it: {@code unknown} for records without one) and a UTC
 * minute; ordered by type, then minute.
 */
public record TypeMinuteKey(String destinationType, Instant minute)
        implements Comparable<TypeMinuteKey> {

    private static final Comparator<TypeMinuteKey> ORDER =
            Comparator.comparing(TypeMinuteKey::destinationType)
                    .thenComparing(TypeMinuteKey::minute);

    public TypeMinuteKey {
        Objects.requireNonNull(destinationType, "destinationType");
        Objects.requireNonNull(minute, "minute");
    }

    @Override
    public int compareTo(TypeMinuteKey o) {
        return ORDER.compare(this, o);
    }
}
