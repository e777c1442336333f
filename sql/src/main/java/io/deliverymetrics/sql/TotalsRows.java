package io.deliverymetrics.sql;

import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.model.PairKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one row mapping of {@code delivery_totals}: each pair's running totals over its final
 * minutes, written by the streaming job and read by the metrics expositions.
 */
public final class TotalsRows {

    /** A pair's totals over every final minute before {@code finalThrough}. */
    public record PairTotals(PairKey pair, Instant finalThrough, DeliveryTotals totals) {}

    // Assignments run left to right: final_through is compared before it is moved, so a row only
    // ever takes totals through a later (or the same) minute, never older ones from a replay.
    private static final String UPSERT =
            """
            INSERT INTO delivery_totals
                (workspace_id, source_id, destination_id, final_through, successes, retried,
                 discarded, expired, filtered, latency_count, latency_sum_ms, latency_le)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE
                successes = IF(VALUES(final_through) >= final_through, VALUES(successes), successes),
                retried = IF(VALUES(final_through) >= final_through, VALUES(retried), retried),
                discarded = IF(VALUES(final_through) >= final_through, VALUES(discarded), discarded),
                expired = IF(VALUES(final_through) >= final_through, VALUES(expired), expired),
                filtered = IF(VALUES(final_through) >= final_through, VALUES(filtered), filtered),
                latency_count =
                    IF(VALUES(final_through) >= final_through, VALUES(latency_count), latency_count),
                latency_sum_ms =
                    IF(VALUES(final_through) >= final_through, VALUES(latency_sum_ms), latency_sum_ms),
                latency_le = IF(VALUES(final_through) >= final_through, VALUES(latency_le), latency_le),
                final_through = GREATEST(final_through, VALUES(final_through))""";

    private static final String COLUMNS =
            """
            workspace_id, source_id, destination_id, final_through, successes, retried, discarded,
            expired, filtered, latency_count, latency_sum_ms, latency_le""";

    private static final String READ_ALL =
            "SELECT "
                    + COLUMNS
                    + " FROM delivery_totals ORDER BY workspace_id, source_id, destination_id"
                    + " LIMIT ?";

    private static final String READ_WORKSPACE =
            "SELECT "
                    + COLUMNS
                    + " FROM delivery_totals WHERE workspace_id = ?"
                    + " ORDER BY source_id, destination_id LIMIT ?";

    private TotalsRows() {}

    /**
     * Whether {@code workspaceId} has running totals for a pair to {@code destinationId} (from
     * {@code sourceId} when it is given): whether such a pair has had a final minute.
     */
    public static boolean exists(
            Connection c, String workspaceId, String sourceId, String destinationId)
            throws SQLException {
        String sql =
                "SELECT 1 FROM delivery_totals WHERE workspace_id = ? AND destination_id = ?"
                        + (sourceId == null ? "" : " AND source_id = ?")
                        + " LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, workspaceId);
            ps.setString(2, destinationId);
            if (sourceId != null) {
                ps.setString(3, sourceId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Upserts the rows in the caller's transaction; a row never moves to an older minute. */
    public static void write(Connection c, Collection<PairTotals> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (PairTotals r : rows) {
                DeliveryTotals t = r.totals();
                ps.setString(1, r.pair().workspaceId());
                ps.setString(2, r.pair().sourceId());
                ps.setString(3, r.pair().destinationId());
                ps.setObject(4, MetricRows.toDateTime(r.finalThrough()));
                ps.setLong(5, t.successes());
                ps.setLong(6, t.retried());
                ps.setLong(7, t.discarded());
                ps.setLong(8, t.expired());
                ps.setLong(9, t.filtered());
                ps.setLong(10, t.latencyCount());
                ps.setLong(11, t.latencySumMs());
                ps.setString(12, joinCounts(t.latencyAtMost()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Up to {@code limit} rows, of one workspace when given, in (workspace, source, destination)
     * order.
     */
    public static List<PairTotals> read(Connection c, Optional<String> workspaceId, int limit)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(workspaceId.isPresent() ? READ_WORKSPACE : READ_ALL)) {
            int i = 1;
            if (workspaceId.isPresent()) {
                ps.setString(i++, workspaceId.get());
            }
            ps.setInt(i, limit);
            List<PairTotals> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new PairTotals(
                                    new PairKey(rs.getString(1), rs.getString(2), rs.getString(3)),
                                    MetricRows.fromDateTime(rs.getObject(4, LocalDateTime.class)),
                                    new DeliveryTotals(
                                            rs.getLong(5),
                                            rs.getLong(6),
                                            rs.getLong(7),
                                            rs.getLong(8),
                                            rs.getLong(9),
                                            rs.getLong(10),
                                            rs.getLong(11),
                                            splitCounts(rs.getString(12)))));
                }
            }
            return out;
        }
    }

    static String joinCounts(long[] counts) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(counts[i]);
        }
        return b.toString();
    }

    static long[] splitCounts(String s) {
        String[] parts = s.split(",", -1);
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Long.parseLong(parts[i]);
        }
        return out;
    }
}
