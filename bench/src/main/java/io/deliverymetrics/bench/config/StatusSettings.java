package io.deliverymetrics.bench.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the destination status benchmark: a global database of many destination types and
 * workspaces, and the operator's {@code GET /v1/destinations} against it.
 *
 * @param types destination types, with Zipf popularity
 * @param workspaces workspaces, each sending to 1 to {@code maxTypesPerWorkspace} types
 * @param maxTypesPerWorkspace most types one workspace sends to
 * @param outageTypes popular types in an outage during the horizon
 * @param degradedTypes popular types degraded during the horizon
 * @param clients concurrent closed-loop clients, each with the operator token
 * @param warmup unmeasured time before each measurement
 * @param measured measured time of each closed-loop measurement
 * @param moveInterval how often {@code complete_through} moves during the recomputation runs
 * @param recomputations recomputations timed one at a time, nothing else in flight
 * @param goalP99 the p99 the report compares both answers with
 */
public record StatusSettings(
        int types,
        int workspaces,
        int maxTypesPerWorkspace,
        int outageTypes,
        int degradedTypes,
        int clients,
        Duration warmup,
        Duration measured,
        Duration moveInterval,
        int recomputations,
        Duration goalP99) {

    public StatusSettings {
        if (types < 1 || workspaces < 1 || maxTypesPerWorkspace < 1 || clients < 1) {
            throw new IllegalArgumentException(
                    "status needs >= 1 type, workspace, type per workspace and client");
        }
        if (outageTypes < 0 || degradedTypes < 0 || outageTypes + degradedTypes > types) {
            throw new IllegalArgumentException(
                    "status: outage and degraded types must be within the "
                            + types
                            + " types, were "
                            + outageTypes
                            + " and "
                            + degradedTypes);
        }
        if (recomputations < 1) {
            throw new IllegalArgumentException(
                    "status needs >= 1 timed recomputation, was " + recomputations);
        }
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(moveInterval, "moveInterval");
        Objects.requireNonNull(goalP99, "goalP99");
        if (moveInterval.isZero() || moveInterval.isNegative()) {
            throw new IllegalArgumentException("status: moveInterval must be > 0");
        }
    }

    /**
     * 300 types, 10,000 workspaces of 1–5 types each, 3 types in an outage and 3 degraded; 8
     * clients, 3 s warm-up and 15 s measured; {@code complete_through} moves every 500 ms; 20 timed
     * recomputations; goal p99 ≤ 50 ms.
     */
    public static StatusSettings full() {
        return new StatusSettings(
                300,
                10_000,
                5,
                3,
                3,
                8,
                Duration.ofSeconds(3),
                Duration.ofSeconds(15),
                Duration.ofMillis(500),
                20,
                Duration.ofMillis(50));
    }

    /** 20 types and 200 workspaces, 1 s measured, a move every 250 ms, 3 timed recomputations. */
    public static StatusSettings smoke() {
        return new StatusSettings(
                20,
                200,
                5,
                1,
                1,
                8,
                Duration.ofMillis(200),
                Duration.ofSeconds(1),
                Duration.ofMillis(250),
                3,
                Duration.ofMillis(50));
    }
}
