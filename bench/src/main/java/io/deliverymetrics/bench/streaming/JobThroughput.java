package io.deliverymetrics.bench.streaming;

import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.internal.ShardDatabases;
import io.deliverymetrics.bench.streaming.internal.CounterTotals;
import io.deliverymetrics.bench.streaming.internal.FirstRecordReporter;
import io.deliverymetrics.bench.streaming.internal.LiveJob;
import io.deliverymetrics.bench.streaming.internal.TimedJob;
import io.deliverymetrics.flink.DeliveryMetricsJob;
import io.deliverymetrics.flink.config.JobConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The speed-layer job end to end, exactly as {@code DeliveryMetricsJob.main} wires it (production
 * Kafka source and shard JDBC sinks, production defaults of {@code delivery-metrics-job.yaml}:
 * checkpoints every 10 s, early firings, 1,000-row sink batches), bounded by {@code
 * kafka.stop-at-latest}, on a local MiniCluster, into fresh shard databases and, while the global
 * roll-up is on, a fresh global database per run. State stays in Flink's default heap backend
 * unless the job settings name another ({@code checkpoint.state-backend}, as {@code --state-backend
 * rocksdb} does); checkpoints go to a local directory (the JobManager's in-memory checkpoint
 * storage refuses state above 5 MB). No restarts: a failure fails the run. A run ends with the last
 * row committed to the shards' or the global database's minute table.
 */
public final class JobThroughput {

    private final BenchInfra infra;
    private final String topic;
    private final int shards;
    private final int parallelism;
    private final Path checkpointDir;
    private final Map<String, String> overrides;

    public JobThroughput(
            BenchInfra infra, String topic, int shards, int parallelism, Path checkpointDir) {
        this(infra, topic, shards, parallelism, checkpointDir, Map.of());
    }

    /** As above, with job settings that replace the defaults (e.g. pre-aggregation off). */
    public JobThroughput(
            BenchInfra infra,
            String topic,
            int shards,
            int parallelism,
            Path checkpointDir,
            Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
        this.infra = infra;
        this.checkpointDir = checkpointDir;
        this.topic = topic;
        this.shards = shards;
        this.parallelism = parallelism;
    }

    /**
     * The job's configuration for one run into {@code databases} and {@code globalDatabase}:
     * bounded, from the start.
     */
    public JobConfig config(ShardDatabases databases, String globalDatabase) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.group-id", infra.names().topic("bench-job"));
        s.put("kafka.stop-at-latest", "true");
        s.put("global.jdbc-url", infra.db().jdbcUrl(globalDatabase));
        s.put("global.user", infra.db().user());
        s.put("global.password", infra.db().password());
        s.putAll(overrides);
        return LiveJob.config(infra, databases, topic, checkpointDir, s);
    }

    public StreamRun run(long records) throws Exception {
        return runKeeping(records).run();
    }

    /**
     * One run, with the databases it wrote (for the row counts and sizes of its tables).
     *
     * @param run the run's figures
     * @param shards the run's shard databases
     * @param globalDatabase the run's global database (empty when the global roll-up is off)
     */
    public record Kept(StreamRun run, ShardDatabases shards, String globalDatabase) {}

    public Kept runKeeping(long records) throws Exception {
        ShardDatabases databases =
                ShardDatabases.create(infra.db(), infra.names(), "bench_job_shard", shards);
        String globalDatabase = infra.names().database("bench_job_global");
        infra.db().createDatabase(globalDatabase);
        JobConfig config = config(databases, globalDatabase);
        long submitted = System.currentTimeMillis();
        Configuration flink = DeliveryMetricsJob.flinkConfiguration(config);
        String runId = UUID.randomUUID().toString();
        FirstRecordReporter.install(flink, runId);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, flink);
        DeliveryMetricsJob.build(
                env,
                config,
                DeliveryMetricsJob.kafkaSource(config),
                DeliveryMetricsJob.productionSinks(config));
        JobClient client = env.executeAsync("bench-delivery-metrics-job");
        TimedJob.Timing timing = TimedJob.await(client);
        long firstRecordAtMs =
                FirstRecordReporter.firstRecordAtMs(runId)
                        .orElseThrow(
                                () -> new IllegalStateException("the job saw no record at all"));
        CounterTotals totals = new CounterTotals(0, 0, 0);
        for (int i = 0; i < shards; i++) {
            try (Connection c = databases.connect(i)) {
                totals = totals.plus(CounterTotals.of(c, "delivery_metrics_minute"));
            }
        }
        long lastUpdateMs = totals.lastUpdateMs();
        if (config.globalEnabled()) {
            try (Connection c =
                    DriverManager.getConnection(
                            infra.db().jdbcUrl(globalDatabase),
                            infra.db().user(),
                            infra.db().password())) {
                lastUpdateMs =
                        Math.max(
                                lastUpdateMs,
                                CounterTotals.of(c, "destination_type_metrics_minute")
                                        .lastUpdateMs());
            }
        }
        StreamRun run =
                new StreamRun(
                        records,
                        totals.counted(),
                        totals.rows(),
                        (lastUpdateMs - firstRecordAtMs) / 1e3,
                        (firstRecordAtMs - timing.runningAtMs()) / 1e3,
                        (timing.finishedAtMs() - submitted) / 1e3,
                        timing.cpuSeconds());
        return new Kept(run, databases, config.globalEnabled() ? globalDatabase : "");
    }
}
