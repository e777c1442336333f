package io.deliverymetrics.api.goals;

import java.util.Arrays;
import java.util.Optional;

/** What a goal bounds, and the unit of its target. */
public enum GoalKind {
    /**
     * Minimum success rate over a rolling window: delivered ÷ (delivered + discarded + expired);
     * filtered events and retried attempts are left out. Target a fraction in (0, 1).
     */
    SUCCESS_RATE("success_rate", true),
    /** Maximum p95 latency of delivered events over a window. Target in milliseconds. */
    LATENCY_P95("latency_p95", true),
    /**
     * Maximum data lag: how far the complete minutes trail the wall clock. Target in seconds; no
     * window.
     */
    DATA_LAG("data_lag", false);

    private final String wireName;
    private final boolean windowed;

    GoalKind(String wireName, boolean windowed) {
        this.wireName = wireName;
        this.windowed = windowed;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the goal is measured over a window. */
    public boolean windowed() {
        return windowed;
    }

    public static Optional<GoalKind> fromWireName(String s) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(s)).findFirst();
    }
}
