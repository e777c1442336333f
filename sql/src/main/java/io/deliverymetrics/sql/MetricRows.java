package io.deliverymetrics.sql;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.ErrorKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one mapping between {@link MetricBucket} and the tier tables: the overwrite upsert, the
 * replacement of a bucket's error rows, and reading rows back into buckets.
 *
 * <p>The streaming job, compaction and the API all go through this class, so the column list lives
 * in one place. Times are bound as UTC {@code DATETIME} values.
 */
public final class MetricRows {

    /** The metric columns of a tier table, in the order {@link #readBucket} expects them. */
    public static final String METRIC_COLUMNS =
            """
            successes, retried, discarded, expired, filtered,
            successes_attempt_1, successes_attempt_2, successes_attempt_3, successes_attempt_4,
            successes_attempt_5, successes_attempt_6, successes_attempt_7, successes_attempt_8,
            successes_attempt_9, successes_attempt_10,
            latency_count, latency_sum_ms, latency_max_ms, latency_sketch""";

    private static final String[] METRIC_COLUMN_NAMES =
            METRIC_COLUMNS.replaceAll("\\s+", "").split(",");

    /**
     * {@link #METRIC_COLUMNS}, or, without {@code latencySketch}, the same list with a {@code NULL}
     * in place of the sketch column: {@link #readBucket} then restores an empty sketch.
     */
    public static String metricColumns(boolean latencySketch) {
        return latencySketch
                ? METRIC_COLUMNS
                : METRIC_COLUMNS.replace("latency_sketch", "NULL AS latency_sketch");
    }

    private MetricRows() {}

    /**
     * Overwrite upsert of the metric columns (never increments, so a replay writes the same
     * values). {@code late_dropped} is left alone: it has its own writer.
     */
    public static String upsertSql(Granularity g) {
        StringBuilder update = new StringBuilder();
        for (String c : METRIC_COLUMN_NAMES) {
            if (update.length() > 0) {
                update.append(", ");
            }
            update.append(c).append(" = VALUES(").append(c).append(')');
        }
        return "INSERT INTO "
                + g.metricsTable()
                + " (workspace_id, source_id, destination_id, bucket_start, "
                + String.join(", ", METRIC_COLUMN_NAMES)
                + ") VALUES (?, ?, ?, ?"
                + ", ?".repeat(METRIC_COLUMN_NAMES.length)
                + ") ON DUPLICATE KEY UPDATE "
                + update;
    }

    /**
     * Overwrite upsert of {@code late_dropped} alone (the count of records for that minute that
     * arrived after the allowed lateness); creates a zero row when the minute had no on-time data.
     */
    public static String upsertLateDroppedSql() {
        return "INSERT INTO "
                + Granularity.MINUTE.metricsTable()
                + " (workspace_id, source_id, destination_id, bucket_start, late_dropped)"
                + " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE late_dropped ="
                + " VALUES(late_dropped)";
    }

    /**
     * Rolls {@code late_dropped} of the finer tier up into one target bucket, as an overwrite of
     * the per-pair sum (parameters: target bucket start, then the finer rows' [start, end)). Only
     * pairs with late records are touched; the metric columns stay with {@link #write}.
     */
    public static String rollUpLateDroppedSql(Granularity target) {
        Granularity finer =
                target.finer()
                        .orElseThrow(
                                () -> new IllegalArgumentException("minute has no finer tier"));
        return "INSERT INTO "
                + target.metricsTable()
                + " (workspace_id, source_id, destination_id, bucket_start, late_dropped)"
                + " SELECT workspace_id, source_id, destination_id, ?, SUM(late_dropped) FROM "
                + finer.metricsTable()
                + " WHERE bucket_start >= ? AND bucket_start < ? AND late_dropped > 0"
                + " GROUP BY workspace_id, source_id, destination_id"
                + " ON DUPLICATE KEY UPDATE late_dropped = VALUES(late_dropped)";
    }

