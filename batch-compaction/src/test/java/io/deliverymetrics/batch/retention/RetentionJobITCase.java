package io.deliverymetrics.batch.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.deliverymetrics.batch.BatchApplication;
import io.deliverymetrics.batch.job.BatchJobs;
import io.deliverymetrics.batch.support.BatchFixture;
import io.deliverymetrics.batch.support.DeliveryWorld;
import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.ErrorKey;
import io.deliverymetrics.core.metrics.ErrorSample;
import io.deliverymetrics.core.metrics.ErrorSamples;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.MetricRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.context.ConfigurableApplicationContext;

@ExtendWith(EmbeddedInfraExtension.class)
class RetentionJobITCase {

    /** A fixed "now" keeps partition names and expiry exact. */
    private static final Instant NOW = Instant.parse("2026-03-20T10:15:00Z");

    private final EmbeddedMariaDb mariaDb;
    private final UniqueNames names;

    RetentionJobITCase(EmbeddedMariaDb mariaDb, UniqueNames names) {
        this.mariaDb = mariaDb;
        this.names = names;
    }

    @Test
    void shouldDropOnlyPartitionsEntirelyOlderThanTheRetentionAndKeepTheOthersRows()
            throws Exception {
        BatchFixture fixture = new BatchFixture(mariaDb, names);
        try (ConfigurableApplicationContext app =
                BatchApplication.start(fixture.config(), BatchApplication.Mode.JOBS_ONLY)) {
            BatchJobs jobs = app.getBean(BatchJobs.class);
            // Twelve days ago the tables were empty: retention split p_future from then on.
            assertThat(jobs.retain(NOW.minus(Duration.ofDays(12)), OptionalInt.empty()).getStatus())
                    .isEqualTo(BatchStatus.COMPLETED);
            assertThat(partitions(fixture, 0, "delivery_metrics_minute"))
                    .containsExactly(
                            "p20260308", "p20260309", "p20260310", "p20260311", "p_future");

            // One row per day and pair, 12 days back to today, at 23:59 (the end of each day).
            DeliveryWorld world = new DeliveryWorld(fixture.router(), 3);
            List<PairKey> pairs = world.pairs(2);
            for (int d = 0; d <= 12; d++) {
                Instant at =
                        NOW.minus(Duration.ofDays(d))
                                .truncatedTo(ChronoUnit.DAYS)
                                .plusSeconds(86_340);
                for (PairKey p : pairs) {
                    world.addLate(
                            fixture,
                            world.randomAttempt(p, at.isAfter(NOW) ? NOW.minusSeconds(60) : at));
                }
            }
            TreeMap<String, Long> before = rowsPerDay(fixture, 0);
            TreeMap<String, Long> globalBefore = globalRowsPerDay(fixture);
            // Hour samples 10 and 2 days old: the first is beyond retention.samples (7 d), though
            // inside the hour tier's 180 d and in a partition that stays.
            Instant oldHour = NOW.minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.HOURS);
            Instant newHour = NOW.minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
            ErrorKey key = new ErrorKey(Outcome.RETRYING, "e");
            byte[] samples =
                    BucketCodec.encodeSamples(
                            ErrorSamples.of(
                                    List.of(
                                            new ErrorSample(
                                                    1,
                                                    "ev",
                                                    1,
                                                    Outcome.RETRYING,
                                                    "e",
                                                    oldHour,
                                                    "track",
                                                    null,
                                                    "boom"))));
            try (Connection c = fixture.shard(0);
                    PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO delivery_errors_hour (workspace_id, source_id,"
                                            + " destination_id, bucket_start, outcome, error_code,"
                                            + " error_count, samples, updated_at) VALUES ('ws', 's',"
                                            + " 'd', ?, 'retrying', 'e', 3, ?, ?)")) {
                for (Instant h : List.of(oldHour, newHour)) {
                    ps.setObject(1, MetricRows.toDateTime(h));
                    ps.setBytes(2, samples);
                    ps.setTimestamp(3, Timestamp.from(h));
                    ps.executeUpdate();
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }

            assertThat(jobs.retain(NOW, OptionalInt.empty()).getStatus())
                    .isEqualTo(BatchStatus.COMPLETED);

            // Minute retention 7 d: rows before 2026-03-13T10:15 are expired; p20260312 (every
            // row before 03-13) goes, p20260313 (partly inside the retention) stays.
            List<String> expected =
                    List.of(
                            "p20260313",
                            "p20260314",
                            "p20260315",
                            "p20260316",
                            "p20260317",
                            "p20260318",
                            "p20260319",
                            "p20260320",
                            "p20260321",
                            "p20260322",
                            "p20260323",
                            "p_future");
            for (int shard = 0; shard < BatchFixture.SHARDS; shard++) {
                assertThat(partitions(fixture, shard, "delivery_metrics_minute"))
                        .containsExactlyElementsOf(expected);
                assertThat(partitions(fixture, shard, "delivery_errors_minute"))
                        .containsExactlyElementsOf(expected);
                // Hour (180 d) and day (3 y) tiers: monthly and yearly partitions from the first
                // run's period on, two months and one year ahead; nothing expired yet.
                assertThat(partitions(fixture, shard, "delivery_metrics_hour"))
                        .containsExactly("p202603", "p202604", "p202605", "p_future");
                assertThat(partitions(fixture, shard, "delivery_errors_day"))
                        .containsExactly("p2026", "p2027", "p_future");
            }
            // Samples: at most 7 d (retention.samples) in every tier. The hour rows stay (180 d),
            // with their counts and their updated_at (no change for compaction to follow); the
            // old one without its samples.
            try (Connection c = fixture.shard(0);
                    Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT bucket_start, error_count, samples, updated_at FROM"
                                            + " delivery_errors_hour WHERE workspace_id = 'ws'"
                                            + " ORDER BY bucket_start")) {
                List<Tuple> rows = new ArrayList<>();
                while (rs.next()) {
                    Instant bucket = MetricRows.fromDateTime(rs.getObject(1, LocalDateTime.class));
                    rows.add(
                            tuple(
                                    bucket,
                                    rs.getLong(2),
                                    BucketCodec.decodeSamples(key, rs.getBytes(3)).size(),
                                    rs.getTimestamp(4).toInstant()));
                }
                assertThat(rows)
                        .containsExactly(
                                tuple(oldHour, 3L, 0, oldHour), tuple(newHour, 3L, 1, newHour));
            }
            try (Connection c = fixture.shard(0);
                    Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT tier, cleared_before FROM error_samples_retention"
                                            + " ORDER BY tier")) {
                List<Tuple> marks = new ArrayList<>();
                while (rs.next()) {
                    marks.add(
                            tuple(
                                    rs.getString(1),
                                    MetricRows.fromDateTime(rs.getObject(2, LocalDateTime.class))));
                }
                // The minute tier keeps 7 d itself: nothing to clear there.
                assertThat(marks)
                        .containsExactly(
                                tuple(
                                        "day",
                                        NOW.minus(Duration.ofDays(7)).truncatedTo(ChronoUnit.DAYS)),
                                tuple(
                                        "hour",
                                        NOW.minus(Duration.ofDays(7))
                                                .truncatedTo(ChronoUnit.HOURS)));
            }
            // The global database's destination-type tables, the same way.
            assertThat(globalPartitions(fixture, "destination_type_metrics_minute"))
                    .containsExactlyElementsOf(expected);
            assertThat(globalPartitions(fixture, "destination_type_errors_minute"))
                    .containsExactlyElementsOf(expected);
            assertThat(globalPartitions(fixture, "destination_type_metrics_hour"))
                    .containsExactly("p202603", "p202604", "p202605", "p_future");
            assertThat(globalPartitions(fixture, "destination_type_errors_day"))
                    .containsExactly("p2026", "p2027", "p_future");
            TreeMap<String, Long> after = rowsPerDay(fixture, 0);
            TreeMap<String, Long> kept = new TreeMap<>(before.tailMap("2026-03-13"));
            assertThat(after).isEqualTo(kept);
            assertThat(before.headMap("2026-03-13")).isNotEmpty();
            assertThat(globalRowsPerDay(fixture))
                    .isEqualTo(new TreeMap<>(globalBefore.tailMap("2026-03-13")));
            assertThat(globalBefore.headMap("2026-03-13")).isNotEmpty();
        }
    }

    private static List<String> partitions(BatchFixture f, int shard, String table)
            throws SQLException {
        try (Connection c = f.shard(shard)) {
            return partitions(c, table);
        }
    }

    private static List<String> globalPartitions(BatchFixture f, String table) throws SQLException {
        try (Connection c = f.global()) {
            return partitions(c, table);
        }
    }

    private static List<String> partitions(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT PARTITION_NAME FROM INFORMATION_SCHEMA.PARTITIONS WHERE"
                                + " TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY"
                                + " PARTITION_ORDINAL_POSITION")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static TreeMap<String, Long> rowsPerDay(BatchFixture f, int shard) throws SQLException {
        try (Connection c = f.shard(shard)) {
            return rowsPerDay(c, "delivery_metrics_minute");
        }
    }

    private static TreeMap<String, Long> globalRowsPerDay(BatchFixture f) throws SQLException {
        try (Connection c = f.global()) {
            return rowsPerDay(c, "destination_type_metrics_minute");
        }
    }

    private static TreeMap<String, Long> rowsPerDay(Connection c, String table)
            throws SQLException {
        TreeMap<String, Long> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT bucket_start FROM " + table);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Instant t = MetricRows.fromDateTime(rs.getObject(1, LocalDateTime.class));
                out.merge(t.atZone(ZoneOffset.UTC).toLocalDate().toString(), 1L, Long::sum);
            }
        }
        return out;
    }
}
