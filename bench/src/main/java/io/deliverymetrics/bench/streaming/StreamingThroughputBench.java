package io.deliverymetrics.bench.streaming;

import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.internal.MachineCpu;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.core.config.ConfigLoader;
import io.deliverymetrics.flink.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 1: records per second of (a) the limit — plain consumers that parse and aggregate, with
 * one and two threads, in a JVM of their own —, (b) the speed-layer job end to end into two MySQL
 * shards and (c) the straightforward Flink SQL peer, all over the same pre-loaded topic,
 * interleaved run by run.
 */
public final class StreamingThroughputBench {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingThroughputBench.class);
    private static final int SHARDS = 2;
    private static final long TARGET_RECORDS = 10_000_000;

    private final BenchConfig config;
    private final BenchInfra infra;

    public StreamingThroughputBench(BenchConfig config, BenchInfra infra) {
        this.config = config;
        this.infra = infra;
    }

    public Section run() throws Exception {
        String topic = infra.names().topic("bench-attempts");
        infra.kafka().createTopic(topic, config.partitions());
        infra.kafka().createTopic(topic + "-dead-letter", 1);
        infra.kafka().createTopic(topic + "-late", 1);
        long t0 = System.nanoTime();
        long records = StreamingLoad.preload(config, infra.kafka().bootstrapServers(), topic);
        double preloadSecs = (System.nanoTime() - t0) / 1e9;

        JobConfig defaults =
                JobConfig.from(
                        ConfigLoader.create()
                                .withDefaultsResource(JobConfig.class, "/delivery-metrics-job.yaml")
                                .load());
        PlainConsumerLimit limit = new PlainConsumerLimit(infra.kafka().bootstrapServers(), topic);
        Path checkpoints = Files.createTempDirectory("bench-checkpoints-");
        JobThroughput job =
                new JobThroughput(
                        infra,
                        topic,
                        SHARDS,
                        config.parallelism(),
                        checkpoints.resolve("job"),
                        config.streamingJob());
        // The same job with pre-aggregation off: every attempt crosses the shuffle on its own.
        Map<String, String> withoutPreAggregation = new TreeMap<>(config.streamingJob());
        withoutPreAggregation.put("pre-aggregate.max-entries", "1");
        JobThroughput jobWithoutPreAggregation =
                new JobThroughput(
                        infra,
                        topic,
                        SHARDS,
                        config.parallelism(),
                        checkpoints.resolve("job-no-pre-aggregation"),
                        withoutPreAggregation);
        SqlPeer peer =
                new SqlPeer(
                        infra,
                        topic,
                        config.parallelism(),
                        defaults.checkpointInterval(),
                        defaults.outOfOrderness().plus(defaults.allowedLateness()),
                        defaults.sinkBatchSize(),
                        defaults.sinkFlushInterval(),
                        checkpoints.resolve("sql-peer"));

        List<Double> limit1 = new ArrayList<>();
        List<Double> limit2 = new ArrayList<>();
        List<Double> jobRates = new ArrayList<>();
        List<Double> jobOffRates = new ArrayList<>();
        List<Double> peerRates = new ArrayList<>();
        List<Double> limit2Cpu = new ArrayList<>();
        List<Double> jobCpu = new ArrayList<>();
        List<Double> jobOffCpu = new ArrayList<>();
        List<Double> peerCpu = new ArrayList<>();
        List<Double> jobStartup = new ArrayList<>();
        List<Double> peerStartup = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!config.smoke() && records < TARGET_RECORDS) {
            notes.add(
                    String.format(
                            "Size: the target is 10 M records; this run used %,d, about"
                                    + " what the job gets through in 2–3 minutes on a 2-core"
                                    + " machine (10 M would make one run of all four variants"
                                    + " take about 10 minutes, three runs half an hour).",
                            records));
        }
        if (!config.streamingJob().isEmpty()) {
            notes.add(
                    "Job settings of b and b0 that differ from delivery-metrics-job.yaml: "
                            + new TreeMap<>(config.streamingJob())
                            + ".");
        }
        if (!config.smoke()) {
            // The first Flink job in this JVM ran 25-35 % slower than the later ones (JIT,
            // class loading, the database's and the broker's caches), which made run 1 of b the
            // minimum every time: one unmeasured run of the job first.
            LOG.info("streaming warm-up: one unmeasured run of the job");
            job.run(records);
        }
        long buckets = 0;
        for (int run = 1; run <= config.runs(); run++) {
            List<PlainConsumerLimit.Result> limits = limit.runForked(!config.smoke(), 1, 2);
            PlainConsumerLimit.Result one = limits.get(0);
            PlainConsumerLimit.Result two = limits.get(1);
            requireAll(records, one.records(), "plain consumer, 1 thread");
            requireAll(records, two.records(), "plain consumer, 2 threads");
            limit1.add(one.recordsPerSecond());
            limit2.add(two.recordsPerSecond());
            limit2Cpu.add(two.cpuMicrosPerRecord());
            buckets = one.buckets();

            StreamRun b = job.run(records);
            jobRates.add(b.recordsPerSecond());
            jobCpu.add(b.cpuMicrosPerRecord());
            jobStartup.add(b.startupSeconds());
            StreamRun b0 = jobWithoutPreAggregation.run(records);
            jobOffRates.add(b0.recordsPerSecond());
            jobOffCpu.add(b0.cpuMicrosPerRecord());
            StreamRun c = peer.run(records);
            peerRates.add(c.recordsPerSecond());
            peerCpu.add(c.cpuMicrosPerRecord());
            peerStartup.add(c.startupSeconds());
            LOG.info(
                    "streaming run {}/{}: limit {}/s (1 thread) {}/s (2 threads), job {}/s"
                            + " ({} rows, exact {}), job without pre-aggregation {}/s (exact"
                            + " {}), SQL peer {}/s ({} rows, exact {})",
                    run,
                    config.runs(),
                    Math.round(one.recordsPerSecond()),
                    Math.round(two.recordsPerSecond()),
                    Math.round(b.recordsPerSecond()),
                    b.rows(),
                    b.exact(),
                    Math.round(b0.recordsPerSecond()),
                    b0.exact(),
                    Math.round(c.recordsPerSecond()),
                    c.rows(),
                    c.exact());
            notes.add(
                    String.format(
                            "Run %d: job wrote %,d minute rows accounting for %,d of %,d records"
                                    + " (%s), %.1f s from submission to end (MiniCluster start"
                                    + " included); without pre-aggregation %,d rows accounting"
                                    + " for %,d (%s); SQL peer wrote %,d rows accounting for %,d"
                                    + " (%s), %.1f s from submission.",
                            run,
                            b.rows(),
                            b.counted(),
                            records,
                            b.exact() ? "exact" : "NOT exact",
                            b.wallSeconds(),
                            b0.rows(),
                            b0.counted(),
                            b0.exact() ? "exact" : "NOT exact",
                            c.rows(),
                            c.counted(),
                            c.exact() ? "exact" : "NOT exact",
                            c.wallSeconds()));
        }
        Figure a1 =
                Figure.rate(
                        "(a) limit: plain KafkaConsumer + parse + aggregate, 1 thread",
                        "records/s",
                        limit1);
        Figure a2 =
                Figure.rate(
                        "(a) limit: plain KafkaConsumer + parse + aggregate, 2 threads",
                        "records/s",
                        limit2);
        Figure b = Figure.rate("(b) the job end to end into 2 MySQL shards", "records/s", jobRates);
        Figure b0 =
                Figure.rate(
                        "(b0) the same job with pre-aggregation off (pre-aggregate.max-entries=1)",
                        "records/s",
                        jobOffRates);
        Figure c =
                Figure.rate(
                        "(c) Flink SQL peer (TUMBLE, counters only) via JDBC connector",
                        "records/s",
                        peerRates);
        Figure a2Cpu = Figure.cost("(a) 2 threads: machine CPU per record", "µs", limit2Cpu);
        Figure bCpu = Figure.cost("(b) the job: machine CPU per record", "µs", jobCpu);
        Figure b0Cpu =
                Figure.cost(
                        "(b0) without pre-aggregation: machine CPU per record", "µs", jobOffCpu);
        Figure cCpu = Figure.cost("(c) SQL peer: machine CPU per record", "µs", peerCpu);
        Figure bStartup =
                Figure.cost(
                        "(b) start-up, not in the rate: RUNNING → first record", "s", jobStartup);
        Figure cStartup =
                Figure.cost(
                        "(c) start-up, not in the rate: RUNNING → first record", "s", peerStartup);
        Figure preload =
                Figure.rate(
                        "loadgen → Kafka pre-load (not a pipeline figure)",
                        "records/s",
                        List.of(records / preloadSecs));
        String setup =
                String.format(
                        "%,d attempt records pre-loaded once with loadgen (simulated clock at %,.0f"
                                + " events/s, seed 2026, Zipf 1.1 over %,d pairs in %,d"
                                + " workspaces, ≈2%% out of order by ≤ 20 s, no late and no"
                                + " malformed records, ISO-8601 timestamps) into a %d-partition"
                                + " topic on the embedded broker; %,d (pair, minute) buckets."
                                + " Parallelism %d for both Flink jobs, checkpoints every %d s"
                                + " to a local directory (%s), no restarts,"
                                + " %d shard databases for the job. The limit (a) runs as a"
                                + " program of its own (a JVM with a 1 GiB heap%s),"
                                + " so the jobs do not inherit code the JIT compiled for it. Job"
                                + " and peer figures are"
                                + " records / (time of the last row committed − time of the"
                                + " first record), as the goal defines them: the first record"
                                + " is when any record counter of the job's tasks and operators"
                                + " (numRecordsIn, numRecordsOut) is first above zero, seen by"
                                + " a metric reporter in the MiniCluster that polls them every"
                                + " millisecond, the same for both jobs; the start-up before it"
                                + " (RUNNING → first record: deploying tasks, Kafka"
                                + " metadata) is reported on its own; one unmeasured run of the job"
                                + " comes first, so no measured run pays for the JVM's first"
                                + " Flink job. CPU per record is the whole"
                                + " machine's busy time from RUNNING to the job's end (start-up"
                                + " included) (user + system from"
                                + " /proc/stat: the JVM with broker and Flink, and the database;"
                                + " steal and idle excluded) / records: a cost that time taken"
                                + " by the hypervisor does not inflate, unlike the rates.",
                        records,
                        config.streamingRate(),
                        config.streamingPairs(),
                        Math.max(1, config.streamingPairs() / 100),
                        config.partitions(),
                        buckets,
                        config.parallelism(),
                        defaults.checkpointInterval().toSeconds(),
                        "rocksdb".equals(config.streamingJob().get("checkpoint.state-backend"))
                                ? "the job (b, b0) on the RocksDB state backend as the production"
                                        + " flink-conf runs it, the SQL peer on the heap"
                                : "heap state backend; the production flink-conf uses RocksDB:"
                                        + " `--state-backend rocksdb`",
                        SHARDS,
                        config.smoke() ? "" : ", pre-touched, one unmeasured pass first");
        List<Ratio> ratios =
                new ArrayList<>(
                        List.of(
                                new Ratio("b / a (1 thread)", b, a1),
                                new Ratio("b / a (2 threads)", b, a2),
                                new Ratio("b / c (job / SQL peer)", b, c),
                                new Ratio("b / b0 (pre-aggregation on / off)", b, b0)));
        if (MachineCpu.available()) {
            ratios.add(new Ratio("CPU per record: c / b (SQL peer / job)", cCpu, bCpu));
            ratios.add(new Ratio("CPU per record: b / a (job / 2-thread limit)", bCpu, a2Cpu));
        }
        return new Section(
                "1. Streaming throughput",
                setup,
                MachineCpu.available()
                        ? List.of(
                                a1, a2, b, b0, c, bStartup, cStartup, a2Cpu, bCpu, b0Cpu, cCpu,
                                preload)
                        : List.of(a1, a2, b, b0, c, bStartup, cStartup, preload),
                ratios,
                notes);
    }

    private static void requireAll(long expected, long actual, String what) {
        if (expected != actual) {
            throw new IllegalStateException(
                    what + " read " + actual + " records, the topic holds " + expected);
        }
    }
}
