package io.deliverymetrics.flink.sink;

import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.sql.PipelineProgress;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every JDBC writer of the job shares: a buffer that subclasses fill ({@link #buffer}) and
 * write ({@link #writeRows}), flushed in one transaction together with this subtask's event-time
 * progress ({@code pipeline_progress}) on every checkpoint, at {@code batchSize} buffered rows,
 * every {@code flushInterval} and as soon as the watermark completes a minute; a failed flush is
 * retried {@code maxRetries} times with exponential backoff, then the writer fails and the job
 * restarts from its last checkpoint.
 */
abstract class TransactionalJdbcWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalJdbcWriter.class);

    private static final Driver DRIVER = newDriver();

    /** Watermarks at or beyond this are end-of-input markers, not event time. */
    private static final long MAX_EVENT_TIME = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    /** The database written: a name for messages, URL and credentials. */
    record Target(String name, String jdbcUrl, String user, String password) {}

    private final Target target;
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

    private long watermark = Long.MIN_VALUE;
    private long writtenWatermark = Long.MIN_VALUE;
    private long lastFlush = System.currentTimeMillis();
    private Connection connection;

    TransactionalJdbcWriter(
            Target target,
            String pipelineName,
            Duration allowedLateness,
            int batchSize,
            Duration flushInterval,
            int maxRetries,
            Duration retryBackoff,
            int subtask,
            int parallelism,
            SinkWriterMetricGroup metrics) {
        this.target = target;
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

    /** Keeps {@code element} for the next flush (usually replacing an older version of its row). */
    protected abstract void buffer(T element);

    /** How many rows the next flush writes. */
    protected abstract int buffered();

    /** Forgets the buffered rows once they are committed. */
    protected abstract void clearBuffer();

    /** Writes the buffered rows in the flush's transaction; the caller commits. */
    protected abstract void writeRows(Connection c) throws SQLException;

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        buffer(element);
        if (buffered() >= batchSize || flushDue()) {
            flushBuffer();
        }
    }

    @Override
    public void writeWatermark(Watermark w) throws IOException, InterruptedException {
        if (w.getTimestamp() < MAX_EVENT_TIME) {
            watermark = Math.max(watermark, w.getTimestamp());
        }
        if (flushDue() || completesMinute()) {
            flushBuffer();
        }
    }

    /**
     * Whether the watermark has passed the end of a minute that the progress written so far does
     * not cover: the windows fired that minute before sending this watermark, so its final rows are
     * in the buffer, and writing them with the progress right away makes the minute complete for
     * readers without waiting for the flush interval (one extra flush per minute).
     */
    private boolean completesMinute() {
        return watermark != Long.MIN_VALUE
                && (writtenWatermark == Long.MIN_VALUE
                        || Granularity.MINUTE.floorMillis(watermark + 1)
                                > Granularity.MINUTE.floorMillis(writtenWatermark + 1));
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        flushBuffer();
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
                clearBuffer();
                if (progress) {
                    writtenWatermark = watermark;
                }
                return;
            } catch (SQLException e) {
                closeConnection();
                if (attempt >= maxRetries) {
                    throw new IOException(
                            "writing to "
                                    + target.name()
                                    + " failed after "
                                    + (attempt + 1)
                                    + " attempts",
                            e);
                }
                flushRetries.inc();
                long backoff = Math.min(retryBackoffMs << Math.min(attempt, 5), 10_000);
                LOG.warn(
                        "Write to {} failed (attempt {} of {}), retrying in {} ms: {}",
                        target.name(),
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
            writeRows(c);
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
            props.setProperty("user", target.user());
            props.setProperty("password", target.password());
            connection = DRIVER.connect(target.jdbcUrl(), props);
            if (connection == null) {
                throw new SQLException("not a MySQL JDBC URL: " + target.name());
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
                        "Closing a failed connection to {} failed: {}",
                        target.name(),
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
