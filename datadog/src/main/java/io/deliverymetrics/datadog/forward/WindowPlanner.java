package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.datadog.model.PollWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the minutes a poll reads and how far a workspace counts as forwarded afterwards.
 *
 * <p>A poll at {@code now} reads up to the start of the current minute. It starts {@code overlap}
 * earlier, or earlier still at the first minute not yet forwarded (after a restart or an outage),
 * but never more than {@code maxCatchUp} back: Datadog does not ingest points older than an hour
 * unless historical ingestion is enabled.
 */
public final class WindowPlanner {

    private final Duration overlap;
    private final Duration maxCatchUp;

    public WindowPlanner(Duration overlap, Duration maxCatchUp) {
        this.overlap = Objects.requireNonNull(overlap, "overlap");
        this.maxCatchUp = Objects.requireNonNull(maxCatchUp, "maxCatchUp");
        if (maxCatchUp.compareTo(overlap) < 0) {
            throw new IllegalArgumentException("maxCatchUp must be at least overlap");
        }
    }

    public PollWindow plan(Instant now, Optional<Instant> forwardedThrough) {
        Instant end = floorMinute(now);
        Instant overlapStart = end.minus(overlap);
        Instant wanted =
                forwardedThrough
                        .map(
                                ft ->
                                        floorMinute(ft).isBefore(overlapStart)
                                                ? floorMinute(ft)
                                                : overlapStart)
                        .orElse(overlapStart);
        Instant earliest = end.minus(maxCatchUp);
        if (wanted.isBefore(earliest)) {
            return new PollWindow(earliest, end, Optional.of(wanted));
        }
        return new PollWindow(wanted, end, Optional.empty());
    }

    /**
     * How far a workspace is forwarded once every complete point of {@code window} was accepted:
     * through the window's end or the API's {@code complete_through}, whichever is earlier; never
     * backwards.
     */
    public static Optional<Instant> advance(
            Optional<Instant> previous, PollWindow window, Optional<Instant> completeThrough) {
        if (completeThrough.isEmpty()) {
            return previous;
        }
        Instant complete = floorMinute(completeThrough.get());
        Instant reached = complete.isBefore(window.end()) ? complete : window.end();
        if (reached.isBefore(window.start())) {
            // The pipeline is behind the window: nothing new is complete.
            return previous;
        }
        return previous.filter(p -> p.isAfter(reached)).or(() -> Optional.of(reached));
    }

    static Instant floorMinute(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES);
    }
}
