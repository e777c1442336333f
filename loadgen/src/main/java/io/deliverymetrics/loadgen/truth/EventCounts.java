package io.deliverymetrics.loadgen.truth;

/**
 * Outcome counts of the valid records of one (pair, minute, event type, event name): terminal
 * outcomes count events, {@code retried} counts attempts.
 */
public record EventCounts(
        long records, long successes, long retried, long discarded, long expired, long filtered) {}