    public static String deleteErrorsSql(Granularity g) {
        return "DELETE FROM "
                + g.errorsTable()
                + " WHERE workspace_id = ? AND source_id = ? AND destination_id = ? AND bucket_start = ?";
    }

    public static String insertErrorSql(Granularity g) {
        return "INSERT INTO "
                + g.errorsTable()
                + " (workspace_id, source_id, destination_id, bucket_start, outcome, error_code,"
                + " error_count) VALUES (?, ?, ?, ?, ?, ?, ?)";
    }

    /** {@link #insertErrorSql} as an overwrite upsert of the count. */
    public static String upsertErrorSql(Granularity g) {
        return insertErrorSql(g) + " ON DUPLICATE KEY UPDATE error_count = VALUES(error_count)";
    }

    private static boolean hasOther(MetricBucket b) {
        for (ErrorKey k : b.errors().keySet()) {
            if (k.isOther()) {
                return true;
            }
        }
        return false;
    }

    /** Binds one row to a statement prepared from {@link #upsertSql}. */
    public static void bindUpsert(PreparedStatement ps, PairBucket row) throws SQLException {
        int i = bindKey(ps, row.pair(), row.bucketStart());
        MetricBucket b = row.bucket();
        ps.setLong(i++, b.successes());
        ps.setLong(i++, b.retried());
        ps.setLong(i++, b.discarded());
        ps.setLong(i++, b.expired());
        ps.setLong(i++, b.filtered());
        for (long c : b.successesByAttempt()) {
            ps.setLong(i++, c);
        }
        ps.setLong(i++, b.latencyCount());
        ps.setLong(i++, b.latencySumMs());
        ps.setLong(i++, b.latencyMaxMs());
        ps.setBytes(i, BucketCodec.encodeSketch(b));
    }

    /**
     * Writes rows in the caller's transaction: metrics upserted, each bucket's error rows replaced
     * (deleted, then inserted), so an error code that a later firing folded into {@code other}
     * leaves no stale row behind. Batched; the caller commits.
     */
    public static void write(Connection c, Granularity g, Collection<PairBucket> rows)
            throws SQLException {
        write(c, g, rows, false);
    }

    /**
     * As {@link #write}, for a writer whose every version of a bucket contains the version it wrote
     * before (the job's successive firings of one window, which only accumulate): the error rows
     * are upserted and not first deleted, except for buckets with an {@code other} row, where the
     * cap may have folded away a code an earlier version had. A bucket without {@code other} never
     * folded, so its codes are a superset of every earlier version's and no stale row can remain.
     * After a restart from a checkpoint the replay builds each bucket up to its final version
     * again, so the rows end exact (in between, codes not yet seen again keep their newer counts).
     * Deleting 1,000 buckets' error rows was a quarter of the job's sink cost.
     */
    public static void writeGrowing(Connection c, Granularity g, Collection<PairBucket> rows)
            throws SQLException {
        write(c, g, rows, true);
    }

