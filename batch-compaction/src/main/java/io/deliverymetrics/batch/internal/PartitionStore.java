package io.deliverymetrics.batch.internal;

import io.deliverymetrics.batch.model.PartitionInfo;
import io.deliverymetrics.batch.retention.PartitionScheme;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Lists, creates and drops the range partitions of a tier table.
 *
 * <p>Table and partition names cannot be bound as parameters; they come from the tier enum and from
 * dates, and are checked against a strict pattern before they reach DDL.
 */
public final class PartitionStore {

    private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,63}");
    private static final DateTimeFormatter DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static final String LIST =
            """
            SELECT PARTITION_NAME, PARTITION_DESCRIPTION
            FROM INFORMATION_SCHEMA.PARTITIONS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
            ORDER BY PARTITION_ORDINAL_POSITION""";

    private PartitionStore() {}

    /** The table's partitions in order; the bound of {@code MAXVALUE} is empty. */
    public static List<PartitionInfo> list(Connection c, String table) throws SQLException {
        List<PartitionInfo> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LIST)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (name == null) {
                        throw new SQLException(table + " is not partitioned");
                    }
                    out.add(new PartitionInfo(name, parseBound(rs.getString(2))));
                }
            }
        }
        return out;
    }

    /** The oldest {@code bucket_start} of the table. */
    public static Optional<Instant> oldestRow(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT MIN(bucket_start) FROM " + checked(table))) {
            LocalDateTime t = rs.next() ? rs.getObject(1, LocalDateTime.class) : null;
            return Optional.ofNullable(t).map(v -> v.toInstant(ZoneOffset.UTC));
        }
    }

    /** Splits new partitions (ascending) off {@code p_future}. */
    public static void create(Connection c, String table, List<PartitionInfo> partitions)
            throws SQLException {
        if (partitions.isEmpty()) {
            return;
        }
        StringBuilder sql =
                new StringBuilder("ALTER TABLE ")
                        .append(checked(table))
                        .append(" REORGANIZE PARTITION ")
                        .append(PartitionScheme.FUTURE)
                        .append(" INTO (");
        for (PartitionInfo p : partitions) {
            sql.append("PARTITION ")
                    .append(checked(p.name()))
                    .append(" VALUES LESS THAN ('")
                    .append(
                            DATETIME.format(
                                    LocalDateTime.ofInstant(
                                            p.lessThan().orElseThrow(), ZoneOffset.UTC)))
                    .append("'), ");
        }
        sql.append("PARTITION ")
                .append(PartitionScheme.FUTURE)
                .append(" VALUES LESS THAN (MAXVALUE))");
        try (Statement st = c.createStatement()) {
            st.execute(sql.toString());
        }
    }

    /** Drops whole partitions (their rows go with them). */
    public static void drop(Connection c, String table, List<String> partitions)
            throws SQLException {
        if (partitions.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (String p : partitions) {
            names.add(checked(p));
        }
        try (Statement st = c.createStatement()) {
            st.execute(
                    "ALTER TABLE "
                            + checked(table)
                            + " DROP PARTITION "
                            + String.join(", ", names));
        }
    }

    static Optional<Instant> parseBound(String description) {
        if (description == null || description.equalsIgnoreCase("MAXVALUE")) {
            return Optional.empty();
        }
        String v = description.trim();
        if (v.startsWith("'") && v.endsWith("'")) {
            v = v.substring(1, v.length() - 1);
        }
        if (v.length() == 10) {
            v = v + " 00:00:00";
        }
        return Optional.of(LocalDateTime.parse(v, DATETIME).toInstant(ZoneOffset.UTC));
    }

    private static String checked(String identifier) {
        if (!SAFE_NAME.matcher(identifier).matches()) {
            throw new IllegalArgumentException("unsafe identifier in DDL: " + identifier);
        }
        return identifier;
    }
}
