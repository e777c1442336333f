package io.deliverymetrics.api.internal;

import io.deliverymetrics.api.model.ShardMinute;
import io.deliverymetrics.api.query.LastMinuteStore;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.sql.MetricRows;
import io.deliverymetrics.sql.PipelineProgress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads each shard's newest final minute for {@code /metrics}: {@code final_through} through {@link
 * PipelineProgress} first (so the minute it names is final before its rows are read), then one
 * bounded, ordered query of the minute tier (metric columns only: the export has no use for error
 * rows) mapped by sql's {@link MetricRows#readBucket}.
 */
public final class JdbcLastMinuteStore implements LastMinuteStore {

    private static final String ROWS_OF_MINUTE =
            """
            SELECT workspace_id, source_id, destination_id, bucket_start, %s
            FROM delivery_metrics_minute
            WHERE bucket_start = ?
            ORDER BY workspace_id, source_id, destination_id
            LIMIT ?"""
                    .formatted(MetricRows.METRIC_COLUMNS);

    private static final String ROWS_OF_MINUTE_OF_WORKSPACE =
            """
            SELECT workspace_id, source_id, destination_id, bucket_start, %s
            FROM delivery_metrics_minute
            WHERE bucket_start = ? AND workspace_id = ?
            ORDER BY source_id, destination_id
            LIMIT ?"""
                    .formatted(MetricRows.METRIC_COLUMNS);

    private final ShardPools pools;
    private final String pipelineName;

    public JdbcLastMinuteStore(ShardPools pools, String pipelineName) {
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
    public ShardMinute read(int shard, String workspaceId, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        try (Connection c = pools.pool(shard).getConnection()) {
            return read(c, shard, workspaceId, limit);
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot read the last minute of shard " + shard, e);
        }
    }

    private ShardMinute read(Connection c, int shard, String workspaceId, int limit)
            throws SQLException {
        Optional<Instant> finalThrough = PipelineProgress.finalThrough(c, pipelineName);
        if (finalThrough.isEmpty()) {
            return new ShardMinute(shard, finalThrough, List.of(), false);
        }
        Instant minute =
                Granularity.MINUTE.floor(finalThrough.get()).minus(Granularity.MINUTE.size());
        List<PairBucket> rows = new ArrayList<>();
        boolean more = false;
        try (PreparedStatement ps =
                c.prepareStatement(
                        workspaceId == null ? ROWS_OF_MINUTE : ROWS_OF_MINUTE_OF_WORKSPACE)) {
            int i = 1;
            ps.setObject(i++, MetricRows.toDateTime(minute));
            if (workspaceId != null) {
                ps.setString(i++, workspaceId);
            }
            // One row beyond the limit tells whether anything was left out.
            ps.setInt(i, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rows.size() == limit) {
                        more = true;
                        break;
                    }
                    rows.add(
                            new PairBucket(
                                    new PairKey(rs.getString(1), rs.getString(2), rs.getString(3)),
                                    minute,
                                    MetricRows.readBucket(rs, 5, Map.of())));
                }
            }
        }
        return new ShardMinute(shard, finalThrough, rows, more);
    }
}
