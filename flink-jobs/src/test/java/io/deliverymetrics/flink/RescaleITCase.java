package io.deliverymetrics.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.flink.cluster.CompleteMinutes;
import io.deliverymetrics.flink.cluster.FlinkRest;
import io.deliverymetrics.flink.cluster.LoadBatch;
import io.deliverymetrics.flink.cluster.Poll;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedKafka;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.loadgen.truth.BucketKey;
import io.deliverymetrics.loadgen.truth.BucketTotals;
import io.deliverymetrics.loadgen.truth.Truth;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rescaling through savepoints: the job is stopped with a savepoint at parallelism 2, resumed at 4,
 * stopped again and resumed at 1, with new input after each resume; every complete minute equals
 * the load generator's ground truth throughout, including the minutes whose window state was split
 * over more subtasks and then merged into one.
 *
 * <p>The first run is the job as built before it set its maximum parallelism: the same graph
 * without {@code pipeline.max-parallelism}, so Flink derives the key groups from the parallelism.
 * Its savepoint must restore into the current job (which sets {@code max-parallelism}, 128), and
 * must not restore into a job with another maximum.
 *
 * <p>On a MiniCluster per run ({@link JobHarness#start}: RocksDB as in {@code flink-conf/}, the
 * job's uids and savepoint format as on a real cluster); the parallelism is the one its REST API
 * reports.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class RescaleITCase {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final int PARTITIONS = 4;
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);
    private static final Duration ALLOWED_LATENESS = Duration.ofSeconds(30);
    private static final Duration JOB_RUNNING = Duration.ofSeconds(60);
    private static final Duration ROWS_COMPLETE = Duration.ofSeconds(90);

    @Test
    void shouldKeepEveryMinuteExactWhenRescaledThroughSavepointsFromTwoToFourToOne(
            EmbeddedKafka kafka, EmbeddedMariaDb db, UniqueNames names, @TempDir Path savepoints)
            throws Exception {
        long testStart = System.nanoTime();
        JobHarness h =
                new JobHarness(
                        kafka,
                        db,
                        names,
                        Map.of(
                                "kafka.stop-at-latest", "false",
                                "watermark.out-of-orderness", OUT_OF_ORDERNESS.toSeconds() + "s",
                                "window.allowed-lateness", ALLOWED_LATENESS.toSeconds() + "s"),
                        null,
                        PARTITIONS);
        CompleteMinutes rows =
                new CompleteMinutes(
                        db, h.shardDatabases, JobHarness.PIPELINE, START.minus(Duration.ofDays(1)));
        Configuration current = DeliveryMetricsJob.flinkConfiguration(h.config);
        assertThat(current.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(128);
        Configuration withoutMaximum = new Configuration(current);
        withoutMaximum.removeConfig(PipelineOptions.MAX_PARALLELISM);
        Truth truth = new Truth();

        // 1. The job without an explicit maximum, at parallelism 2: Flink derives 128 key groups.
        LoadBatch batchA = LoadBatch.produce(kafka.bootstrapServers(), h.inputTopic, truth, START);
        SortedMap<BucketKey, BucketTotals> truthA = truth.minutes();
        String savepointA;
        try (JobHarness.RunningJob job = h.start(withoutMaximum, 2, null)) {
            assertParallelism(job, 2, KeyGroupRangeAssignment.computeDefaultMaxParallelism(2));
            assertThat(KeyGroupRangeAssignment.computeDefaultMaxParallelism(2)).isEqualTo(128);
            rows.awaitEqualTruth(truthA, lowerBound(batchA), ROWS_COMPLETE, () -> failures(job));
            savepointA = job.stopWithSavepoint(savepoints);
        }

        // A job with another maximum cannot use that savepoint: the key groups are fixed.
        Configuration otherMaximum = new Configuration(current);
        otherMaximum.set(PipelineOptions.MAX_PARALLELISM, 256);
        try (JobHarness.RunningJob job = h.start(otherMaximum, 2, savepointA)) {
            String state =
                    Poll.until(JOB_RUNNING, () -> job.rest().jobState(job.id()), "FAILED"::equals);
            assertThat(state)
                    .as("a job with max parallelism 256 resumed from a 128 savepoint")
                    .isEqualTo("FAILED");
            assertThat(job.rest().failureDetails(job.id())).contains("Max parallelism mismatch");
        }

        // 2. The current job, resumed at parallelism 4.
        LoadBatch batchB =
                LoadBatch.produce(
                        kafka.bootstrapServers(), h.inputTopic, truth, batchA.nextStart());
        SortedMap<BucketKey, BucketTotals> truthAB = truth.minutes();
        String savepointB;
        try (JobHarness.RunningJob job = h.start(current, 4, savepointA)) {
            assertParallelism(job, 4, h.config.maxParallelism());
            assertRestoredFrom(job, savepointA);
            rows.awaitEqualTruth(truthAB, lowerBound(batchB), ROWS_COMPLETE, () -> failures(job));
            savepointB = job.stopWithSavepoint(savepoints);
        }

        // 3. Resumed at parallelism 1.
        LoadBatch batchC =
                LoadBatch.produce(
                        kafka.bootstrapServers(), h.inputTopic, truth, batchB.nextStart());
        SortedMap<BucketKey, BucketTotals> truthABC = truth.minutes();
        Instant completeABC;
        try (JobHarness.RunningJob job = h.start(current, 1, savepointB)) {
            assertParallelism(job, 1, h.config.maxParallelism());
            assertRestoredFrom(job, savepointB);
            completeABC =
                    rows.awaitEqualTruth(
                            truthABC, lowerBound(batchC), ROWS_COMPLETE, () -> failures(job));
        }

        assertThat(CompleteMinutes.straddling(truthA, truthAB))
                .as("minutes open in the savepoint of parallelism 2, finished at 4")
                .isNotEmpty()
                .allMatch(k -> k.bucketStart().isBefore(completeABC));
        assertThat(CompleteMinutes.straddling(truthAB, truthABC))
                .as("minutes open in the savepoint of parallelism 4, finished at 1")
                .isNotEmpty()
                .allMatch(k -> k.bucketStart().isBefore(completeABC));
        System.err.printf(
                "rescale 2 -> 4 -> 1: batches A-C (%,d records) complete through %s; test %.1f s%n",
                batchA.acked() + batchB.acked() + batchC.acked(),
                completeABC,
                (System.nanoTime() - testStart) / 1e9);
    }

    /**
     * Every vertex runs at {@code parallelism} (the global database's sink at 1) with {@code
     * maxParallelism} key groups (REST).
     */
    private static void assertParallelism(
            JobHarness.RunningJob job, int parallelism, int maxParallelism) throws Exception {
        job.awaitAllTasksRunning(JOB_RUNNING);
        List<FlinkRest.Vertex> vertices = job.rest().vertices(job.id());
        assertThat(vertices).as("vertices of %s", job.id()).isNotEmpty();
        assertThat(vertices)
                .as("parallelism and max parallelism per vertex (REST /jobs/<id>)")
                .allSatisfy(
                        v -> {
                            assertThat(v.parallelism())
                                    .as(v.name())
                                    .isEqualTo(
                                            v.name().startsWith(DeliveryMetricsJob.GLOBAL_ROWS)
                                                    ? 1
                                                    : parallelism);
                            assertThat(v.maxParallelism()).as(v.name()).isEqualTo(maxParallelism);
                        });
    }

    private static void assertRestoredFrom(JobHarness.RunningJob job, String savepoint)
            throws Exception {
        assertThat(job.rest().restored(job.id()))
                .as("what %s restored from", job.id())
                .hasValueSatisfying(
                        r -> {
                            assertThat(r.savepoint()).isTrue();
                            assertThat(Path.of(URI.create(r.externalPath())))
                                    .isEqualTo(Path.of(URI.create(savepoint)));
                        });
    }

    private static Instant lowerBound(LoadBatch batch) {
        return CompleteMinutes.lowerBound(batch.lastReceipt(), OUT_OF_ORDERNESS, ALLOWED_LATENESS);
    }

    private static String failures(JobHarness.RunningJob job) {
        try {
            return "job "
                    + job.rest().jobState(job.id())
                    + ", failures "
                    + job.rest().failures(job.id());
        } catch (Exception e) {
            return "(no diagnostics: " + e + ")";
        }
    }
}
