package io.deliverymetrics.flink.sink;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.flink.model.MinuteUpdate;
import io.deliverymetrics.sql.MetricRows;
import io.deliverymetrics.sql.PipelineProgress;
import io.deliverymetrics.sql.TotalsRows;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writer of {@link ShardJdbcSink}: buffers the newest update per row and flushes it
 * transactionally.
 */
final class ShardJdbcWriter implements SinkWriter<MinuteUpdate> {

    private static final Logger LOG = LoggerFactory.getLogger(ShardJdbcWriter.class);

    private static final Driver DRIVER = newDriver();

    /** Watermarks at or beyond this are end-of-input markers, not event time. */
    private static final long MAX_EVENT_TIME = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    private final Shard shard;
    private final String pipelineName;
    private final long allowedLatenessMs;
    private final int batchSize;
    private final long flushIntervalMs;
    private final int maxRetries;
    private final long retryBackoffMs;
    private final int subtask;
    private final int parallelism;
    private final Counter rowsWritten;
    private final Counter flushRetries;

    /** Newest full aggregate per (pair, minute); later firings replace earlier ones. */
    private final Map<RowKey, MinuteUpdate> aggregates = new LinkedHashMap<>();

    /** Newest too-late count per (pair, minute). */
    private final Map<RowKey, Long> lateCounts = new LinkedHashMap<>();

    /** Newest running totals per pair (key minute 0); later minutes replace earlier ones. */
    private final Map<RowKey, MinuteUpdate> totals = new LinkedHashMap<>();

    private long watermark = Long.MIN_VALUE;
    private long writtenWatermark = Long.MIN_VALUE;
    private long lastFlush = System.currentTimeMillis();
    private Connection connection;

    private record RowKey(String ws, String src, String dst, long bucketStartMs) {
        // Written out: the generated methods' method-handle chains cost more per update.
        @Override
        public int hashCode() {
            return 31 * (31 * (31 * ws.hashCode() + src.hashCode()) + dst.hashCode())
                    + Long.hashCode(bucketStartMs);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey k
                    && bucketStartMs == k.bucketStartMs
                    && ws.equals(k.ws)
                    && src.equals(k.src)
                    && dst.equals(k.dst);
        }
    }

    ShardJdbcWriter(
            Shard shard,
            String pipelineName,
            Duration allowedLateness,
            int batchSize,
            Duration flushInterval,
            int maxRetries,
            Duration retryBackoff,
            int subtask,
            int parallelism,
            SinkWriterMetricGroup metrics) {
        this.shard = shard;
        this.pipelineName = pipelineName;
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.batchSize = batchSize;
        this.flushIntervalMs = flushInterval.toMillis();
        this.maxRetries = maxRetries;
        this.retryBackoffMs = retryBackoff.toMillis();
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.rowsWritten = metrics.counter("rowsWritten");
        this.flushRetries = metrics.counter("flushRetries");
    }

    @Override
    public void write(MinuteUpdate u, Context context) throws IOException, InterruptedException {
        if (u.isTotals()) {
            totals.merge(
                    new RowKey(u.workspaceId(), u.sourceId(), u.destinationId(), 0),
                    u,
                    (old, neu) -> neu.bucketStartMs() >= old.bucketStartMs() ? neu : old);
        } else {
            RowKey k =
                    new RowKey(u.workspaceId(), u.sourceId(), u.destinationId(), u.bucketStartMs());
            if (u.isAggregate()) {
                aggregates.put(k, u);
            } else {
                lateCounts.put(k, u.lateDropped());
            }
        }
        if (buffered() >= batchSize || flushDue()) {
            flushBuffer();
        }
    }

