package io.deliverymetrics.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedKafka;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.loadgen.LoadRunner;
import io.deliverymetrics.loadgen.RunStats;
import io.deliverymetrics.loadgen.config.KafkaSinkConfig;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.sink.KafkaLoadSink;
import io.deliverymetrics.loadgen.truth.BucketKey;
import io.deliverymetrics.loadgen.truth.BucketTotals;
import io.deliverymetrics.loadgen.truth.Truth;
import io.deliverymetrics.sql.PipelineProgress;
import io.deliverymetrics.sql.RangeQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
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
 * started from Maven artifacts with the project's {@code flink-conf/}), submitted, stopped with a
 * savepoint and resumed through the {@code flink} CLI, against the real broker and two real shard
 * databases; every complete minute row must equal the load generator's ground truth.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterITCase {

    private static final String PIPELINE = "delivery-metrics-cluster-it";
    private static final int SHARDS = 2;

    /** Simulated receipt time of batch A's first event. */
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    /** Per batch: 12,000 events at 40 per simulated second = 5 simulated minutes. */
    private static final long EVENTS_PER_BATCH = 12_000;

    private static final double EVENTS_PER_SECOND = 40;

    /** The job's watermark.out-of-orderness and window.allowed-lateness. */
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);

    private static final Duration ALLOWED_LATENESS = Duration.ofSeconds(30);

    private static final Duration CLUSTER_READY = Duration.ofSeconds(90);
    private static final Duration CLI_COMMAND = Duration.ofSeconds(120);
    private static final Duration ROWS_COMPLETE = Duration.ofSeconds(90);

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
        Path jobJar = pathProperty("delivery-metrics.job-jar");
        assertThat(jobJar).as("shaded job jar, built at package").isRegularFile();
        String topic = names.topic("attempts");
        kafka.createTopic(topic, 3);
        List<String> shards = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
            shards.add(names.database("shard" + i));
            db.createDatabase(shards.get(i));
        }
        Path jobConfig = writeJobConfig(tmp.resolve("job.yaml"), kafka, db, names, topic, shards);

        // Batch A, all of it in the topic before the job starts.
        Truth truth = new Truth();
        RunStats batchA = produce(kafka, topic, truth, START);
        SortedMap<BucketKey, BucketTotals> truthA = truth.minutes();

        cluster.awaitTaskManagers(1, CLUSTER_READY);
        long ready = System.nanoTime();
        System.err.printf(
                "cluster: JobManager + TaskManager ready in %.1f s%n",
                seconds(clusterStartNanos, ready));

        StandaloneCluster.CliResult run =
                cluster.cli(
                        CLI_COMMAND,
                        "run",
                        "-d",
                        jobJar.toString(),
                        "--config",
                        jobConfig.toString());
        assertThat(run.exitCode()).as("flink run\n%s", run.tail()).isZero();
        String jobId = theRunningJob(List.of());
        long submitted = System.nanoTime();
        System.err.printf(
                "cluster: flink run -d returned in %.1f s (job %s)%n",
                seconds(ready, submitted), jobId);

        Instant completeA = awaitRowsEqualTruth(db, shards, truthA, lowerBound(START));
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
        Instant startB = batchA.clock().truncatedTo(ChronoUnit.MINUTES);
        RunStats batchB = produce(kafka, topic, truth, startB);
        SortedMap<BucketKey, BucketTotals> truthAB = truth.minutes();

        StandaloneCluster.CliResult resume =
                cluster.cli(
                        CLI_COMMAND,
                        "run",
                        "-d",
                        "-s",
                        savepoint.group(1),
                        jobJar.toString(),
                        "--config",
                        jobConfig.toString());
        assertThat(resume.exitCode()).as("flink run -s\n%s", resume.tail()).isZero();
        String resumedId = theRunningJob(List.of(jobId));
        long resumed = System.nanoTime();
        System.err.printf(
                "cluster: flink run -d -s returned in %.1f s%n", seconds(stopped, resumed));

        Instant completeAB = awaitRowsEqualTruth(db, shards, truthAB, lowerBound(startB));
        long processedB = System.nanoTime();
        System.err.printf(
                "cluster: batch B (%,d records) complete through %s after %.1f s; whole run"
                        + " %.1f s%n",
                batchB.acked(),
                completeAB,
                seconds(resumed, processedB),
                seconds(clusterStartNanos, processedB));

        List<BucketKey> straddling =
                truthA.keySet().stream()
                        .filter(k -> !truthA.get(k).equals(truthAB.get(k)))
                        .toList();
        assertThat(straddling)
                .as("minutes holding records of both batches (they prove the restored state)")
                .isNotEmpty()
                .allMatch(k -> k.bucketStart().isBefore(completeAB));
        assertThat(completeAB).as("every minute of batch A compared").isAfter(batchA.clock());

        cluster.cancel(resumedId);
    }

    // ---- input

    private static RunStats produce(EmbeddedKafka kafka, String topic, Truth truth, Instant start) {
        // No late records: whether the job accepts or drops one depends on how far the
        // watermark has come, which this test does not pin down. Same seed for both batches, so
        // they share the pair catalogue.
        LoadSpec spec =
                LoadSpec.builder()
                        .withSeed(23L)
                        .withStart(start)
                        .withRate(EVENTS_PER_SECOND)
                        .withTotalEvents(EVENTS_PER_BATCH)
                        .withWorkspaces(12)
                        .withPairs(150)
                        .withLateShare(0)
                        .withMalformedShare(0.005)
                        .withOutOfOrderShare(0.02)
                        .withOutOfOrder(Duration.ofSeconds(20))
                        .build();
        try (KafkaLoadSink sink =
                KafkaLoadSink.create(KafkaSinkConfig.of(kafka.bootstrapServers(), topic), truth)) {
            RunStats stats = new LoadRunner(spec, sink).run();
            assertThat(stats.complete()).as("load run complete").isTrue();
            return stats;
        }
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

    // ---- the job's output

    /**
     * The least "complete through" a batch received from {@code start} must reach: its last receipt
     * minus out-of-orderness and allowed lateness, floored to the minute, minus one minute for
     * partitions whose last record came a little earlier.
     */
    private static Instant lowerBound(Instant start) {
        Instant lastReceipt =
                start.plusMillis((long) (EVENTS_PER_BATCH * 1000 / EVENTS_PER_SECOND));
        return lastReceipt
                .minus(OUT_OF_ORDERNESS)
                .minus(ALLOWED_LATENESS)
                .truncatedTo(ChronoUnit.MINUTES)
                .minus(Duration.ofMinutes(1));
    }

    /** What the shards hold: minutes before {@code completeThrough} are final. */
    private record ShardState(
            Optional<Instant> completeThrough, SortedMap<String, MinuteTotals> rows) {}

    /**
     * Waits until the shards report minutes up to at least {@code atLeast} complete and every
     * complete minute's rows equal the truth; returns the instant they are complete through.
     */
    private Instant awaitRowsEqualTruth(
            EmbeddedMariaDb db,
            List<String> shards,
            SortedMap<BucketKey, BucketTotals> truth,
            Instant atLeast)
            throws Exception {
        ShardState state =
                Poll.until(
                        ROWS_COMPLETE,
                        () -> readShards(db, shards),
                        s ->
                                s.completeThrough().isPresent()
                                        && !s.completeThrough().get().isBefore(atLeast)
                                        && s.rows()
                                                .equals(
                                                        expected(
                                                                truth, s.completeThrough().get())));
        assertThat(state.completeThrough())
                .as("minutes complete (pipeline_progress)\n%s", cluster.logs())
                .isPresent()
                .get()
                .matches(ct -> !ct.isBefore(atLeast), "at least " + atLeast);
        Instant completeThrough = state.completeThrough().get();
        SortedMap<String, MinuteTotals> expected = expected(truth, completeThrough);
        assertThat(expected).as("minutes compared").hasSizeGreaterThan(100);
        assertThat(state.rows())
                .as("minute rows before %s vs ground truth", completeThrough)
                .containsExactlyEntriesOf(expected);
        assertLatencyPercentiles(db, shards, truth, completeThrough);
        return completeThrough;
    }

    private static SortedMap<String, MinuteTotals> expected(
            SortedMap<BucketKey, BucketTotals> truth, Instant before) {
        SortedMap<String, MinuteTotals> out = new TreeMap<>();
        truth.forEach(
                (k, t) -> {
                    if (k.bucketStart().isBefore(before)) {
                        out.put(key(k), MinuteTotals.of(t));
                    }
                });
        return out;
    }

    private static ShardState readShards(EmbeddedMariaDb db, List<String> shards) throws Exception {
        Optional<Instant> completeThrough = Optional.empty();
        for (String shard : shards) {
            try (Connection c = db.connect(shard)) {
                Optional<Instant> ct = PipelineProgress.finalThrough(c, PIPELINE);
                if (ct.isEmpty()) {
                    return new ShardState(Optional.empty(), new TreeMap<>());
                }
                if (completeThrough.isEmpty() || ct.get().isBefore(completeThrough.get())) {
                    completeThrough = ct;
                }
            }
        }
        SortedMap<String, MinuteTotals> rows = new TreeMap<>();
        for (PairBucket row : minuteRows(db, shards, completeThrough.get())) {
            rows.put(key(row), MinuteTotals.of(row.bucket()));
        }
        return new ShardState(completeThrough, rows);
    }

    private static List<PairBucket> minuteRows(
            EmbeddedMariaDb db, List<String> shards, Instant before) throws Exception {
        List<PairBucket> rows = new ArrayList<>();
        for (String shard : shards) {
            try (Connection c = db.connect(shard)) {
                rows.addAll(
                        RangeQuery.of(Granularity.MINUTE, START.minus(Duration.ofDays(1)), before)
                                .list(c));
            }
        }
        return rows;
    }

    /** The sketches went through RocksDB and a savepoint: percentiles within 1 % of exact. */
    private static void assertLatencyPercentiles(
            EmbeddedMariaDb db,
            List<String> shards,
            SortedMap<BucketKey, BucketTotals> truth,
            Instant before)
            throws Exception {
        Map<String, BucketTotals> exact = new TreeMap<>();
        truth.forEach((k, t) -> exact.put(key(k), t));
        int checked = 0;
        for (PairBucket row : minuteRows(db, shards, before)) {
            BucketTotals t = exact.get(key(row));
            MetricBucket b = row.bucket();
            if (t == null || t.latencyCount() == 0) {
                continue;
            }
            assertWithinOnePercent(key(row) + " p50", b.latencyQuantileMs(0.50), t.latencyP50Ms());
            assertWithinOnePercent(key(row) + " p99", b.latencyQuantileMs(0.99), t.latencyP99Ms());
            checked++;
        }
        assertThat(checked).as("minutes with checked percentiles").isGreaterThan(100);
    }

    private static void assertWithinOnePercent(String what, double actual, long exact) {
        assertThat(Math.abs(actual - exact)).as(what).isLessThanOrEqualTo(exact * 0.01 + 1e-9);
    }

    private static String key(BucketKey k) {
        return k.workspaceId()
                + "/"
                + k.sourceId()
                + "/"
                + k.destinationId()
                + "@"
                + k.bucketStart();
    }

    private static String key(PairBucket row) {
        return row.pair().workspaceId()
                + "/"
                + row.pair().sourceId()
                + "/"
                + row.pair().destinationId()
                + "@"
                + row.bucketStart();
    }

    // ---- the cluster

    /** The id of the one running job that is not in {@code previous}. */
    private String theRunningJob(List<String> previous) throws Exception {
        List<StandaloneCluster.JobSummary> running =
                Poll.until(
                        CLI_COMMAND,
                        () ->
                                cluster.jobs().stream()
                                        .filter(j -> !previous.contains(j.id()))
                                        .filter(j -> j.state().equals("RUNNING"))
                                        .toList(),
                        jobs -> !jobs.isEmpty());
        assertThat(running).as("running jobs\n%s", cluster.logs()).hasSize(1);
        assertThat(running.get(0).name()).isEqualTo(PIPELINE);
        return running.get(0).id();
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
