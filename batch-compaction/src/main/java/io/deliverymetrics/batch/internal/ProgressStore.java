package io.deliverymetrics.batch.internal;

import io.deliverymetrics.batch.model.CompactionProgress;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.sql.MetricRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

/** Reads and writes {@code compaction_progress} of one shard; never moves a value backwards. */
public final class ProgressStore {

    private static final String READ =
            """
            SELECT compacted_through, changes_seen_through
            FROM compaction_progress WHERE tier = ?""";

    private static final String ADVANCE =
            """
            INSERT INTO compaction_progress (tier, compacted_through, changes_seen_through)
            VALUES (?, ?, ?)
            ON DUPLICATE KEY UPDATE
                compacted_through = GREATEST(compacted_through, VALUES(compacted_through)),
                changes_seen_through = GREATEST(changes_seen_through, VALUES(changes_seen_through))""";

    private static final String SAVE_MARK =
            """
            UPDATE compaction_progress
            SET changes_seen_through = GREATEST(changes_seen_through, ?)
            WHERE tier = ?""";

    private ProgressStore() {}

    public static Optional<CompactionProgress> read(Connection c, Granularity tier)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(READ)) {
            ps.setString(1, tier.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new CompactionProgress(
                                tier,
                                MetricRows.fromDateTime(rs.getObject(1, LocalDateTime.class)),
                                rs.getObject(2, LocalDateTime.class)));
            }
        }
    }

    /**
     * Records that every bucket before {@code compactedThrough} is compacted and every change up to
     * {@code changeMark} is taken into account; creates the row on the first run.
     */
    public static void advance(
            Connection c, Granularity tier, Instant compactedThrough, LocalDateTime changeMark)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ADVANCE)) {
            ps.setString(1, tier.wireName());
            ps.setObject(2, MetricRows.toDateTime(compactedThrough));
            ps.setObject(3, changeMark);
            ps.executeUpdate();
        }
    }

    /** Stores the change mark of a finished repair; no-op before the first compaction. */
    public static void saveChangeMark(Connection c, Granularity tier, LocalDateTime changeMark)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SAVE_MARK)) {
            ps.setObject(1, changeMark);
            ps.setString(2, tier.wireName());
            ps.executeUpdate();
        }
    }
}
