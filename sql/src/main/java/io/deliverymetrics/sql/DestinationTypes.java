package io.deliverymetrics.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * The one row mapping of a shard's {@code destination_types}: the type of each destination of a
 * workspace as the streaming job last saw it (see {@code V7__destination_types.sql} for the rule),
 * written by the job and read by the pair endpoints of the API.
 */
public final class DestinationTypes {

    /**
     * Records of {@code minute} sent to {@code destinationId} of {@code workspaceId} named {@code
     * destinationType}.
     */
    public record Seen(
            String workspaceId, String destinationId, String destinationType, Instant minute) {

        public Seen {
            Objects.requireNonNull(workspaceId, "workspaceId");
            Objects.requireNonNull(destinationId, "destinationId");
            Objects.requireNonNull(destinationType, "destinationType");
            Objects.requireNonNull(minute, "minute");
        }

        /**
         * Whether this sighting replaces {@code other} of the same destination: a later minute, or
         * in the same minute a greater type (binary order, as the column's collation compares). The
         * rule of the upsert, so a writer may drop the sightings it replaces before writing.
         */
        public boolean supersedes(Seen other) {
            int byMinute = minute.compareTo(other.minute);
            return byMinute > 0
                    || (byMinute == 0 && destinationType.compareTo(other.destinationType) > 0);
        }
    }

    // Assignments run left to right: the type is decided before seen_minute moves.
    private static final String UPSERT =
            """
            INSERT INTO destination_types
                (workspace_id, destination_id, destination_type, seen_minute)
            VALUES (?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE
                destination_type = IF(
                    VALUES(seen_minute) > seen_minute
                        OR (VALUES(seen_minute) = seen_minute
                            AND VALUES(destination_type) > destination_type),
                    VALUES(destination_type), destination_type),
                seen_minute = GREATEST(seen_minute, VALUES(seen_minute))""";

    private static final String READ =
            """
            SELECT destination_type FROM destination_types
            WHERE workspace_id = ? AND destination_id = ?""";

    private DestinationTypes() {}

    /**
     * Upserts the sightings in the caller's transaction; a row takes a sighting only when it {@link
     * Seen#supersedes supersedes} what the row holds. Callers pass them in key order, so that
     * concurrent writers lock rows in the same order.
     */
    public static void write(Connection c, Collection<Seen> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (Seen r : rows) {
                ps.setString(1, r.workspaceId());
                ps.setString(2, r.destinationId());
                ps.setString(3, r.destinationType());
                ps.setObject(4, MetricRows.toDateTime(r.minute()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The type of {@code destinationId} of {@code workspaceId}, by primary key; empty when none of
     * its records named one.
     */
    public static Optional<String> read(Connection c, String workspaceId, String destinationId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(READ)) {
            ps.setString(1, workspaceId);
            ps.setString(2, destinationId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
