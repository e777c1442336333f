package io.deliverymetrics.api.goals;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One delivery goal of a workspace: a {@link GoalKind} with its target, over {@code window} when
 * the kind has one, for the whole workspace, one destination ({@code sourceId} null) or one pair.
 *
 * @param window null for {@link GoalKind#DATA_LAG}
 * @param createdAt null until stored
 * @param updatedAt null until stored
 */
public record Goal(
        String workspaceId,
        String goalId,
        GoalKind kind,
        double target,
        Duration window,
        String sourceId,
        String destinationId,
        String description,
        Instant createdAt,
        Instant updatedAt) {

    public Goal {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(goalId, "goalId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        if (kind.windowed() != (window != null)) {
            throw new IllegalArgumentException(kind.wireName() + " goal with window " + window);
        }
        if (sourceId != null && destinationId == null) {
            throw new IllegalArgumentException("a source needs a destination");
        }
    }

    /** {@code workspace}, {@code destination} or {@code pair}. */
    public String scope() {
        return destinationId == null ? "workspace" : sourceId == null ? "destination" : "pair";
    }
}
