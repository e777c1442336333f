package io.deliverymetrics.api.internal;

import io.deliverymetrics.api.status.GlobalReader;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.time.Completeness;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.sql.DestinationTypeRows;
import io.deliverymetrics.sql.MetricRows;
import io.deliverymetrics.sql.PipelineProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads the global database over JDBC: progress through sql's {@link PipelineProgress}, rows
 * through {@link DestinationTypeRows} (the one mapping), each statement on its own. Counts its
 * statements ({@code delivery_metrics_api_global_queries_total}).
 */
public final class JdbcGlobalReader implements GlobalReader {

    private static final String COMPACTED_THROUGH =
            "SELECT compacted_through FROM compaction_progress WHERE tier = ?";

    private final DataSource global;
    private final String pipelineName;
    private final Counter statements;

    public JdbcGlobalReader(DataSource global, String pipelineName, MeterRegistry registry) {
        this.global = Objects.requireNonNull(global, "global");
        this.pipelineName = Objects.requireNonNull(pipelineName, "pipelineName");
        this.statements =
                Counter.builder("delivery.metrics.api.global.queries")
                        .description(
                                "Statements run against the global database (destination status)")
                        .register(registry);
    }

    @Override
    public Optional<Completeness> completeness() {
        try (Connection c = global.getConnection()) {
            statements.increment();
            return PipelineProgress.read(c, pipelineName);
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot read the global database's progress", e);
        }
    }

    @Override
    public Optional<Instant> compactedThrough(Granularity tier) {
        try (Connection c = global.getConnection();
                PreparedStatement ps = c.prepareStatement(COMPACTED_THROUGH)) {
            statements.increment();
            ps.setString(1, tier.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(MetricRows.fromDateTime(rs.getObject(1, LocalDateTime.class)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot read the global compaction progress", e);
        }
    }

    @Override
    public List<TypeBucket> rows(Granularity g, String type, Instant from, Instant to) {
        try (Connection c = global.getConnection()) {
            // Two statements: the error rows, then the metric rows.
            statements.increment(2);
            return DestinationTypeRows.list(c, g, type, from, to);
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot read destination type rows", e);
        }
    }
}
