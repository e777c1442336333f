package io.deliverymetrics.api.internal;

import io.deliverymetrics.api.query.MetricStore;
import io.deliverymetrics.api.query.ReadSegment;
import io.deliverymetrics.api.query.RowContent;
import io.deliverymetrics.api.query.RowSink;
import io.deliverymetrics.api.query.ShardView;
import io.deliverymetrics.api.query.StorageException;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Completeness;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.sql.DestinationTypes;
import io.deliverymetrics.sql.MetricRows;
import io.deliverymetrics.sql.PipelineProgress;
import io.deliverymetrics.sql.RangeQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a workspace's shard over JDBC: rows through sql's {@link RangeQuery} (the one row mapping),
 * progress through {@link PipelineProgress} (reused per shard for {@code query.progress-max-age},
 * see {@link ProgressCache}) and {@code compaction_progress}. Each statement runs on its own
 * (auto-commit, no transaction to end); consistency comes from reading progress before the rows it
 * describes, see {@link io.deliverymetrics.api.query.ShardView}.
 */
public final class JdbcMetricStore implements MetricStore {

    private static final String COMPACTED_THROUGH =
            """
            SELECT compacted_through FROM compaction_progress WHERE tier = ?""";

    private final ShardPools pools;
    private final String pipelineName;
    private final ProgressCache progress;

    /**
     * @param progressMaxAge how long a shard's {@code complete_through} is reused; zero reads it
     *     for every request
     */
    public JdbcMetricStore(ShardPools pools, String pipelineName, Duration progressMaxAge) {
        this.pools = Objects.requireNonNull(pools, "pools");
        this.pipelineName = Objects.requireNonNull(pipelineName, "pipelineName");
        this.progress = new ProgressCache(pools.size(), progressMaxAge, System::nanoTime);
    }

    @Override
    public ShardView open(String workspaceId) {
        int shard = pools.shardOf(workspaceId);
        try {
            return new View(shard, pools.pool(shard).getConnection());
        } catch (SQLException e) {
            throw failure("cannot connect to shard " + shard, e);
        }
    }

    static StorageException failure(String message, SQLException e) {
        boolean unavailable =
                e instanceof SQLTransientConnectionException
                        || e instanceof SQLNonTransientConnectionException
                        || e instanceof SQLRecoverableException
                        || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
        return new StorageException(message + ": " + e.getMessage(), e, unavailable);
    }

    private final class View implements ShardView {
        private final int shard;
        private final Connection connection;
        private final Map<Granularity, Optional<Instant>> compacted =
                new EnumMap<>(Granularity.class);

        View(int shard, Connection connection) {
            this.shard = shard;
            this.connection = connection;
        }

        @Override
        public Optional<Instant> compactedThrough(Granularity tier) {
            return compacted.computeIfAbsent(tier, this::readCompactedThrough);
        }

        private Optional<Instant> readCompactedThrough(Granularity tier) {
            try (PreparedStatement ps = connection.prepareStatement(COMPACTED_THROUGH)) {
                ps.setString(1, tier.wireName());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(
                            MetricRows.fromDateTime(rs.getObject(1, LocalDateTime.class)));
                }
            } catch (SQLException e) {
                throw failure("cannot read compaction progress of shard " + shard, e);
            }
        }

        @Override
        public Optional<Completeness> completeness() {
            return progress.get(shard, this::readCompleteness);
        }

        private Optional<Completeness> readCompleteness() {
            try {
                return PipelineProgress.read(connection, pipelineName);
            } catch (SQLException e) {
                throw failure("cannot read pipeline progress of shard " + shard, e);
            }
        }

        @Override
        public void scan(
                ReadSegment segment,
                String workspaceId,
                String sourceId,
                String destinationId,
                RowContent content,
                RowSink sink) {
            RangeQuery query =
                    RangeQuery.of(segment.tier(), segment.start(), segment.end())
                            .workspace(workspaceId)
                            .source(sourceId)
                            .destination(destinationId)
                            .streamed();
            if (!content.samples()) {
                query = query.withoutSamples();
            }
            if (!content.events()) {
                query = query.withoutEvents();
            }
            if (!content.latencySketches()) {
                query = query.withoutLatencySketches();
            }
            if (!content.errors()) {
                query = query.withoutErrors();
            }
            try {
                query.forEach(
                        connection,
                        new RangeQuery.RowHandler() {
                            @Override
                            public void accept(PairBucket row) {
                                sink.accept(row);
                            }

                            @Override
                            public boolean wants(PairKey pair) {
                                return sink.wants(pair);
                            }

                            @Override
                            public void skipped(PairKey pair) {
                                sink.skipped(pair);
                            }
                        });
            } catch (SQLException e) {
                throw failure(
                        "cannot read " + segment.tier().metricsTable() + " of shard " + shard, e);
            }
        }

        @Override
        public Optional<String> destinationType(String workspaceId, String destinationId) {
            try {
                return DestinationTypes.read(connection, workspaceId, destinationId);
            } catch (SQLException e) {
                throw failure("cannot read destination types of shard " + shard, e);
            }
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                throw failure("cannot release connection to shard " + shard, e);
            }
        }
    }
}
