package io.deliverymetrics.batch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.batch.BatchApplication;
import io.deliverymetrics.batch.model.CompactionRequest;
import io.deliverymetrics.batch.support.BatchFixture;
import io.deliverymetrics.batch.support.DeliveryWorld;
import io.deliverymetrics.batch.support.TableSnapshot;
import io.deliverymetrics.core.metrics.EventKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.OutcomeCounts;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.DestinationTypeRows;
import io.deliverymetrics.sql.MetricRows;
import io.deliverymetrics.sql.PipelineProgress;
import io.deliverymetrics.sql.RangeQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;

@ExtendWith(EmbeddedInfraExtension.class)
class CompactionJobITCase {

    /** Midnight UTC three days ago: the data covers day 1 and the first hours of day 2. */
    private static final Instant DAY1 =
            Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3));

    private static final Instant DAY2 = DAY1.plus(Duration.ofDays(1));
    private static final Instant DATA_END = DAY2.plus(Duration.ofHours(5));

    private final EmbeddedMariaDb mariaDb;
    private final UniqueNames names;
    private BatchFixture fixture;
    private DeliveryWorld world;
    private List<PairKey> pairs;
    private ConfigurableApplicationContext app;
    private BatchJobs jobs;

    CompactionJobITCase(EmbeddedMariaDb mariaDb, UniqueNames names) {
        this.mariaDb = mariaDb;
        this.names = names;
    }

    @BeforeEach
    void seedMinuteRows() throws SQLException {
        fixture = new BatchFixture(mariaDb, names);
        BatchApplication.migrate(fixture.config());
        world = new DeliveryWorld(fixture.router(), 42);
        pairs = world.pairs(4);
        world.generate(pairs, DAY1, DATA_END, 0.08);
        world.seed(fixture);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldCompactMinuteRowsIntoHourAndDayRowsThatMatchTheRawAttempts() throws Exception {
        start();

        assertCompleted(jobs.compactNow(Granularity.HOUR));
        assertCompleted(jobs.compactNow(Granularity.DAY));

        world.assertTierMatches(fixture, Granularity.HOUR, DAY1, DATA_END);
        // Day 2 is complete too (its hours after 05:00 are empty), so both days are compacted.
        world.assertTierMatches(fixture, Granularity.DAY, DAY1, DAY2.plus(Duration.ofDays(1)));
        assertEventRowsAreSumsOfFinerRows(Granularity.HOUR, DAY1, DATA_END);
        assertEventRowsAreSumsOfFinerRows(Granularity.DAY, DAY1, DAY2.plus(Duration.ofDays(1)));
        for (int shard = 0; shard < BatchFixture.SHARDS; shard++) {
            assertThat(compactedThrough(shard, Granularity.HOUR))
                    .isAfterOrEqualTo(Instant.now().minus(Duration.ofHours(2)));
            assertThat(compactedThrough(shard, Granularity.DAY))
                    .isEqualTo(
                            compactedThrough(shard, Granularity.HOUR).truncatedTo(ChronoUnit.DAYS));
        }
    }

    @Test
    void shouldCompactTheGlobalRowsOfEveryDestinationTypeLikeThePairRows() throws Exception {
        start();
        // The pipeline's progress on the global database, as the job's global sink writes it.
        try (Connection c = fixture.global()) {
            PipelineProgress.write(
                    c, "delivery-metrics", 0, 1, Instant.now(), Instant.now().minusSeconds(120));
        }

        assertCompleted(jobs.compactNow(Granularity.HOUR));
        assertCompleted(jobs.compactNow(Granularity.DAY));

        world.assertGlobalTierMatches(fixture, Granularity.HOUR, DAY1, DATA_END);
        world.assertGlobalTierMatches(
                fixture, Granularity.DAY, DAY1, DAY2.plus(Duration.ofDays(1)));
        List<String> first = globalSnapshot();

        // A late attempt rewrites its type's minute row: its hour and day are recomputed.
        PairKey pair = pairs.get(1);
        world.addLate(fixture, world.randomAttempt(pair, DAY1.plus(Duration.ofMinutes(90))));
        assertCompleted(jobs.compactNow(Granularity.HOUR));
        assertCompleted(jobs.compactNow(Granularity.DAY));
        world.assertGlobalTierMatches(fixture, Granularity.HOUR, DAY1, DATA_END);
        world.assertGlobalTierMatches(
                fixture, Granularity.DAY, DAY1, DAY2.plus(Duration.ofDays(1)));
        assertThat(globalSnapshot()).isNotEqualTo(first);

        // An explicit range recomputes the same rows.
        List<String> after = globalSnapshot();
        assertCompleted(jobs.compact(CompactionRequest.range(Granularity.HOUR, DAY1, DATA_END)));
        assertThat(globalSnapshot()).isEqualTo(after);
    }

    @Test
    void shouldWriteIdenticalRowsWhenRunAgainOrRecomputed() throws Exception {
        start();
        assertCompleted(jobs.compactNow(Granularity.HOUR));
        assertCompleted(jobs.compactNow(Granularity.DAY));
        List<String> first = snapshot();

        assertCompleted(jobs.compactNow(Granularity.HOUR));
        assertCompleted(jobs.compactNow(Granularity.DAY));
        assertCompleted(jobs.compact(CompactionRequest.range(Granularity.HOUR, DAY1, DATA_END)));
        assertCompleted(
                jobs.compact(
                        CompactionRequest.range(
                                Granularity.DAY, DAY1, DAY2.plus(Duration.ofDays(1)))));

        assertThat(snapshot()).isNotEmpty().isEqualTo(first);
    }

    @Test
    void shouldConvergeWhenAMinuteRowChangesAfterItsHourWasCompacted() throws Exception {
        start();
        assertCompleted(jobs.compactNow(Granularity.HOUR));
        assertCompleted(jobs.compactNow(Granularity.DAY));

        PairKey pair = pairs.get(1);
        world.addLate(fixture, world.randomAttempt(pair, DAY1.plus(Duration.ofMinutes(90))));
        world.addLate(fixture, world.randomAttempt(pair, DAY2.plus(Duration.ofMinutes(3))));

        assertCompleted(jobs.compactNow(Granularity.HOUR));
        assertCompleted(jobs.compactNow(Granularity.DAY));

        world.assertTierMatches(fixture, Granularity.HOUR, DAY1, DATA_END);
        world.assertTierMatches(fixture, Granularity.DAY, DAY1, DAY2.plus(Duration.ofDays(1)));
        assertEventRowsAreSumsOfFinerRows(Granularity.HOUR, DAY1, DATA_END);
        assertEventRowsAreSumsOfFinerRows(Granularity.DAY, DAY1, DAY2.plus(Duration.ofDays(1)));
    }

    @Test
    void shouldPickUpAChangeWhoseUpdatedAtIsSlightlyOlderThanTheLastScan() throws Exception {
        start();
        assertCompleted(jobs.compactNow(Granularity.HOUR));
        assertCompleted(jobs.compactNow(Granularity.DAY));
        PairKey pair = pairs.get(0);
        int shard = fixture.router().shardOf(pair.workspaceId());
        LocalDateTime lastScan = changesSeenThrough(shard, Granularity.HOUR);

        // A transaction that wrote its row before the scan but committed after it: the row's
        // updated_at is older than the stored mark (within the 5 minute overlap).
        Instant minute = DAY1.plus(Duration.ofMinutes(200));
        world.addLate(fixture, world.randomAttempt(pair, minute.plusSeconds(10)));
        try (Connection c = fixture.shard(shard);
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE delivery_metrics_minute SET updated_at = ? WHERE"
                                        + " workspace_id = ? AND source_id = ? AND"
                                        + " destination_id = ? AND bucket_start = ?")) {
            ps.setObject(1, lastScan.minusSeconds(30));
            ps.setString(2, pair.workspaceId());
            ps.setString(3, pair.sourceId());
            ps.setString(4, pair.destinationId());
            ps.setObject(5, MetricRows.toDateTime(minute));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        assertCompleted(jobs.compactNow(Granularity.HOUR));
        assertCompleted(jobs.compactNow(Granularity.DAY));

        world.assertTierMatches(fixture, Granularity.HOUR, DAY1, DATA_END);
        world.assertTierMatches(fixture, Granularity.DAY, DAY1, DAY2.plus(Duration.ofDays(1)));
    }

    @Test
    void shouldNotCompactPastThePipelinesCompleteThrough() throws Exception {
        Instant complete = DAY1.plus(Duration.ofMinutes(150));
        try (Connection c = fixture.shard(0)) {
            PipelineProgress.write(c, "delivery-metrics", 0, 1, complete, complete);
        }
        start();

        assertCompleted(jobs.compactNow(Granularity.HOUR));
        assertCompleted(jobs.compactNow(Granularity.DAY));

        assertThat(compactedThrough(0, Granularity.HOUR)).isEqualTo(DAY1.plus(Duration.ofHours(2)));
        assertThat(
                        rowCount(
                                0,
                                "delivery_metrics_hour WHERE bucket_start >= ?",
                                DAY1.plus(Duration.ofHours(2))))
                .isZero();
        assertThat(progressRow(0, Granularity.DAY)).isFalse();
        assertThat(compactedThrough(1, Granularity.HOUR))
                .isAfterOrEqualTo(Instant.now().minus(Duration.ofHours(2)));
        world.assertTierMatches(fixture, Granularity.HOUR, DAY1, DAY1.plus(Duration.ofHours(2)));
    }

    /**
     * Sums the finer tier's event breakdown per pair, target bucket, type and name by plain
     * addition and compares the sums with the tier's breakdown over [from, to), on every shard.
     */
    private void assertEventRowsAreSumsOfFinerRows(Granularity tier, Instant from, Instant to)
            throws SQLException {
        Granularity finer = tier.finer().orElseThrow();
        long rows = 0;
        for (int shard = 0; shard < BatchFixture.SHARDS; shard++) {
            try (Connection c = fixture.shard(shard)) {
                Map<String, long[]> summed = new TreeMap<>();
                for (PairBucket r : RangeQuery.of(finer, from, to).list(c)) {
                    addEvents(summed, r.pair(), tier.floor(r.bucketStart()), r.bucket());
                }
                Map<String, long[]> stored = new TreeMap<>();
                for (PairBucket r : RangeQuery.of(tier, from, to).list(c)) {
                    addEvents(stored, r.pair(), r.bucketStart(), r.bucket());
                }
                assertThat(stored.keySet())
                        .as("%s event rows of shard %d", tier, shard)
                        .isEqualTo(summed.keySet());
                for (Map.Entry<String, long[]> e : stored.entrySet()) {
                    assertThat(e.getValue()).as(e.getKey()).isEqualTo(summed.get(e.getKey()));
                }
                rows += stored.size();
            }
        }
        assertThat(rows).isPositive();
    }

    private static void addEvents(
            Map<String, long[]> into, PairKey pair, Instant bucket, MetricBucket b) {
        for (Map.Entry<EventKey, OutcomeCounts> e : b.events().entrySet()) {
            long[] sums =
                    into.computeIfAbsent(pair + "|" + bucket + "|" + e.getKey(), k -> new long[5]);
            OutcomeCounts n = e.getValue();
            sums[0] += n.successes();
            sums[1] += n.retried();
            sums[2] += n.discarded();
            sums[3] += n.expired();
            sums[4] += n.filtered();
        }
    }

    /** Every row of a query with two time parameters, as sorted strings. */
    private static List<String> rowsOf(Connection c, String sql, Instant from, Instant to)
            throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, MetricRows.toDateTime(from));
            ps.setObject(2, MetricRows.toDateTime(to));
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        row.append(rs.getString(i)).append('|');
                    }
                    out.add(row.toString());
                }
            }
        }
        out.sort(null);
        return out;
    }

    private void start() {
        app = BatchApplication.start(fixture.config(), BatchApplication.Mode.JOBS_ONLY);
        jobs = app.getBean(BatchJobs.class);
    }

    private static void assertCompleted(JobExecution e) {
        assertThat(e.getStatus()).as("%s", e.getExitStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    private List<String> snapshot() throws SQLException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < BatchFixture.SHARDS; i++) {
            try (Connection c = fixture.shard(i)) {
                for (Granularity g : List.of(Granularity.HOUR, Granularity.DAY)) {
                    out.addAll(TableSnapshot.of(c, g.metricsTable()));
                    out.addAll(TableSnapshot.of(c, g.errorsTable()));
                }
            }
        }
        return out;
    }

    private List<String> globalSnapshot() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = fixture.global()) {
            for (Granularity g : List.of(Granularity.HOUR, Granularity.DAY)) {
                out.addAll(TableSnapshot.of(c, DestinationTypeRows.metricsTable(g)));
                out.addAll(TableSnapshot.of(c, DestinationTypeRows.errorsTable(g)));
            }
        }
        return out;
    }

    private Instant compactedThrough(int shard, Granularity tier) throws SQLException {
        try (Connection c = fixture.shard(shard);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT compacted_through FROM compaction_progress WHERE tier = ?")) {
            ps.setString(1, tier.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("progress row of %s on shard %s", tier, shard).isTrue();
                return MetricRows.fromDateTime(rs.getObject(1, LocalDateTime.class));
            }
        }
    }

    private boolean progressRow(int shard, Granularity tier) throws SQLException {
        return rowCount(shard, "compaction_progress WHERE tier = ?", tier.wireName()) > 0;
    }

    private LocalDateTime changesSeenThrough(int shard, Granularity tier) throws SQLException {
        try (Connection c = fixture.shard(shard);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT changes_seen_through FROM compaction_progress WHERE tier = ?")) {
            ps.setString(1, tier.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1, LocalDateTime.class);
            }
        }
    }

    private long rowCount(int shard, String fromWhere, Object param) throws SQLException {
        try (Connection c = fixture.shard(shard);
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + fromWhere)) {
            ps.setObject(1, param instanceof Instant t ? MetricRows.toDateTime(t) : param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
