package io.deliverymetrics.bench.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the isolation benchmark: a quiet workspace B's pair query alone and while a noisy
 * workspace A on the same shard saturates its query budget.
 *
 * @param noisyPairs pairs of workspace A, whose expensive query reads all of them
 * @param quietPairs pairs of workspace B
 * @param days days of minute rows seeded for both, ending at the start of the current hour
 * @param noisyClients A's concurrent clients, more than the query budget
 * @param quietClients B's concurrent clients
 * @param quietRatePerClient requests per second each of B's clients sends on a fixed schedule
 *     (latency from when a request was due, so a late start counts); B's load is what a few
 *     dashboards send, within the per-token rate limit, not as much as the machine can answer
 * @param serverWarmup unmeasured load of both workspaces on each fresh server, so its hot paths are
 *     compiled before anything is measured
 * @param settle unmeasured time before each measured window, after the load changed
 * @param measured length of each measured window
 * @param unboundedBudget {@code query.max-concurrent-per-workspace} and {@code
 *     query.parallel-per-workspace} of the run without the budget, more than A's clients so that it
 *     never refuses a query or makes one wait its turn
 * @param serverOverrides API server settings that differ from its defaults in both runs (smoke
 *     only: a point cap of 60, so that A's query is cheap enough for 1 s windows)
 */
public record IsolationSettings(
        int noisyPairs,
        int quietPairs,
        int days,
        int noisyClients,
        int quietClients,
        double quietRatePerClient,
        Duration serverWarmup,
        Duration settle,
        Duration measured,
        int unboundedBudget,
        Map<String, String> serverOverrides) {

    public IsolationSettings {
        if (noisyPairs < 1 || quietPairs < 1) {
            throw new IllegalArgumentException(
                    "isolation needs pairs in both workspaces, was "
                            + noisyPairs
                            + " and "
                            + quietPairs);
        }
        if (days < 1) {
            throw new IllegalArgumentException("isolation days must be >= 1, was " + days);
        }
        if (noisyClients < 1 || quietClients < 1) {
            throw new IllegalArgumentException("isolation clients must be >= 1");
        }
        if (!(quietRatePerClient > 0)) {
            throw new IllegalArgumentException(
                    "isolation quiet rate per client must be positive, was " + quietRatePerClient);
        }
        Objects.requireNonNull(serverWarmup, "serverWarmup");
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(measured, "measured");
        if (measured.toMillis() < 100) {
            throw new IllegalArgumentException(
                    "isolation measured window must be at least 100 ms, was " + measured);
        }
        if (unboundedBudget <= noisyClients) {
            throw new IllegalArgumentException(
                    "the unbounded budget ("
                            + unboundedBudget
                            + ") must exceed the noisy clients ("
                            + noisyClients
                            + "), or it still refuses queries");
        }
        serverOverrides = Map.copyOf(serverOverrides);
    }

    /**
     * 200 pairs in A and 10 in B over 3 days (about 900,000 minute rows, 80 s of seeding here), 16
     * clients of A, 4 of B at 10 requests/s each (the default per-token rate limit), 30 s windows
     * (1,200 of B's responses each).
     */
    public static IsolationSettings full() {
        return new IsolationSettings(
                200,
                10,
                3,
                16,
                4,
                10,
                Duration.ofSeconds(10),
                Duration.ofSeconds(3),
                Duration.ofSeconds(30),
                1_000,
                Map.of());
    }

    /**
     * Tiny sizes that only prove the benchmark runs: 8 and 2 pairs over a day, 1 s windows, A's
     * query over an hour.
     */
    public static IsolationSettings smoke() {
        return new IsolationSettings(
                8,
                2,
                1,
                16,
                2,
                50,
                Duration.ofMillis(500),
                Duration.ofMillis(300),
                Duration.ofSeconds(1),
                1_000,
                Map.of("query.max-points", "60"));
    }
}
