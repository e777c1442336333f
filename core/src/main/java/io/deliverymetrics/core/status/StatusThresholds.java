package io.deliverymetrics.core.status;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.config.Settings;
import java.time.Duration;

/**
 * When a destination type counts as degraded or down; settings {@code status.*}.
 *
 * @param window minutes judged together, ending at the minute being classified (a single minute of
 *     a small type is too noisy)
 * @param minAttempts attempts in the window below which the type stays operational: too little
 *     traffic to judge
 * @param minWorkspaces affected workspaces in the window needed before failures count against the
 *     type, and contributing workspaces needed before latency does: one workspace's broken
 *     configuration is not the partner's problem
 * @param degradedLoss share of the attempts that usually succeed that now fail, for degraded
 * @param outageLoss the same share, for an outage
 * @param degradedBreadth affected ÷ contributing workspaces in the window, for degraded
 * @param outageBreadth the same, for an outage
 * @param latencyFactor p95 latency at least this multiple of the baseline's is degraded ...
 * @param latencyMinIncreaseMs ... when it is also at least this much above it
 */
public record StatusThresholds(
        Duration window,
        long minAttempts,
        long minWorkspaces,
        double degradedLoss,
        double outageLoss,
        double degradedBreadth,
        double outageBreadth,
        double latencyFactor,
        long latencyMinIncreaseMs) {

    /** The defaults, as in the documentation. */
    public static final StatusThresholds DEFAULTS =
            new StatusThresholds(Duration.ofMinutes(5), 100, 3, 0.1, 0.5, 0.2, 0.5, 2.0, 250);

    public StatusThresholds {
        if (window.isNegative()
                || window.toMinutes() < 1
                || !window.equals(Duration.ofMinutes(window.toMinutes()))) {
            throw new ConfigException("status.window must be whole minutes, at least 1: " + window);
        }
        requirePositive("status.min-attempts", minAttempts);
        requirePositive("status.min-workspaces", minWorkspaces);
        requireShare("status.degraded-loss", degradedLoss);
        requireShare("status.outage-loss", outageLoss);
        requireShare("status.degraded-breadth", degradedBreadth);
        requireShare("status.outage-breadth", outageBreadth);
        if (outageLoss < degradedLoss || outageBreadth < degradedBreadth) {
            throw new ConfigException(
                    "status.outage-loss and status.outage-breadth must not be below their degraded"
                            + " counterparts");
        }
        if (!(latencyFactor >= 1.0)) {
            throw new ConfigException("status.latency-factor must be at least 1: " + latencyFactor);
        }
        if (latencyMinIncreaseMs < 0) {
            throw new ConfigException(
                    "status.latency-min-increase-ms must not be negative: " + latencyMinIncreaseMs);
        }
    }

    /** From {@code status.*} in {@code s}, each key defaulting to {@link #DEFAULTS}. */
    public static StatusThresholds fromSettings(Settings s) {
        StatusThresholds d = DEFAULTS;
        return new StatusThresholds(
                s.duration("status.window", d.window()),
                s.longValue("status.min-attempts", d.minAttempts()),
                s.longValue("status.min-workspaces", d.minWorkspaces()),
                s.decimal("status.degraded-loss", d.degradedLoss()),
                s.decimal("status.outage-loss", d.outageLoss()),
                s.decimal("status.degraded-breadth", d.degradedBreadth()),
                s.decimal("status.outage-breadth", d.outageBreadth()),
                s.decimal("status.latency-factor", d.latencyFactor()),
                s.longValue("status.latency-min-increase-ms", d.latencyMinIncreaseMs()));
    }

    /** Minutes in {@link #window}. */
    public int windowMinutes() {
        return Math.toIntExact(window.toMinutes());
    }

    private static void requirePositive(String key, long v) {
        if (v < 1) {
            throw new ConfigException(key + " must be at least 1: " + v);
        }
    }

    private static void requireShare(String key, double v) {
        if (!(v > 0 && v <= 1)) {
            throw new ConfigException(key + " must be in (0, 1]: " + v);
        }
    }
}
