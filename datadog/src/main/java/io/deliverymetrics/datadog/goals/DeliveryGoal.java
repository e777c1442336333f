package io.deliverymetrics.datadog.goals;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A delivery goal as {@code GET /v1/workspaces/{ws}/goals} serves it: a kind with its target, over
 * a window when the kind has one, for the whole workspace, one destination ({@code sourceId} null)
 * or one source → destination pair.
 *
 * @param target success rate: a fraction in (0, 1); p95 latency: milliseconds; data lag: seconds
 * @param window null for {@link Kind#DATA_LAG}
 * @param sourceId null unless the goal is for one pair
 * @param destinationId null for a workspace goal
 */
public record DeliveryGoal(
        String workspaceId,
        String goalId,
        Kind kind,
        double target,
        Duration window,
        String sourceId,
        String destinationId,
        String description) {

    /** What a goal bounds; the API's {@code kind}. */
    public enum Kind {
        /** Minimum delivered ÷ (delivered + discarded + expired) over the window. */
        SUCCESS_RATE("success_rate"),
        /** Maximum p95 latency of delivered events over the window, in milliseconds. */
        LATENCY_P95("latency_p95"),
        /** Maximum seconds the complete minutes may trail the clock. */
        DATA_LAG("data_lag");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<Kind> fromWireName(String s) {
            return Arrays.stream(values()).filter(k -> k.wireName.equals(s)).findFirst();
        }
    }

    public DeliveryGoal {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(goalId, "goalId");
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.DATA_LAG) != (window == null)) {
            throw new IllegalArgumentException(
                    "goal " + goalId + ": a " + kind.wireName() + " goal with window " + window);
        }
        if (sourceId != null && destinationId == null) {
            throw new IllegalArgumentException("goal " + goalId + ": a source needs a destination");
        }
        if (!(target > 0) || !Double.isFinite(target)) {
            throw new IllegalArgumentException("goal " + goalId + ": target " + target);
        }
        description = description == null ? "" : description;
    }

    /** {@code workspace}, {@code destination} or {@code pair}, as the API names it. */
    public String scope() {
        return destinationId == null ? "workspace" : sourceId == null ? "destination" : "pair";
    }
}