    @Override
    public void writeWatermark(Watermark w) throws IOException, InterruptedException {
        if (w.getTimestamp() < MAX_EVENT_TIME) {
            watermark = Math.max(watermark, w.getTimestamp());
        }
        if (flushDue()) {
            flushBuffer();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        flushBuffer();
    }

    private int buffered() {
        return aggregates.size() + lateCounts.size() + totals.size();
    }

    private boolean flushDue() {
        return System.currentTimeMillis() - lastFlush >= flushIntervalMs;
    }

    private void flushBuffer() throws IOException, InterruptedException {
        lastFlush = System.currentTimeMillis();
        boolean progress = watermark != writtenWatermark && watermark != Long.MIN_VALUE;
        if (buffered() == 0 && !progress) {
            return;
        }
        for (int attempt = 0; ; attempt++) {
            try {
                writeTransaction(progress);
                rowsWritten.inc(buffered());
                aggregates.clear();
                lateCounts.clear();
                totals.clear();
                if (progress) {
                    writtenWatermark = watermark;
                }
                return;
            } catch (SQLException e) {
                closeConnection();
                if (attempt >= maxRetries) {
                    throw new IOException(
                            "writing to shard "
                                    + shard.id()
                                    + " failed after "
                                    + (attempt + 1)
                                    + " attempts",
                            e);
                }
                flushRetries.inc();
                long backoff = Math.min(retryBackoffMs << Math.min(attempt, 5), 10_000);
                LOG.warn(
                        "Write to shard {} failed (attempt {} of {}), retrying in {} ms: {}",
                        shard.id(),
                        attempt + 1,
                        maxRetries + 1,
                        backoff,
                        e.toString());
                // Backoff between retries of a failed database write; not synchronisation.
                Thread.sleep(backoff);
            }
        }
    }

    private void writeTransaction(boolean progress) throws SQLException {
        Connection c = connection();
        try {
            List<PairBucket> rows = new ArrayList<>(aggregates.size());
            // Key order gives every transaction the same lock order.
            List<MinuteUpdate> ordered = new ArrayList<>(aggregates.values());
            ordered.sort(
                    Comparator.comparing(MinuteUpdate::workspaceId)
                            .thenComparing(MinuteUpdate::sourceId)
                            .thenComparing(MinuteUpdate::destinationId)
                            .thenComparingLong(MinuteUpdate::bucketStartMs));
            for (MinuteUpdate u : ordered) {
                rows.add(
                        new PairBucket(
                                new PairKey(u.workspaceId(), u.sourceId(), u.destinationId()),
                                Instant.ofEpochMilli(u.bucketStartMs()),
                                BucketCodec.decode(u.bucket())));
            }
            // Every firing of a window carries everything the one before it had.
            MetricRows.writeGrowing(c, Granularity.MINUTE, rows);
            if (!lateCounts.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(MetricRows.upsertLateDroppedSql())) {
                    for (Map.Entry<RowKey, Long> e : lateCounts.entrySet()) {
                        RowKey k = e.getKey();
                        int i =
                                MetricRows.bindKey(
                                        ps,
                                        new PairKey(k.ws(), k.src(), k.dst()),
                                        Instant.ofEpochMilli(k.bucketStartMs()));
                        ps.setLong(i, e.getValue());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!totals.isEmpty()) {
                List<TotalsRows.PairTotals> rowsOfTotals = new ArrayList<>(totals.size());
                for (MinuteUpdate u : totals.values()) {
                    rowsOfTotals.add(
                            new TotalsRows.PairTotals(
                                    u.pair(),
                                    Instant.ofEpochMilli(u.bucketStartMs())
                                            .plus(Granularity.MINUTE.size()),
                                    DeliveryTotals.fromArray(u.totals())));
                }
                rowsOfTotals.sort(
                        Comparator.comparing((TotalsRows.PairTotals r) -> r.pair().workspaceId())
                                .thenComparing(r -> r.pair().sourceId())
                                .thenComparing(r -> r.pair().destinationId()));
                TotalsRows.write(c, rowsOfTotals);
            }
            if (progress) {
                // Readers derive the complete minutes from the watermark; the final ones are
                // those the allowed lateness has passed too.
                long finalMs = Granularity.MINUTE.floorMillis(watermark + 1 - allowedLatenessMs);
                PipelineProgress.write(
                        c,
                        pipelineName,
                        subtask,
                        parallelism,
                        Instant.ofEpochMilli(watermark),
                        Instant.ofEpochMilli(finalMs));
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            // The driver is instantiated from this class's loader, not looked up in DriverManager:
            // its registry is JVM-wide and keeps the driver of the first job a TaskManager ran,
            // which a later job's user-code class loader cannot use.
            Properties props = new Properties();
            props.setProperty("user", shard.user());
            props.setProperty("password", shard.password());
            connection = DRIVER.connect(shard.jdbcUrl(), props);
            if (connection == null) {
                throw new SQLException("not a MySQL JDBC URL: shard " + shard.id());
            }
            connection.setAutoCommit(false);
            // No gap locks on the error-row deletes, so parallel writers to one shard rarely
            // deadlock (each pair's rows have exactly one writer anyway).
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug(
                        "Closing a failed connection to shard {} failed: {}",
                        shard.id(),
                        e.toString());
            }
            connection = null;
        }
    }

    private static Driver newDriver() {
        try {
            return new com.mysql.cj.jdbc.Driver();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the MySQL JDBC driver", e);
        }
    }

    @Override
    public void close() {
        closeConnection();
    }
}
