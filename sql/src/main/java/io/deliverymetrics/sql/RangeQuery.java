package io.deliverymetrics.sql;

import io.deliverymetrics.core.metrics.ErrorKey;
import io.deliverymetrics.core.metrics.ErrorSample;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Streams the rows of one tier table over [start, end) into {@link PairBucket}s, errors included,
 * ordered by (workspace, source, destination, bucket_start), without holding the range in memory.
 *
 * <p>Filters are optional: {@code null} workspace means every workspace of the shard (compaction);
 * {@code null} source or destination means any. Metrics and error rows are read with two ordered
 * queries and merge-joined, so memory stays bounded by one bucket's error rows. A reader that needs
 * neither the latency sketches nor the error breakdown can leave them unread ({@link
 * #withoutLatencySketches()}, {@link #withoutErrors()}, {@link #withoutEvents()}, {@link
 * #withoutSamples()}): they are most of the bytes of a row.
 */
public final class RangeQuery {

    /** Receives one row at a time. */
    @FunctionalInterface
    public interface RowHandler {
        void accept(PairBucket row) throws SQLException;

        /**
         * Whether the rows of {@code pair} are wanted, asked once for each run of consecutive rows
         * of a pair (rows come in pair order). A row that is not wanted is neither decoded nor
         * handed to {@link #accept} (its error rows, with their samples, are passed over too);
         * {@link #skipped} is told instead.
         */
        default boolean wants(PairKey pair) {
            return true;
        }

        /** A row of {@code pair} was read and passed over because it was not wanted. */
        default void skipped(PairKey pair) {}
    }

    // Set once by the factory or a copy, never changed afterwards: instances are immutable.
    private Granularity granularity;
    private String workspaceId;
    private String sourceId;
    private String destinationId;
    private Instant start;
    private Instant end;
    private int fetchSize;
    private boolean latencySketches = true;
    private boolean errors = true;
    private boolean events = true;
    private boolean samples = true;

    private RangeQuery() {}

    /** All rows of tier {@code g} with bucket_start in [start, end). */
    public static RangeQuery of(Granularity g, Instant start, Instant end) {
        RangeQuery q = new RangeQuery();
        q.granularity = Objects.requireNonNull(g, "granularity");
        q.start = Objects.requireNonNull(start, "start");
        q.end = Objects.requireNonNull(end, "end");
        return q;
    }

    public RangeQuery workspace(String ws) {
        RangeQuery q = copy();
        q.workspaceId = ws;
        return q;
    }

    public RangeQuery source(String src) {
        RangeQuery q = copy();
        q.sourceId = src;
        return q;
    }

    public RangeQuery destination(String dst) {
        RangeQuery q = copy();
        q.destinationId = dst;
        return q;
    }

    /**
     * Rows fetched per round trip (0, the default, leaves it to the driver). With MySQL Connector/J
     * a positive value streams only when the connection has {@code useCursorFetch=true}; otherwise
     * the driver reads each result set whole.
     */
    public RangeQuery fetchSize(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("fetchSize must be >= 0, was " + rows);
        }
        RangeQuery q = copy();
        q.fetchSize = rows;
        return q;
    }

    /**
     * Streams the rows: the database sends them as they are read (Connector/J's row-by-row
     * streaming, fetch size {@link Integer#MIN_VALUE}) instead of the driver reading the whole
     * result first. A reader that paces itself then paces the database too, and no result is held
     * in memory whole. The connection runs no other statement until the rows are read.
     */
    public RangeQuery streamed() {
        RangeQuery q = copy();
        q.fetchSize = Integer.MIN_VALUE;
        return q;
    }

    /**
     * Leaves the {@code latency_sketch} column unread: the buckets carry an empty sketch, so their
     * latency quantiles are undefined. For readers that never ask for a quantile; every other value
     * is read as usual.
     */
    public RangeQuery withoutLatencySketches() {
        RangeQuery q = copy();
        q.latencySketches = false;
        return q;
    }

    /**
     * Leaves the error table unread (one query instead of two): the buckets carry no error rows
     * and, as the samples are a column of those rows, no error samples. For readers that never look
     * at the error breakdown; every other value is read as usual.
     */
    public RangeQuery withoutErrors() {
        RangeQuery q = copy();
        q.errors = false;
        return q;
    }

    /**
     * Leaves the event breakdown column unread: the buckets carry no event rows. For readers that
     * never look at the event breakdown; every other value is read as usual.
     */
    public RangeQuery withoutEvents() {
        RangeQuery q = copy();
        q.events = false;
        return q;
    }

    /**
     * Leaves the error rows' samples column unread (the largest column of an error row): the
     * buckets carry no samples. For readers that never look at samples; every other value is read
     * as usual.
     */
    public RangeQuery withoutSamples() {
        RangeQuery q = copy();
        q.samples = false;
        return q;
    }

    private RangeQuery copy() {
        RangeQuery q = new RangeQuery();
        q.granularity = granularity;
        q.workspaceId = workspaceId;
        q.sourceId = sourceId;
        q.destinationId = destinationId;
        q.start = start;
        q.end = end;
        q.fetchSize = fetchSize;
        q.latencySketches = latencySketches;
        q.errors = errors;
        q.events = events;
        q.samples = samples;
        return q;
    }

    /** Streams every matching row to {@code handler}. */
    public void forEach(Connection c, RowHandler handler) throws SQLException {
        String where = where();
        String metricsSql =
                "SELECT workspace_id, source_id, destination_id, bucket_start, "
                        + MetricRows.pairColumns(latencySketches, events)
                        + " FROM "
                        + granularity.metricsTable()
                        + where
                        + " ORDER BY workspace_id, source_id, destination_id, bucket_start";
        String errorsSql =
                "SELECT workspace_id, source_id, destination_id, bucket_start, "
                        + MetricRows.pairErrorColumns(samples)
                        + " FROM "
                        + granularity.errorsTable()
                        + where
                        + " ORDER BY workspace_id, source_id, destination_id, bucket_start";
        // Without error rows the errors query is not run at all (a null resource is skipped).
        // It runs first and is read whole when the metrics rows are streamed: a connection
        // streams one result at a time.
        int errorsFetchSize = fetchSize == Integer.MIN_VALUE ? 0 : fetchSize;
        try (PreparedStatement eps = errors ? prepare(c, errorsSql, errorsFetchSize) : null;
                ResultSet ers = eps == null ? null : eps.executeQuery();
                PreparedStatement mps = prepare(c, metricsSql, fetchSize);
                ResultSet mrs = mps.executeQuery()) {
            boolean errorsLeft = ers != null && ers.next();
            PairKey lastPair = null;
            boolean wanted = true;
            while (mrs.next()) {
                PairKey pair = new PairKey(mrs.getString(1), mrs.getString(2), mrs.getString(3));
                Instant bucket = MetricRows.fromDateTime(mrs.getObject(4, LocalDateTime.class));
                if (!pair.equals(lastPair)) {
                    lastPair = pair;
                    wanted = handler.wants(pair);
                }
                if (!wanted) {
                    while (errorsLeft && compare(ers, pair, bucket) <= 0) {
                        errorsLeft = ers.next();
                    }
                    handler.skipped(pair);
                    continue;
                }
                TreeMap<ErrorKey, Long> bucketErrors = new TreeMap<>();
                Map<ErrorKey, List<ErrorSample>> bucketSamples = new TreeMap<>();
                // Skip error rows of buckets without a metrics row (cannot happen with our
                // writers), then collect this bucket's.
                while (errorsLeft && compare(ers, pair, bucket) < 0) {
                    errorsLeft = ers.next();
                }
                while (errorsLeft && compare(ers, pair, bucket) == 0) {
                    MetricRows.readErrorRow(ers, 5, bucketErrors, bucketSamples);
                    errorsLeft = ers.next();
                }
                MetricBucket b = MetricRows.readPairBucket(mrs, 5, bucketErrors);
                if (!bucketSamples.isEmpty()) {
                    b.restoreSamples(bucketSamples);
                }
                handler.accept(new PairBucket(pair, bucket, b));
            }
        }
    }

    /** Collects every matching row; for small ranges and tests. */
    public List<PairBucket> list(Connection c) throws SQLException {
        List<PairBucket> out = new ArrayList<>();
        forEach(c, out::add);
        return out;
    }

    private static int compare(ResultSet ers, PairKey pair, Instant bucket) throws SQLException {
        PairKey ep = new PairKey(ers.getString(1), ers.getString(2), ers.getString(3));
        int c = ep.compareTo(pair);
        if (c != 0) {
            return c;
        }
        return MetricRows.fromDateTime(ers.getObject(4, LocalDateTime.class)).compareTo(bucket);
    }

    private String where() {
        StringBuilder w = new StringBuilder(" WHERE bucket_start >= ? AND bucket_start < ?");
        if (workspaceId != null) {
            w.append(" AND workspace_id = ?");
        }
        if (sourceId != null) {
            w.append(" AND source_id = ?");
        }
        if (destinationId != null) {
            w.append(" AND destination_id = ?");
        }
        return w.toString();
    }

    private PreparedStatement prepare(Connection c, String sql, int fetchSize) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        if (fetchSize != 0) {
            ps.setFetchSize(fetchSize);
        }
        int i = 1;
        ps.setObject(i++, MetricRows.toDateTime(start));
        ps.setObject(i++, MetricRows.toDateTime(end));
        if (workspaceId != null) {
            ps.setString(i++, workspaceId);
        }
        if (sourceId != null) {
            ps.setString(i++, sourceId);
        }
        if (destinationId != null) {
            ps.setString(i, destinationId);
        }
        return ps;
    }
}
