package io.deliverymetrics.sql;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.ErrorKey;
import io.deliverymetrics.core.metrics.ErrorSample;
import io.deliverymetrics.core.metrics.EventKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.OutcomeCounts;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one mapping between {@link MetricBucket} and the tier tables: the overwrite upsert, the
 * replacement of a bucket's error rows, and reading rows back into buckets.
 *
 * <p>The streaming job, compaction and the API all go through this class, so the column list lives
 * in one place. Times are UTC {@code DATETIME} values. Rows are written as multi-row inserts
 * ({@link MultiRowInsert}).
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
     * What makes the insert an overwrite upsert of the metric columns (never increments, so a
     * replay writes the same values). {@code late_dropped} is left alone: it has its own writer.
     */
    private static final String UPSERT_TAIL = upsertTail();

    /**
     * The event breakdown column of the pair tables ({@link BucketCodec#encodeEvents}), read after
     * the metric columns.
     */
    static final String EVENT_COUNTS_COLUMN = "event_counts";

    /**
     * The error samples column of the pair tables' error rows ({@link BucketCodec#encodeSamples}),
     * read after the error count.
     */
    static final String SAMPLES_COLUMN = "samples";

    /** Makes the error-row insert an overwrite upsert of the count. */
    private static final String ERROR_UPSERT_TAIL =
            " ON DUPLICATE KEY UPDATE error_count = VALUES(error_count)";

    /** As {@link #ERROR_UPSERT_TAIL}, the samples overwritten too. */
    private static final String ERROR_WITH_SAMPLES_UPSERT_TAIL =
            ERROR_UPSERT_TAIL + ", samples = VALUES(samples)";

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
     * How one family of tier tables keys its rows: the pair tables of a shard ({@link #PAIRS}) or
     * the destination-type tables of the global database ({@link DestinationTypeRows}). The metric
     * columns and error rows are the same in every family.
     *
     * @param <R> a row: its key and its bucket
     */
    interface Layout<R> {
        String metricsTable(Granularity g);

        String errorsTable(Granularity g);

        /** The key columns, the bucket start last. */
        List<String> keyColumns();

        /** Columns written after the metric columns (overwritten like them); may be empty. */
        List<String> extraColumns();

        MultiRowInsert appendKey(MultiRowInsert r, R row);

        /** Appends the values of {@link #extraColumns()}. */
        void appendExtra(MultiRowInsert r, R row) throws SQLException;

        /** Binds the key at positions 1…n; returns n + 1. */
        int bindKey(PreparedStatement ps, R row) throws SQLException;

        MetricBucket bucket(R row);
    }

    /** The pair tables of a shard. */
    private static final Layout<PairBucket> PAIRS =
            new Layout<>() {
                @Override
                public String metricsTable(Granularity g) {
                    return g.metricsTable();
                }

                @Override
                public String errorsTable(Granularity g) {
                    return g.errorsTable();
                }

                @Override
                public List<String> keyColumns() {
                    return List.of("workspace_id", "source_id", "destination_id", "bucket_start");
                }

                @Override
                public List<String> extraColumns() {
                    return List.of(EVENT_COUNTS_COLUMN);
                }

                @Override
                public MultiRowInsert appendKey(MultiRowInsert r, PairBucket row) {
                    PairKey p = row.pair();
                    return r.value(p.workspaceId())
                            .value(p.sourceId())
                            .value(p.destinationId())
                            .value(row.bucketStart());
                }

                @Override
                public void appendExtra(MultiRowInsert r, PairBucket row) {
                    r.value(BucketCodec.encodeEvents(row.bucket()));
                }

                @Override
                public int bindKey(PreparedStatement ps, PairBucket row) throws SQLException {
                    return MetricRows.bindKey(ps, row.pair(), row.bucketStart());
                }

                @Override
                public MetricBucket bucket(PairBucket row) {
                    return row.bucket();
                }
            };

    /** {@code INSERT INTO} the metrics table, its key, metric and extra columns, {@code VALUES}. */
    private static String upsertHead(Layout<?> layout, Granularity g) {
        List<String> columns = new ArrayList<>(layout.keyColumns());
        columns.addAll(List.of(METRIC_COLUMN_NAMES));
        columns.addAll(layout.extraColumns());
        return "INSERT INTO "
                + layout.metricsTable(g)
                + " ("
                + String.join(", ", columns)
                + ") VALUES ";
    }

    /** {@code ON DUPLICATE KEY UPDATE} of every metric column with the inserted value. */
    private static String upsertTail() {
        return upsertTail(List.of());
    }

    /** As {@link #upsertTail()}, the {@code extra} columns overwritten too. */
    private static String upsertTail(List<String> extra) {
        List<String> columns = new ArrayList<>(List.of(METRIC_COLUMN_NAMES));
        columns.addAll(extra);
        StringBuilder update = new StringBuilder(" ON DUPLICATE KEY UPDATE ");
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            update.append(i == 0 ? "" : ", ").append(c).append(" = VALUES(").append(c).append(')');
        }
        return update.toString();
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
        return deleteErrorsSql(PAIRS, g);
    }

    private static String deleteErrorsSql(Layout<?> layout, Granularity g) {
        return "DELETE FROM "
                + layout.errorsTable(g)
                + " WHERE "
                + String.join(" = ? AND ", layout.keyColumns())
                + " = ?";
    }

    private static String insertErrorsHead(Layout<?> layout, Granularity g, boolean samples) {
        return "INSERT INTO "
                + layout.errorsTable(g)
                + " ("
                + String.join(", ", layout.keyColumns())
                + ", outcome, error_code, error_count"
                + (samples ? ", " + SAMPLES_COLUMN : "")
                + ") VALUES ";
    }

    private static boolean hasOther(MetricBucket b) {
        for (ErrorKey k : b.errors().keySet()) {
            if (k.isOther()) {
                return true;
            }
        }
        return false;
    }

    /** One row of the metrics upsert: key, the metric columns in their order, the extras. */
    private static <R> void appendRow(MultiRowInsert up, Layout<R> layout, R row)
            throws SQLException {
        MetricBucket b = layout.bucket(row);
        layout.appendKey(up.row(), row)
                .value(b.successes())
                .value(b.retried())
                .value(b.discarded())
                .value(b.expired())
                .value(b.filtered());
        for (long c : b.successesByAttempt()) {
            up.value(c);
        }
        up.value(b.latencyCount())
                .value(b.latencySumMs())
                .value(b.latencyMaxMs())
                .value(BucketCodec.encodeSketch(b));
        layout.appendExtra(up, row);
        up.endRow();
    }

    /**
     * Writes rows in the caller's transaction: metrics and the event breakdown upserted, each
     * bucket's error rows and error samples replaced (deleted, then inserted), so an error code
     * that a later firing folded into {@code other} leaves no stale row behind. Batched; the caller
     * commits.
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
     * Deleting 1,000 buckets' error rows was a quarter of the job's sink cost. The error samples
     * are a column of the error row and the event breakdown one of the metrics row, each
     * overwritten with its row (a key's bottom-k over more attempts supersedes the earlier one).
     */
    public static void writeGrowing(Connection c, Granularity g, Collection<PairBucket> rows)
            throws SQLException {
        write(c, g, rows, true);
    }

    private static void write(
            Connection c, Granularity g, Collection<PairBucket> rows, boolean growing)
            throws SQLException {
        write(c, g, rows, growing, PAIRS);
    }

    /** {@link #write} or {@link #writeGrowing} of rows of any {@link Layout}. */
    static <R> void write(
            Connection c, Granularity g, Collection<R> rows, boolean growing, Layout<R> layout)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        // Deletes first: the inserts below may already be sent while rows are still appended.
        // Error samples exist for the pair tables only.
        boolean withSamples = layout == (Layout<?>) PAIRS;
        List<R> replacedErrors = new ArrayList<>();
        for (R row : rows) {
            if (!growing || hasOther(layout.bucket(row))) {
                replacedErrors.add(row);
            }
        }
        deleteBucketRows(c, deleteErrorsSql(layout, g), replacedErrors, layout);
        String tail =
                layout.extraColumns().isEmpty() ? UPSERT_TAIL : upsertTail(layout.extraColumns());
        String errorsTail =
                !growing ? "" : withSamples ? ERROR_WITH_SAMPLES_UPSERT_TAIL : ERROR_UPSERT_TAIL;
        try (MultiRowInsert up = new MultiRowInsert(c, upsertHead(layout, g), tail);
                MultiRowInsert ins =
                        new MultiRowInsert(
                                c, insertErrorsHead(layout, g, withSamples), errorsTail)) {
            for (R row : rows) {
                appendRow(up, layout, row);
                MetricBucket b = layout.bucket(row);
                Map<ErrorKey, byte[]> samples =
                        withSamples ? BucketCodec.sampleColumns(b) : Map.of();
                for (Map.Entry<ErrorKey, Long> e : b.errors().entrySet()) {
                    layout.appendKey(ins.row(), row)
                            .value(e.getKey().outcome().wireName())
                            .value(e.getKey().errorCode())
                            .value(e.getValue());
                    if (withSamples) {
                        ins.value(samples.get(e.getKey()));
                    }
                    ins.endRow();
                }
            }
            up.flush();
            ins.flush();
        }
    }

    private static <R> void deleteBucketRows(
            Connection c, String deleteSql, List<R> rows, Layout<R> layout) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement del = c.prepareStatement(deleteSql)) {
            for (R row : rows) {
                layout.bindKey(del, row);
                del.addBatch();
            }
            del.executeBatch();
        }
    }

    /**
     * The columns of a pair table's error row after its pair and bucket, as {@link #readErrorRow}
     * reads them: outcome, error code, count and the samples (or {@code NULL} in their place
     * without {@code samples}).
     */
    static String pairErrorColumns(boolean samples) {
        return "outcome, error_code, error_count, "
                + (samples ? SAMPLES_COLUMN : "NULL AS " + SAMPLES_COLUMN);
    }

    /**
     * Reads the current error row (columns {@link #pairErrorColumns} from {@code firstColumn} on)
     * into a bucket's error counts and samples.
     */
    static void readErrorRow(
            ResultSet rs,
            int firstColumn,
            Map<ErrorKey, Long> errors,
            Map<ErrorKey, List<ErrorSample>> samples)
            throws SQLException {
        ErrorKey key = errorKey(rs.getString(firstColumn), rs.getString(firstColumn + 1));
        errors.put(key, rs.getLong(firstColumn + 2));
        byte[] encoded = rs.getBytes(firstColumn + 3);
        if (encoded != null) {
            samples.put(key, BucketCodec.decodeSamples(key, encoded));
        }
    }

    /**
     * The columns {@link #readPairBucket} reads: {@link #metricColumns(boolean)}, then the pair
     * tables' event breakdown, or {@code NULL} in its place without {@code events}.
     */
    static String pairColumns(boolean latencySketch, boolean events) {
        return metricColumns(latencySketch)
                + ", "
                + (events ? EVENT_COUNTS_COLUMN : "NULL AS " + EVENT_COUNTS_COLUMN);
    }

    /**
     * Reads a pair table's row (selected with {@link #pairColumns}, starting at column {@code
     * firstColumn}) into a bucket with the given error rows.
     */
    static MetricBucket readPairBucket(ResultSet rs, int firstColumn, Map<ErrorKey, Long> errors)
            throws SQLException {
        byte[] events = rs.getBytes(firstColumn + METRIC_COLUMN_NAMES.length);
        return readBucket(rs, firstColumn, errors, BucketCodec.decodeEvents(events));
    }

    /**
     * Reads the metric columns of the current row (selected with {@link #METRIC_COLUMNS}, in that
     * order, starting at column {@code firstColumn}) into a bucket with the given error rows.
     */
    public static MetricBucket readBucket(ResultSet rs, int firstColumn, Map<ErrorKey, Long> errors)
            throws SQLException {
        return readBucket(rs, firstColumn, errors, Map.of());
    }

    /** As {@link #readBucket(ResultSet, int, Map)}, with the bucket's event rows. */
    public static MetricBucket readBucket(
            ResultSet rs,
            int firstColumn,
            Map<ErrorKey, Long> errors,
            Map<EventKey, OutcomeCounts> events)
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
                errors,
                events);
    }

    /**
     * Reads one bucket (metrics, errors, events and samples) of one pair, or an empty bucket if
     * there is no row.
     */
    public static MetricBucket readOne(
            Connection c, Granularity g, PairKey pair, Instant bucketStart) throws SQLException {
        Map<ErrorKey, Long> errors = new TreeMap<>();
        Map<ErrorKey, List<ErrorSample>> samples = new TreeMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + pairErrorColumns(true)
                                + " FROM "
                                + g.errorsTable()
                                + " WHERE workspace_id = ? AND source_id = ? AND destination_id = ?"
                                + " AND bucket_start = ?")) {
            bindKey(ps, pair, bucketStart);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    readErrorRow(rs, 1, errors, samples);
                }
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + pairColumns(true, true)
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
                                    errors,
                                    Map.of())
                            .restoreSamples(samples);
                }
                return readPairBucket(rs, 1, errors).restoreSamples(samples);
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
