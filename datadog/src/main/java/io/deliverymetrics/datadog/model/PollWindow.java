package io.deliverymetrics.datadog.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The minutes one poll of a workspace reads: {@code [start, end)}.
 *
 * @param skippedFrom when the workspace fell further behind than the catch-up limit: the first
 *     minute that will never be forwarded (up to {@code start})
 */
public record PollWindow(Instant start, Instant end, Optional<Instant> skippedFrom) {

    public PollWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(skippedFrom, "skippedFrom");
        if (start.isAfter(end)) {
            throw new IllegalArgumentException("start " + start + " is after end " + end);
        }
    }

    public boolean isEmpty() {
        return start.equals(end);
    }

    public long minutes() {
        return java.time.Duration.between(start, end).toMinutes();
    }
}
