package io.deliverymetrics.bench.isolation;

import io.deliverymetrics.core.shard.ShardRouter;
import java.util.Objects;

/**
 * Two workspace ids the shard router sends to the same shard, so that they share its connection
 * pool and its database: the noisy workspace A and the quiet workspace B of the isolation
 * benchmark.
 *
 * @param noisy workspace A
 * @param quiet workspace B
 * @param shard the shard both are routed to
 */
public record SameShardWorkspaces(String noisy, String quiet, int shard) {

    /** Candidates tried for the quiet workspace before giving up. */
    static final int MAX_CANDIDATES = 1_000;

    public SameShardWorkspaces {
        Objects.requireNonNull(noisy, "noisy");
        Objects.requireNonNull(quiet, "quiet");
        if (noisy.equals(quiet)) {
            throw new IllegalArgumentException("noisy and quiet must differ, both were " + noisy);
        }
    }

    /**
     * {@code noisy} itself, and the first of {@code quietPrefix_0}, {@code quietPrefix_1}, … that
     * {@code router} sends to the same shard.
     *
     * @throws IllegalStateException when none of the first {@value #MAX_CANDIDATES} candidates does
     *     (only possible when overrides pin them elsewhere)
     */
    public static SameShardWorkspaces pick(ShardRouter router, String noisy, String quietPrefix) {
        int shard = router.shardOf(noisy);
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            String candidate = quietPrefix + "_" + i;
            if (!candidate.equals(noisy) && router.shardOf(candidate) == shard) {
                return new SameShardWorkspaces(noisy, candidate, shard);
            }
        }
        throw new IllegalStateException(
                "none of "
                        + quietPrefix
                        + "_0.."
                        + (MAX_CANDIDATES - 1)
                        + " is routed to shard "
                        + shard
                        + " of "
                        + noisy);
    }

    /** Whether {@code router} still sends both workspaces to {@link #shard}. */
    public boolean sameShardIn(ShardRouter router) {
        return router.shardOf(noisy) == shard && router.shardOf(quiet) == shard;
    }
}
