package io.deliverymetrics.loadgen.model;

/** How a destination behaves when the delivery system sends to it. */
public enum FailureProfile {
    /** Almost everything is delivered on the first try. */
    HEALTHY,
    /**
     * Frequent {@code http_429}: attempts are retried after a Retry-After pause, then delivered.
     */
    RATE_LIMITED,
    /** Timeouts and 5xx: many retries, some events expire after the last attempt. */
    FLAKY,
    /** A share of events is rejected as invalid ({@code http_400}, {@code http_422}). */
    REJECTING
}