    private static void write(
            Connection c, Granularity g, Collection<PairBucket> rows, boolean growing)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement up = c.prepareStatement(upsertSql(g));
                PreparedStatement del = c.prepareStatement(deleteErrorsSql(g));
                PreparedStatement ins =
                        c.prepareStatement(growing ? upsertErrorSql(g) : insertErrorSql(g))) {
            boolean anyErrors = false;
            boolean anyDeletes = false;
            for (PairBucket row : rows) {
                bindUpsert(up, row);
                up.addBatch();
                if (!growing || hasOther(row.bucket())) {
                    bindKey(del, row.pair(), row.bucketStart());
                    del.addBatch();
                    anyDeletes = true;
                }
                for (Map.Entry<ErrorKey, Long> e : row.bucket().errors().entrySet()) {
                    int i = bindKey(ins, row.pair(), row.bucketStart());
                    ins.setString(i++, e.getKey().outcome().wireName());
                    ins.setString(i++, e.getKey().errorCode());
                    ins.setLong(i, e.getValue());
                    ins.addBatch();
                    anyErrors = true;
                }
            }
            up.executeBatch();
            if (anyDeletes) {
                del.executeBatch();
            }
            if (anyErrors) {
                ins.executeBatch();
            }
        }
    }

    /**
     * Reads the metric columns of the current row (selected with {@link #METRIC_COLUMNS}, in that
     * order, starting at column {@code firstColumn}) into a bucket with the given error rows.
     */
    public static MetricBucket readBucket(ResultSet rs, int firstColumn, Map<ErrorKey, Long> errors)
            throws SQLException {
        int i = firstColumn;
        long successes = rs.getLong(i++);
        long retried = rs.getLong(i++);
        long discarded = rs.getLong(i++);
        long expired = rs.getLong(i++);
        long filtered = rs.getLong(i++);
        long[] byAttempt = new long[MetricBucket.MAX_TRACKED_ATTEMPT];
        for (int a = 0; a < byAttempt.length; a++) {
            byAttempt[a] = rs.getLong(i++);
        }
        long latencyCount = rs.getLong(i++);
        long latencySum = rs.getLong(i++);
        long latencyMax = rs.getLong(i++);
        byte[] sketch = rs.getBytes(i);
        return MetricBucket.restore(
                successes,
                retried,
                discarded,
                expired,
                filtered,
                byAttempt,
                latencyCount,
                latencySum,
                latencyMax,
                sketch,
                errors);
    }

    /** Reads one bucket (metrics and errors) of one pair, or an empty bucket if there is no row. */
    public static MetricBucket readOne(
            Connection c, Granularity g, PairKey pair, Instant bucketStart) throws SQLException {
        Map<ErrorKey, Long> errors = new TreeMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT outcome, error_code, error_count FROM "
                                + g.errorsTable()
                                + " WHERE workspace_id = ? AND source_id = ? AND destination_id = ?"
                                + " AND bucket_start = ?")) {
            bindKey(ps, pair, bucketStart);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    errors.put(errorKey(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + METRIC_COLUMNS
                                + " FROM "
                                + g.metricsTable()
                                + " WHERE workspace_id = ? AND source_id = ? AND destination_id = ?"
                                + " AND bucket_start = ?")) {
            bindKey(ps, pair, bucketStart);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return MetricBucket.restore(
                            0,
                            0,
                            0,
                            0,
                            0,
                            new long[MetricBucket.MAX_TRACKED_ATTEMPT],
                            0,
                            0,
                            0,
                            (byte[]) null,
                            errors);
                }
                return readBucket(rs, 1, errors);
            }
        }
    }

    /** An error key from its stored form. */
    public static ErrorKey errorKey(String outcome, String code) throws SQLException {
        return new ErrorKey(
                Outcome.fromWireName(outcome)
                        .orElseThrow(
                                () -> new SQLException("unknown outcome in database: " + outcome)),
                code);
    }

    /** Binds workspace, source, destination and bucket start at positions 1–4; returns 5. */
    public static int bindKey(PreparedStatement ps, PairKey pair, Instant bucketStart)
            throws SQLException {
        ps.setString(1, pair.workspaceId());
        ps.setString(2, pair.sourceId());
        ps.setString(3, pair.destinationId());
        ps.setObject(4, toDateTime(bucketStart));
        return 5;
    }

    /** A UTC instant as the {@code DATETIME} value stored in the tables. */
    public static LocalDateTime toDateTime(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /** A stored {@code DATETIME} as a UTC instant. */
    public static Instant fromDateTime(LocalDateTime t) {
        return t.toInstant(ZoneOffset.UTC);
    }

    /** A stored {@code TIMESTAMP} (session time zone UTC) as an instant. */
    public static Instant fromTimestamp(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
