package io.deliverymetrics.batch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.batch.BatchApplication;
import io.deliverymetrics.batch.model.CompactionRequest;
import io.deliverymetrics.batch.support.BatchFixture;
import io.deliverymetrics.batch.support.DeliveryWorld;
import io.deliverymetrics.batch.support.TableSnapshot;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.MetricRows;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A block of target buckets is read pair by pair when dense and bucket by bucket when sparse; both
 * must give the same rows, byte for byte, {@code late_dropped} included.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class CompactionReadPathsITCase {

    private static final Instant DAY =
            Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));
    private static final Instant START = DAY.plus(Duration.ofHours(1));
    private static final Instant END = START.plus(Duration.ofHours(6));

    private final EmbeddedMariaDb mariaDb;
    private final UniqueNames names;

    CompactionReadPathsITCase(EmbeddedMariaDb mariaDb, UniqueNames names) {
        this.mariaDb = mariaDb;
        this.names = names;
    }

    @Test
    void shouldWriteTheSameRowsWhetherABlockIsReadPairByPairOrBucketByBucket() throws Exception {
        BatchFixture pairByPair =
                new BatchFixture(mariaDb, names).with("compaction.pair-read-min-rows", "1");
        BatchFixture bucketByBucket =
                new BatchFixture(mariaDb, names).with("compaction.pair-read-min-rows", "1000000");
        DeliveryWorld world = new DeliveryWorld(pairByPair.router(), 5);
        List<PairKey> pairs = world.pairs(2);
        world.generate(pairs, START, END, 0.5);
        // late_dropped counts on some minutes that have rows, in a few hours only.
        Map<LateKey, Long> late = new TreeMap<>();
        List<DeliveryAttempt> attempts = world.attempts();
        for (int i = 0; i < attempts.size(); i += 97) {
            DeliveryAttempt a = attempts.get(i);
            late.put(new LateKey(a.pair(), Granularity.MINUTE.floor(a.completedAt())), 1L + i % 5);
        }

        for (BatchFixture fixture : List.of(pairByPair, bucketByBucket)) {
            BatchApplication.migrate(fixture.config());
            world.seed(fixture);
            writeLateDropped(fixture, late);
            try (ConfigurableApplicationContext app =
                    BatchApplication.start(fixture.config(), BatchApplication.Mode.JOBS_ONLY)) {
                BatchJobs jobs = app.getBean(BatchJobs.class);
                assertCompleted(jobs.compactNow(Granularity.HOUR));
                assertCompleted(jobs.compactNow(Granularity.DAY));
                // And once more as an explicit range (the recompute path).
                assertCompleted(jobs.compact(CompactionRequest.range(Granularity.HOUR, DAY, END)));
            }
            world.assertTierMatches(fixture, Granularity.HOUR, START, END);
            world.assertTierMatches(fixture, Granularity.DAY, DAY, DAY.plus(Duration.ofDays(1)));
            assertThat(lateDropped(fixture, Granularity.HOUR))
                    .as("late_dropped of the hour rows")
                    .isNotEmpty()
                    .isEqualTo(expectedLate(late, Granularity.HOUR));
            assertThat(lateDropped(fixture, Granularity.DAY))
                    .as("late_dropped of the day rows")
                    .isEqualTo(expectedLate(late, Granularity.DAY));
        }

        assertThat(snapshot(pairByPair)).isNotEmpty().isEqualTo(snapshot(bucketByBucket));
    }

    private static void writeLateDropped(BatchFixture fixture, Map<LateKey, Long> late)
            throws SQLException {
        for (Map.Entry<LateKey, Long> e : late.entrySet()) {
            try (Connection c =
                            fixture.shard(
                                    fixture.router().shardOf(e.getKey().pair().workspaceId()));
                    PreparedStatement ps = c.prepareStatement(MetricRows.upsertLateDroppedSql())) {
                MetricRows.bindKey(ps, e.getKey().pair(), e.getKey().bucketStart());
                ps.setLong(5, e.getValue());
                ps.executeUpdate();
            }
        }
    }

    /** Plain sums of the seeded counts per pair and target bucket. */
    private static Map<LateKey, Long> expectedLate(Map<LateKey, Long> late, Granularity g) {
        Map<LateKey, Long> out = new TreeMap<>();
        late.forEach(
                (k, v) -> out.merge(new LateKey(k.pair(), g.floor(k.bucketStart())), v, Long::sum));
        return out;
    }

    private static Map<LateKey, Long> lateDropped(BatchFixture fixture, Granularity g)
            throws SQLException {
        Map<LateKey, Long> out = new TreeMap<>();
        for (int i = 0; i < BatchFixture.SHARDS; i++) {
            try (Connection c = fixture.shard(i);
                    PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT workspace_id, source_id, destination_id, bucket_start,"
                                            + " late_dropped FROM "
                                            + g.metricsTable()
                                            + " WHERE late_dropped > 0");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(
                            new LateKey(
                                    new PairKey(rs.getString(1), rs.getString(2), rs.getString(3)),
                                    MetricRows.fromDateTime(rs.getObject(4, LocalDateTime.class))),
                            rs.getLong(5));
                }
            }
        }
        return out;
    }

    private static List<String> snapshot(BatchFixture fixture) throws SQLException {
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

    private static void assertCompleted(JobExecution e) {
        assertThat(e.getStatus()).as("%s", e.getExitStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    record LateKey(PairKey pair, Instant bucketStart) implements Comparable<LateKey> {
        @Override
        public int compareTo(LateKey o) {
            int c = pair.compareTo(o.pair);
            return c != 0 ? c : bucketStart.compareTo(o.bucketStart);
        }
    }
}
