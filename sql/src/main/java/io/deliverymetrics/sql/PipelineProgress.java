package io.deliverymetrics.sql;

import io.deliverymetrics.core.time.Completeness;
import io.deliverymetrics.core.time.Granularity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * Reads and writes the streaming job's event-time progress on one shard ({@code
 * pipeline_progress}).
 *
 * <p>Each sink subtask writes its own row: its watermark and its final-through instant (see {@link
 * Completeness}). The shard's progress is the minimum over the rows of the newest parallelism,
 * because a minute is complete only when every subtask has flushed it.
 */
public final class PipelineProgress {

    /** Default pipeline name of the speed-layer job. */
    public static final String DEFAULT_PIPELINE = "delivery-metrics";

    private static final String UPSERT =
            """
            INSERT INTO pipeline_progress
                (pipeline_name, subtask, parallelism, watermark, final_through)
            VALUES (?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE
                parallelism = VALUES(parallelism),
                watermark = GREATEST(watermark, VALUES(watermark)),
                final_through = GREATEST(final_through, VALUES(final_through))""";

    private static final String READ =
            """
            SELECT MIN(p.watermark), MIN(p.final_through), COUNT(*), MAX(newest.parallelism)
            FROM pipeline_progress p
            JOIN (SELECT parallelism FROM pipeline_progress
                  WHERE pipeline_name = ?
                  ORDER BY updated_at DESC, subtask LIMIT 1) newest
              ON p.parallelism = newest.parallelism
            WHERE p.pipeline_name = ? AND p.subtask < newest.parallelism""";

    private PipelineProgress() {}

    /** Records one subtask's progress (never moves backwards); in the caller's transaction. */
    public static void write(
            Connection c,
            String pipeline,
            int subtask,
            int parallelism,
            Instant watermark,
            Instant finalThrough)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, pipeline);
            ps.setInt(2, subtask);
            ps.setInt(3, parallelism);
            ps.setObject(4, MetricRows.toDateTime(watermark));
            ps.setObject(5, MetricRows.toDateTime(finalThrough));
            ps.executeUpdate();
        }
    }

    /** The shard's progress; empty until every subtask of the newest parallelism has reported. */
    public static Optional<Completeness> read(Connection c, String pipeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(READ)) {
            ps.setString(1, pipeline);
            ps.setString(2, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getObject(1) == null) {
                    return Optional.empty();
                }
                long rows = rs.getLong(3);
                int parallelism = rs.getInt(4);
                if (rows < parallelism) {
                    return Optional.empty();
                }
                Instant watermark = MetricRows.fromDateTime(rs.getObject(1, LocalDateTime.class));
                Instant complete = Granularity.MINUTE.floor(watermark.plusMillis(1));
                Instant fin = MetricRows.fromDateTime(rs.getObject(2, LocalDateTime.class));
                // The job writes a final instant at or before its watermark's minute; rows
                // written by hand could disagree, and then the earlier instant wins.
                return Optional.of(
                        new Completeness(complete, fin.isAfter(complete) ? complete : fin));
            }
        }
    }

    /** Minutes before the returned instant are complete on this shard; see {@link #read}. */
    public static Optional<Instant> completeThrough(Connection c, String pipeline)
            throws SQLException {
        return read(c, pipeline).map(Completeness::completeThrough);
    }

    /** Minutes before the returned instant are final on this shard; see {@link #read}. */
    public static Optional<Instant> finalThrough(Connection c, String pipeline)
            throws SQLException {
        return read(c, pipeline).map(Completeness::finalThrough);
    }
}
