package io.deliverymetrics.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedKafka;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.loadgen.truth.BucketKey;
import io.deliverymetrics.loadgen.truth.BucketTotals;
import io.deliverymetrics.loadgen.truth.Truth;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Runs the shaded job jar on a real standalone session cluster (JobManager and TaskManager JVMs
 * started from Maven artifacts with the project's {@code flink-conf/}), submitted through the
 * {@code flink} CLI, against the real broker and two real shard databases; every complete minute
 * row must equal the load generator's ground truth. The tests share one cluster: one stops the job
 * with a savepoint and resumes it, the other kills the TaskManager with SIGKILL mid-stream and
 * starts a new one.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterITCase {

    private static final String PIPELINE = "delivery-metrics-cluster-it";
    private static final int SHARDS = 2;

    /** Simulated receipt time of batch A's first event. */
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    /** The job's watermark.out-of-orderness and window.allowed-lateness. */
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);

    private static final Duration ALLOWED_LATENESS = Duration.ofSeconds(30);

    private static final Duration CLUSTER_READY = Duration.ofSeconds(90);
    private static final Duration CLI_COMMAND = Duration.ofSeconds(120);
    private static final Duration ROWS_COMPLETE = Duration.ofSeconds(90);

    /**
     * How long the JobManager may take to notice a killed TaskManager and restart the job on the
     * new one: with flink-conf's defaults, two failed heartbeats 10 s apart (heartbeat.interval,
     * heartbeat.rpc-failure-threshold), at most heartbeat.timeout (50 s); plus the restart.
     */
    private static final Duration RECOVERY = Duration.ofSeconds(120);

    /** Exit code of a JVM ended by SIGKILL (signal 9): 128 + 9. */
    private static final int SIGKILL_EXIT_CODE = 137;

    private static final Pattern SAVEPOINT_PATH =
            Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    private StandaloneCluster cluster;
    private long clusterStartNanos;

    @BeforeAll
    void startCluster(@TempDir Path workDir) throws Exception {
        // The cluster JVMs boot while the extension starts the broker and the database.
        clusterStartNanos = System.nanoTime();
        cluster =
                StandaloneCluster.start(
                        pathProperty("delivery-metrics.flink-conf-dir"),
                        pathProperty("delivery-metrics.flink-classpath-file"),
                        pathProperty("delivery-metrics.flink-lib-dir"),
                        workDir);
    }

    @AfterEach
    void cancelJobs() throws Exception {
        // The next test gets every slot: wait until this test's jobs are gone.
        for (FlinkRest.JobSummary job : cluster.jobs()) {
            if (!isTerminal(job.state())) {
                cluster.cancel(job.id());
            }
        }
        Poll.until(
                CLI_COMMAND,
                () -> cluster.jobs().stream().allMatch(j -> isTerminal(j.state())),
                done -> done);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldKeepEveryMinuteExactWhenTheJobIsStoppedWithASavepointAndResumed(
            EmbeddedKafka kafka, EmbeddedMariaDb db, UniqueNames names, @TempDir Path tmp)
            throws Exception {
        Path jobJar = jobJar();
        Run run = prepare(kafka, db, names, tmp);

        // Batch A, all of it in the topic before the job starts.
        Truth truth = new Truth();
        LoadBatch batchA = LoadBatch.produce(kafka.bootstrapServers(), run.topic(), truth, START);
        SortedMap<BucketKey, BucketTotals> truthA = truth.minutes();

        awaitCluster();
        long ready = System.nanoTime();
        String jobId = submit(jobJar, run.jobConfig(), Optional.empty());
        long submitted = System.nanoTime();
        System.err.printf(
                "cluster: flink run -d returned in %.1f s (job %s)%n",
                seconds(ready, submitted), jobId);

        Instant completeA =
                run.rows()
                        .awaitEqualTruth(truthA, lowerBound(batchA), ROWS_COMPLETE, cluster::logs);
        long processedA = System.nanoTime();
        System.err.printf(
                "cluster: batch A (%,d records) complete through %s after %.1f s%n",
                batchA.acked(), completeA, seconds(submitted, processedA));

        // Stop with a savepoint while the windows of A's last minutes are still open.
        assertThat(Poll.until(CLI_COMMAND, () -> cluster.allTasksRunning(jobId), r -> r))
                .as("all tasks of %s running\n%s", jobId, cluster.logs())
                .isTrue();
        StandaloneCluster.CliResult stop =
                cluster.cli(
                        CLI_COMMAND,
                        "stop",
                        "--savepointPath",
                        cluster.savepointDirectory(),
                        jobId);
        assertThat(stop.exitCode()).as("flink stop\n%s", stop.tail()).isZero();
        Matcher savepoint = SAVEPOINT_PATH.matcher(stop.output());
        assertThat(savepoint.find()).as("savepoint path in\n%s", stop.tail()).isTrue();
        String state = Poll.until(CLI_COMMAND, () -> cluster.jobState(jobId), "FINISHED"::equals);
        assertThat(state).as("job after stop-with-savepoint").isEqualTo("FINISHED");
        long stopped = System.nanoTime();
        System.err.printf(
                "cluster: flink stop took %.1f s, savepoint %s%n",
                seconds(processedA, stopped), savepoint.group(1));

        // Batch B starts at the beginning of the minute of A's last record, so that minute's
        // window holds records of both batches: its final value is right only if the window
        // state restored from the savepoint (A's part) is merged with B's records exactly once.
        LoadBatch batchB =
                LoadBatch.produce(kafka.bootstrapServers(), run.topic(), truth, batchA.nextStart());
        SortedMap<BucketKey, BucketTotals> truthAB = truth.minutes();

        String resumedId = submit(jobJar, run.jobConfig(), Optional.of(savepoint.group(1)));
        long resumed = System.nanoTime();
        System.err.printf(
                "cluster: flink run -d -s returned in %.1f s%n", seconds(stopped, resumed));
        assertThat(cluster.rest().restored(resumedId))
                .as("the resumed job's state")
                .hasValueSatisfying(r -> assertThat(r.savepoint()).isTrue());

        Instant completeAB =
                run.rows()
                        .awaitEqualTruth(truthAB, lowerBound(batchB), ROWS_COMPLETE, cluster::logs);
        long processedB = System.nanoTime();
        System.err.printf(
                "cluster: batch B (%,d records) complete through %s after %.1f s; whole run"
                        + " %.1f s%n",
                batchB.acked(),
                completeAB,
                seconds(resumed, processedB),
                seconds(clusterStartNanos, processedB));

        assertThat(CompleteMinutes.straddling(truthA, truthAB))
                .as("minutes holding records of both batches (they prove the restored state)")
                .isNotEmpty()
                .allMatch(k -> k.bucketStart().isBefore(completeAB));
        assertThat(completeAB)
                .as("every minute of batch A compared")
                .isAfter(batchA.stats().clock());
    }

    /**
     * TaskManager loss: the only TaskManager is killed with SIGKILL while the job runs, with
     * records it has read but not yet checkpointed, and a new TaskManager JVM is started. The
     * JobManager notices the loss by its heartbeats, restarts the same job from its last checkpoint
     * on the new TaskManager's slots (the restart strategy of the job's configuration), and every
     * complete minute, including those that were open when the process died, equals the ground
     * truth.
     */
    @Test
    void shouldKeepEveryMinuteExactWhenTheTaskManagerIsKilledAndReplaced(
            EmbeddedKafka kafka, EmbeddedMariaDb db, UniqueNames names, @TempDir Path tmp)
            throws Exception {
        Path jobJar = jobJar();
        Run run = prepare(kafka, db, names, tmp);
        FlinkRest rest = cluster.rest();

        Truth truth = new Truth();
        LoadBatch batchA = LoadBatch.produce(kafka.bootstrapServers(), run.topic(), truth, START);
        SortedMap<BucketKey, BucketTotals> truthA = truth.minutes();

        awaitCluster();
        String jobId = submit(jobJar, run.jobConfig(), Optional.empty());
        long submitted = System.nanoTime();
        run.rows().awaitEqualTruth(truthA, lowerBound(batchA), ROWS_COMPLETE, cluster::logs);
        Optional<Long> checkpointBeforeKill =
                Poll.until(
                        ROWS_COMPLETE,
                        () -> rest.latestCompletedCheckpoint(jobId),
                        Optional::isPresent);
        assertThat(checkpointBeforeKill).as("a completed checkpoint before the kill").isPresent();
        List<String> taskManagersBefore = rest.taskManagerIds();
        assertThat(taskManagersBefore).hasSize(1);

        // Batch B arrives while the job runs and the TaskManager dies as soon as B is in the
        // topic: whatever the job read since its last checkpoint is read again after the
        // restart. Batch C arrives while no TaskManager runs.
        LoadBatch batchB =
                LoadBatch.produce(kafka.bootstrapServers(), run.topic(), truth, batchA.nextStart());
        SortedMap<BucketKey, BucketTotals> truthAB = truth.minutes();
        long killedPid = cluster.taskManagerPid();
        int exitCode = cluster.killTaskManager();
        long killed = System.nanoTime();
        assertThat(exitCode)
                .as("exit code of the killed TaskManager (SIGKILL)")
                .isEqualTo(SIGKILL_EXIT_CODE);
        LoadBatch batchC =
                LoadBatch.produce(kafka.bootstrapServers(), run.topic(), truth, batchB.nextStart());
        SortedMap<BucketKey, BucketTotals> truthABC = truth.minutes();

        cluster.startTaskManager();
        assertThat(cluster.taskManagerPid())
                .as("the new TaskManager's process")
                .isNotEqualTo(killedPid);
        // The ResourceManager notices the loss by its own heartbeats, possibly after the job's;
        // until it does, it may offer the dead TaskManager's slots and the job restarts again. So
        // the job counts as recovered once the old TaskManager is gone and every task runs.
        List<String> taskManagersAfter =
                Poll.until(
                        RECOVERY,
                        rest::taskManagerIds,
                        ids -> ids.size() == 1 && !ids.containsAll(taskManagersBefore));
        assertThat(taskManagersAfter)
                .as("TaskManagers after the recovery")
                .doesNotContainAnyElementsOf(taskManagersBefore)
                .hasSize(1);
        long restarts =
                Poll.until(
                        RECOVERY,
                        () -> cluster.allTasksRunning(jobId) ? rest.numRestarts(jobId) : 0L,
                        n -> n > 0);
        long recovered = System.nanoTime();
        assertThat(restarts)
                .as(
                        "restarts of %s (REST numRestarts) before every task of the same job runs"
                                + " again\n%s",
                        jobId, cluster.logs())
                .isPositive();
        // The checkpoint statistics may report the restore a moment after the tasks run.
        Optional<FlinkRest.Restored> restored =
                Poll.until(RECOVERY, () -> rest.restored(jobId), Optional::isPresent);
        assertThat(restored)
                .as("the checkpoint the job restored (REST latest.restored)")
                .hasValueSatisfying(
                        r -> {
                            assertThat(r.savepoint()).isFalse();
                            assertThat(r.id()).isGreaterThanOrEqualTo(checkpointBeforeKill.get());
                        });
        System.err.printf(
                "cluster: TaskManager %d killed (exit %d); job restarted %d time(s) from"
                        + " checkpoint %d (last completed before the kill: %d), running again after"
                        + " %.1f s; failure: %s%n",
                killedPid,
                exitCode,
                restarts,
                restored.get().id(),
                checkpointBeforeKill.get(),
                seconds(killed, recovered),
                rest.failures(jobId).stream().findFirst().orElse("?"));

        Instant completeABC =
                run.rows()
                        .awaitEqualTruth(
                                truthABC, lowerBound(batchC), ROWS_COMPLETE, cluster::logs);
        System.err.printf(
                "cluster: batches A-C (%,d records) complete through %s; %.1f s from submission%n",
                batchA.acked() + batchB.acked() + batchC.acked(),
                completeABC,
                seconds(submitted, System.nanoTime()));
        assertThat(CompleteMinutes.straddling(truthA, truthAB))
                .as("minutes open in the checkpointed state and continued by B")
                .isNotEmpty()
                .allMatch(k -> k.bucketStart().isBefore(completeABC));
        assertThat(CompleteMinutes.straddling(truthAB, truthABC))
                .as("minutes continued by C, read after the recovery")
                .isNotEmpty()
                .allMatch(k -> k.bucketStart().isBefore(completeABC));
    }

    // ---- set-up

    /** The topics, shard databases and job configuration of one test. */
    private record Run(String topic, Path jobConfig, CompleteMinutes rows) {}

    private static Run prepare(EmbeddedKafka kafka, EmbeddedMariaDb db, UniqueNames names, Path tmp)
            throws Exception {
        String topic = names.topic("attempts");
        kafka.createTopic(topic, 3);
        List<String> shards = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
            shards.add(names.database("shard" + i));
            db.createDatabase(shards.get(i));
        }
        Path jobConfig = writeJobConfig(tmp.resolve("job.yaml"), kafka, db, names, topic, shards);
        return new Run(
                topic,
                jobConfig,
                new CompleteMinutes(db, shards, PIPELINE, START.minus(Duration.ofDays(1))));
    }

    /**
     * The job configuration, in the nested YAML of the bundled delivery-metrics-job.yaml, with the
     * keys and test values of the MiniCluster tests' JobHarness.
     */
    private static Path writeJobConfig(
            Path file,
            EmbeddedKafka kafka,
            EmbeddedMariaDb db,
            UniqueNames names,
            String topic,
            List<String> shards)
            throws Exception {
        String deadLetters = names.topic("dead-letters");
        String late = names.topic("late");
        kafka.createTopic(deadLetters, 1);
        kafka.createTopic(late, 1);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("pipeline-name", PIPELINE);
        c.put(
                "kafka",
                map(
                        "bootstrap-servers",
                        kafka.bootstrapServers(),
                        "topic",
                        topic,
                        "group-id",
                        names.topic("group"),
                        "starting-offsets",
                        "earliest",
                        "dead-letter-topic",
                        deadLetters,
                        "late-topic",
                        late));
        c.put("parser", map("max-record-bytes", 16384));
        c.put(
                "watermark",
                map("out-of-orderness", OUT_OF_ORDERNESS.toSeconds() + "s", "idleness", "5s"));
        c.put(
                "window",
                map(
                        "allowed-lateness", ALLOWED_LATENESS.toSeconds() + "s",
                        "early-firing-interval", "1s",
                        "late-count-retention", "7d"));
        c.put("checkpoint", map("interval", "1s"));
        c.put(
                "sink",
                map(
                        "batch-size",
                        500,
                        "flush-interval",
                        "200ms",
                        "max-retries",
                        3,
                        "retry-backoff",
                        "200ms"));
        c.put("restart", map("attempts", 5, "delay", "1s"));
        List<Map<String, Object>> shardList = new ArrayList<>();
        for (String shard : shards) {
            shardList.add(
                    map(
                            "jdbc-url",
                            db.jdbcUrl(shard),
                            "user",
                            db.user(),
                            "password",
                            db.password()));
        }
        c.put("shards", shardList);
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
        Files.writeString(file, new Dump(settings).dumpToString(c), StandardCharsets.UTF_8);
        return file;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Instant lowerBound(LoadBatch batch) {
        return CompleteMinutes.lowerBound(batch.lastReceipt(), OUT_OF_ORDERNESS, ALLOWED_LATENESS);
    }

    // ---- the cluster

    private void awaitCluster() throws Exception {
        cluster.awaitTaskManagers(1, CLUSTER_READY);
        System.err.printf(
                "cluster: JobManager + TaskManager ready %.1f s after the cluster start%n",
                seconds(clusterStartNanos, System.nanoTime()));
    }

    /**
     * Submits the job jar with {@code flink run -d} (from {@code savepoint} when given) and returns
     * the id of the job it started.
     */
    private String submit(Path jobJar, Path jobConfig, Optional<String> savepoint)
            throws Exception {
        List<String> before = cluster.jobs().stream().map(FlinkRest.JobSummary::id).toList();
        List<String> args = new ArrayList<>(List.of("run", "-d"));
        savepoint.ifPresent(s -> args.addAll(List.of("-s", s)));
        args.addAll(List.of(jobJar.toString(), "--config", jobConfig.toString()));
        StandaloneCluster.CliResult run = cluster.cli(CLI_COMMAND, args.toArray(String[]::new));
        assertThat(run.exitCode()).as("flink %s\n%s", String.join(" ", args), run.tail()).isZero();
        List<FlinkRest.JobSummary> running =
                Poll.until(
                        CLI_COMMAND,
                        () ->
                                cluster.jobs().stream()
                                        .filter(j -> !before.contains(j.id()))
                                        .filter(j -> j.state().equals("RUNNING"))
                                        .toList(),
                        jobs -> !jobs.isEmpty());
        assertThat(running).as("new running jobs\n%s", cluster.logs()).hasSize(1);
        assertThat(running.get(0).name()).isEqualTo(PIPELINE);
        return running.get(0).id();
    }

    private static boolean isTerminal(String state) {
        return List.of("FINISHED", "CANCELED", "FAILED").contains(state);
    }

    private static Path jobJar() {
        Path jobJar = pathProperty("delivery-metrics.job-jar");
        assertThat(jobJar).as("shaded job jar, built at package").isRegularFile();
        return jobJar;
    }

    private static Path pathProperty(String name) {
        String value = System.getProperty(name);
        assertThat(value)
                .as("system property %s (set by failsafe in flink-jobs/pom.xml)", name)
                .isNotBlank();
        return Path.of(value);
    }

    private static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }
}
