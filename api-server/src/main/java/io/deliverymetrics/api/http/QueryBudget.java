package io.deliverymetrics.api.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many queries one workspace may run at once. A workspace past its budget gets 429 at once
 * instead of waiting for a connection, so its expensive queries cannot hold every connection of the
 * shard it shares with other workspaces.
 */
public final class QueryBudget {

    /** Problem type of a refused query. */
    public static final String PROBLEM_TYPE =
            ApiProblem.TYPE_PREFIX + "too-many-concurrent-queries";

    private final int maxConcurrent;
    // Queries running per workspace; a workspace leaves the map when its last query ends.
    private final Map<String, Integer> running = new ConcurrentHashMap<>();
    private final Counter refused;

    public QueryBudget(int maxConcurrent, MeterRegistry registry) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException(
                    "maxConcurrent must be positive, was " + maxConcurrent);
        }
        this.maxConcurrent = maxConcurrent;
        this.refused =
                Counter.builder("delivery.metrics.api.query.refused")
                        .description(
                                "Queries refused because their workspace already ran"
                                        + " query.max-concurrent-per-workspace queries.")
                        .tag("reason", "concurrency")
                        .register(registry);
    }

    /** Held while a query runs; closing it lets the workspace's next query in. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * A permit for one query of {@code workspace}.
     *
     * @throws ApiProblem 429 with {@code Retry-After} when the workspace is at its budget
     */
    public Permit acquire(String workspace) {
        boolean[] admitted = new boolean[1];
        running.compute(
                workspace,
                (w, n) -> {
                    int now = n == null ? 0 : n;
                    admitted[0] = now < maxConcurrent;
                    return admitted[0] ? now + 1 : n;
                });
        if (!admitted[0]) {
            refused.increment();
            throw new ApiProblem(
                    429,
                    PROBLEM_TYPE,
                    "Too many concurrent queries",
                    "workspace "
                            + workspace
                            + " already runs "
                            + maxConcurrent
                            + " queries, the most it may run at once; retry when one has"
                            + " finished, or ask for less at a time",
                    Map.of("max_concurrent_queries", maxConcurrent),
                    Map.of("Retry-After", "1"));
        }
        AtomicBoolean held = new AtomicBoolean(true);
        return () -> {
            if (held.compareAndSet(true, false)) {
                running.computeIfPresent(workspace, (w, n) -> n <= 1 ? null : n - 1);
            }
        };
    }
}
