package io.deliverymetrics.core.time;

import java.time.Instant;
import java.util.Objects;

/**
 * How far the streaming job's minutes can be trusted on one shard.
 *
 * <p>A minute is <em>complete</em> once the job's event-time watermark has passed its end: every
 * record that was not late is counted in it, and only records up to the allowed lateness behind the
 * watermark can still correct it. It is <em>final</em> once the watermark is the allowed lateness
 * past its end as well: no record can change its counts any more (later ones are only added to
 * {@code late_dropped}).
 *
 * @param completeThrough minutes before this instant are complete
 * @param finalThrough minutes before this instant are final; never after {@code completeThrough}
 */
public record Completeness(Instant completeThrough, Instant finalThrough) {

    public Completeness {
        Objects.requireNonNull(completeThrough, "completeThrough");
        Objects.requireNonNull(finalThrough, "finalThrough");
        if (finalThrough.isAfter(completeThrough)) {
            throw new IllegalArgumentException(
                    "finalThrough "
                            + finalThrough
                            + " is after completeThrough "
                            + completeThrough);
        }
    }
}
