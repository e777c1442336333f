package io.deliverymetrics.sql;

import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.ErrorKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.time.Granularity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one mapping between {@link TypeBucket} and the global database's {@code
 * destination_type_metrics_*} and {@code destination_type_errors_*} tables: the same metric
 * columns, overwrite upsert and error-row handling as the pair tables ({@link MetricRows}), keyed
 * by (destination type, bucket start), plus the distinct-contributor sketches and their estimates.
 */
public final class DestinationTypeRows {

    /** The distinct-contributor columns: estimates, then sketches, in the same order. */
    private static final List<String> DISTINCT_COLUMNS =
            List.of(
                    "workspaces",
                    "pairs",
                    "affected_workspaces",
                    "affected_pairs",
                    "workspaces_sketch",
                    "pairs_sketch",
                    "affected_workspaces_sketch",
                    "affected_pairs_sketch");

    private static final MetricRows.Layout<TypeBucket> TYPES =
            new MetricRows.Layout<>() {
                @Override
                public String metricsTable(Granularity g) {
                    return DestinationTypeRows.metricsTable(g);
                }

                @Override
                public String errorsTable(Granularity g) {
                    return DestinationTypeRows.errorsTable(g);
                }

                @Override
                public List<String> keyColumns() {
                    return List.of("destination_type", "bucket_start");
                }

                @Override
                public List<String> extraColumns() {
                    return DISTINCT_COLUMNS;
                }

                @Override
                public MultiRowInsert appendKey(MultiRowInsert r, TypeBucket row) {
                    return r.value(row.destinationType()).value(row.bucketStart());
                }

                @Override
                public void appendExtra(MultiRowInsert r, TypeBucket row) {
                    DistinctContributors d = row.contributors();
                    r.value(d.workspaces())
                            .value(d.pairs())
                            .value(d.affectedWorkspaces())
                            .value(d.affectedPairs());
                    for (byte[] sketch : d.sketches()) {
                        r.value(sketch);
                    }
                }

                @Override
                public int bindKey(PreparedStatement ps, TypeBucket row) throws SQLException {
                    ps.setString(1, row.destinationType());
                    ps.setObject(2, MetricRows.toDateTime(row.bucketStart()));
                    return 3;
                }

                @Override
                public MetricBucket bucket(TypeBucket row) {
                    return row.bucket();
                }
            };

    private DestinationTypeRows() {}

    public static String metricsTable(Granularity g) {
        return "destination_type_metrics_" + g.wireName();
    }

    public static String errorsTable(Granularity g) {
        return "destination_type_errors_" + g.wireName();
    }

    /**
     * Writes rows in the caller's transaction: metrics, sketches and estimates upserted, each
     * bucket's error rows replaced. Batched; the caller commits.
     */
    public static void write(Connection c, Granularity g, Collection<TypeBucket> rows)
            throws SQLException {
        MetricRows.write(c, g, rows, false, TYPES);
    }

    /** As {@link MetricRows#writeGrowing}, for successive firings of one window. */
    public static void writeGrowing(Connection c, Granularity g, Collection<TypeBucket> rows)
            throws SQLException {
        MetricRows.write(c, g, rows, true, TYPES);
    }

    /** Every row of the tier with {@code from <= bucket_start < to}, by type and bucket start. */
    public static List<TypeBucket> list(Connection c, Granularity g, Instant from, Instant to)
            throws SQLException {
        return list(c, g, null, from, to);
    }

    /**
     * The rows of one destination type ({@code null}: of every type) with {@code from <=
     * bucket_start < to}, by type and bucket start; a range scan of the primary key for one type.
     */
    public static List<TypeBucket> list(
            Connection c, Granularity g, String type, Instant from, Instant to)
            throws SQLException {
        String where =
                " WHERE "
                        + (type == null ? "" : "destination_type = ? AND ")
                        + "bucket_start >= ? AND bucket_start < ?";
        Map<String, Map<ErrorKey, Long>> errors = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT destination_type, bucket_start, outcome, error_code, error_count"
                                + " FROM "
                                + errorsTable(g)
                                + where)) {
            bindRange(ps, type, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    errors.computeIfAbsent(
                                    rs.getString(1) + '@' + rs.getObject(2, LocalDateTime.class),
                                    k -> new TreeMap<>())
                            .put(
                                    MetricRows.errorKey(rs.getString(3), rs.getString(4)),
                                    rs.getLong(5));
                }
            }
        }
        List<TypeBucket> rows = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT destination_type, bucket_start, "
                                + MetricRows.METRIC_COLUMNS
                                + ", workspaces_sketch, pairs_sketch, affected_workspaces_sketch,"
                                + " affected_pairs_sketch FROM "
                                + metricsTable(g)
                                + where
                                + " ORDER BY destination_type, bucket_start")) {
            bindRange(ps, type, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                int sketches = rs.getMetaData().getColumnCount() - 3;
                while (rs.next()) {
                    String rowType = rs.getString(1);
                    LocalDateTime start = rs.getObject(2, LocalDateTime.class);
                    MetricBucket b =
                            MetricRows.readBucket(
                                    rs, 3, errors.getOrDefault(rowType + '@' + start, Map.of()));
                    byte[][] s = new byte[4][];
                    for (int i = 0; i < 4; i++) {
                        s[i] = rs.getBytes(sketches + i);
                    }
                    rows.add(
                            new TypeBucket(
                                    rowType,
                                    MetricRows.fromDateTime(start),
                                    b,
                                    DistinctContributors.fromSketches(s)));
                }
            }
        }
        return rows;
    }

    private static void bindRange(PreparedStatement ps, String type, Instant from, Instant to)
            throws SQLException {
        int i = 1;
        if (type != null) {
            ps.setString(i++, type);
        }
        ps.setObject(i++, MetricRows.toDateTime(from));
        ps.setObject(i, MetricRows.toDateTime(to));
    }
}
