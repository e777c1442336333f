package io.deliverymetrics.api.internal;

import io.deliverymetrics.api.model.ShardTotals;
import io.deliverymetrics.api.query.TotalsStore;
import io.deliverymetrics.sql.PipelineProgress;
import io.deliverymetrics.sql.TotalsRows;
import io.deliverymetrics.sql.TotalsRows.PairTotals;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads each pair's running totals from a shard's {@code delivery_totals} through sql's {@link
 * TotalsRows}, and the shard's {@code final_through} through {@link PipelineProgress}. Every read
 * goes to the table: every API replica answers from the same rows, so a load-balanced scraper never
 * sees a total go down. One row per pair, so a scrape costs one indexed read per pair however long
 * the history behind the totals.
 */
public final class JdbcTotalsStore implements TotalsStore {

    private final ShardPools pools;
    private final String pipelineName;

    public JdbcTotalsStore(ShardPools pools, String pipelineName) {
        this.pools = Objects.requireNonNull(pools, "pools");
        this.pipelineName = Objects.requireNonNull(pipelineName, "pipelineName");
    }

    @Override
    public int shardCount() {
        return pools.size();
    }

    @Override
    public int shardOf(String workspaceId) {
        return pools.shardOf(workspaceId);
    }

    @Override
    public ShardTotals read(int shard, String workspaceId, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        try (Connection c = pools.pool(shard).getConnection()) {
            Optional<Instant> finalThrough = PipelineProgress.finalThrough(c, pipelineName);
            // One row beyond the limit tells whether anything was left out.
            List<PairTotals> rows = TotalsRows.read(c, Optional.ofNullable(workspaceId), limit + 1);
            boolean more = rows.size() > limit;
            return new ShardTotals(shard, finalThrough, more ? rows.subList(0, limit) : rows, more);
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot read the totals of shard " + shard, e);
        }
    }

    @Override
    public boolean hasPair(String workspaceId, String sourceId, String destinationId) {
        int shard = shardOf(workspaceId);
        try (Connection c = pools.pool(shard).getConnection()) {
            return TotalsRows.exists(c, workspaceId, sourceId, destinationId);
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot read the totals of shard " + shard, e);
        }
    }
}
