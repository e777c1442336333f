package io.deliverymetrics.flink;

import io.deliverymetrics.core.config.Settings;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.flink.cluster.FlinkRest;
import io.deliverymetrics.flink.cluster.Poll;
import io.deliverymetrics.flink.config.JobConfig;
import io.deliverymetrics.flink.model.ParsedRecord;
import io.deliverymetrics.infra.EmbeddedKafka;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.TcpProxy;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.DestinationTypeRows;
import io.deliverymetrics.sql.Migrator;
import io.deliverymetrics.sql.RangeQuery;
import io.deliverymetrics.sql.TotalsRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Topics, shard databases and runs of the job for one integration test: a bounded run in a local
 * environment, or an unbounded one on a MiniCluster with a REST API (stopped with a savepoint,
 * resumed from one, at any parallelism).
 */
final class JobHarness {

    static final int SHARDS = 2;

    /** The input topic's partitions unless a test asks for others. */
    static final int PARTITIONS = 3;

    /** Pipeline name in the shards' {@code pipeline_progress}. */
    static final String PIPELINE = "test-pipeline";

    final EmbeddedKafka kafka;
    final EmbeddedMariaDb db;
    final String inputTopic;
    final String deadLetterTopic;
    final String lateTopic;
    final List<String> shardDatabases = new ArrayList<>();
    final String globalDatabase;
    final JobConfig config;

    JobHarness(
            EmbeddedKafka kafka, EmbeddedMariaDb db, UniqueNames names, Map<String, String> extra) {
        this(kafka, db, names, extra, null, PARTITIONS);
    }

    /** As above; the last shard is reached through {@code lastShardProxy} when it is given. */
    JobHarness(
            EmbeddedKafka kafka,
            EmbeddedMariaDb db,
            UniqueNames names,
            Map<String, String> extra,
            TcpProxy lastShardProxy) {
        this(kafka, db, names, extra, lastShardProxy, PARTITIONS);
    }

    /** As above, with an input topic of {@code partitions} partitions. */
    JobHarness(
            EmbeddedKafka kafka,
            EmbeddedMariaDb db,
            UniqueNames names,
            Map<String, String> extra,
            TcpProxy lastShardProxy,
            int partitions) {
        this.kafka = kafka;
        this.db = db;
        inputTopic = names.topic("attempts");
        deadLetterTopic = names.topic("dead-letters");
        lateTopic = names.topic("late");
        kafka.createTopic(inputTopic, partitions);
        kafka.createTopic(deadLetterTopic, 1);
        kafka.createTopic(lateTopic, 1);
        Map<String, String> s = new HashMap<>();
        s.put("pipeline-name", PIPELINE);
        s.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        s.put("kafka.topic", inputTopic);
        s.put("kafka.group-id", names.topic("group"));
        s.put("kafka.starting-offsets", "earliest");
        s.put("kafka.stop-at-latest", "true");
        s.put("kafka.dead-letter-topic", deadLetterTopic);
        s.put("kafka.late-topic", lateTopic);
        s.put("parser.max-record-bytes", "16384");
        s.put("watermark.out-of-orderness", "30s");
        s.put("watermark.idleness", "5s");
        s.put("watermark.emit", "per-record");
        s.put("window.allowed-lateness", "30s");
        s.put("window.early-firing-interval", "1s");
        s.put("window.late-count-retention", "7d");
        s.put("pre-aggregate.flush-interval", "200ms");
        s.put("pre-aggregate.max-entries", "20000");
        s.put("checkpoint.interval", "500ms");
        s.put("sink.batch-size", "500");
        s.put("sink.flush-interval", "200ms");
        s.put("sink.max-retries", "3");
        s.put("sink.retry-backoff", "200ms");
        s.put("restart.attempts", "5");
        s.put("restart.delay", "500ms");
        for (int i = 0; i < SHARDS; i++) {
            String name = names.database("shard" + i);
            db.createDatabase(name);
            shardDatabases.add(name);
            String url = db.jdbcUrl(name);
            if (lastShardProxy != null && i == SHARDS - 1) {
                url = url.replace(":" + db.port() + "/", ":" + lastShardProxy.port() + "/");
            }
            s.put("shards." + i + ".jdbc-url", url);
            s.put("shards." + i + ".user", db.user());
            s.put("shards." + i + ".password", db.password());
        }
        globalDatabase = names.database("global");
        db.createDatabase(globalDatabase);
        s.put("global.jdbc-url", db.jdbcUrl(globalDatabase));
        s.put("global.user", db.user());
        s.put("global.password", db.password());
        s.putAll(extra);
        config = JobConfig.from(Settings.of(s));
        Migrator.migrateShards(config.shards());
    }

    /** Runs the job over everything in the input topic at this moment, then returns. */
    void runBounded(DeliveryMetricsJob.Sinks sinks, int parallelism) throws Exception {
        Configuration conf = DeliveryMetricsJob.flinkConfiguration(config);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        KafkaSource<ParsedRecord> source = DeliveryMetricsJob.kafkaSource(config);
        DeliveryMetricsJob.build(env, config, source, sinks);
        env.execute("test-" + inputTopic);
    }

    /**
     * Starts the job on a MiniCluster of its own (one TaskManager with {@code parallelism} slots,
     * RocksDB state as in {@code flink-conf/}, a REST API on a free port) with the production Kafka
     * source and sinks, and returns once it is submitted. The run is unbounded unless the
     * configuration says {@code kafka.stop-at-latest: true}.
     *
     * @param flinkConfiguration the Flink settings of the job; normally {@link
     *     DeliveryMetricsJob#flinkConfiguration}
     * @param savepoint the savepoint or retained checkpoint to resume from, or null
     */
    RunningJob start(Configuration flinkConfiguration, int parallelism, String savepoint)
            throws Exception {
        Configuration conf = new Configuration(flinkConfiguration);
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(RestOptions.BIND_PORT, "0");
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(parallelism)
                                .withRandomPorts()
                                .build());
        try {
            cluster.start();
            StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
            env.setParallelism(parallelism);
            DeliveryMetricsJob.build(
                    env,
                    config,
                    DeliveryMetricsJob.kafkaSource(config),
                    DeliveryMetricsJob.productionSinks(config));
            StreamGraph streamGraph = env.getStreamGraph();
            streamGraph.setJobName("test-" + inputTopic);
            JobGraph graph = streamGraph.getJobGraph();
            if (savepoint != null) {
                graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint));
            }
            JobID id = cluster.submitJob(graph).get(1, TimeUnit.MINUTES).getJobID();
            return new RunningJob(
                    cluster, id, new FlinkRest(cluster.getRestAddress().get(1, TimeUnit.MINUTES)));
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The job started by {@link #start}, and its MiniCluster (closed with it). */
    static final class RunningJob implements AutoCloseable {

        private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

        private final MiniCluster cluster;
        private final JobID id;
        private final FlinkRest rest;

        private RunningJob(MiniCluster cluster, JobID id, FlinkRest rest) {
            this.cluster = cluster;
            this.id = id;
            this.rest = rest;
        }

        String id() {
            return id.toHexString();
        }

        /** The MiniCluster's REST API, as the web UI and the CLI see it. */
        FlinkRest rest() {
            return rest;
        }

        /** Waits until the job and all its tasks run; fails with the job's failures if not. */
        void awaitAllTasksRunning(Duration timeout) throws Exception {
            boolean running = Poll.until(timeout, () -> rest.allTasksRunning(id()), r -> r);
            if (!running) {
                throw new AssertionError(
                        "job "
                                + id()
                                + " not running within "
                                + timeout
                                + ": "
                                + rest.jobState(id())
                                + " "
                                + rest.failures(id()));
            }
        }

        /**
         * Stops the job with a savepoint in {@code dir} (what {@code flink stop --savepointPath}
         * does: not drained, so open windows stay open in the savepoint) and returns its path once
         * the job has finished.
         */
        String stopWithSavepoint(Path dir) throws Exception {
            String path =
                    cluster.stopWithSavepoint(
                                    id,
                                    dir.toUri().toString(),
                                    false,
                                    SavepointFormatType.CANONICAL)
                            .get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            JobStatus status =
                    Poll.until(
                            STOP_TIMEOUT,
                            () -> cluster.getJobStatus(id).get(),
                            JobStatus::isGloballyTerminalState);
            if (status != JobStatus.FINISHED) {
                throw new AssertionError("job " + id() + " after stop-with-savepoint: " + status);
            }
            return path;
        }

        /** Cancels the job if it still runs and shuts the MiniCluster down. */
        @Override
        public void close() throws Exception {
            try {
                if (!cluster.getJobStatus(id).get().isGloballyTerminalState()) {
                    cluster.cancelJob(id).get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    Poll.until(
                            STOP_TIMEOUT,
                            () -> cluster.getJobStatus(id).get(),
                            JobStatus::isGloballyTerminalState);
                }
            } finally {
                cluster.close();
            }
        }
    }

    /** Every minute row of every shard. */
    List<PairBucket> minuteRows() throws SQLException {
        List<PairBucket> rows = new ArrayList<>();
        for (Shard shard : config.shards().shards()) {
            try (Connection c = connect(shard)) {
                rows.addAll(
                        RangeQuery.of(
                                        Granularity.MINUTE,
                                        Instant.parse("2000-01-01T00:00:00Z"),
                                        Instant.parse("2099-01-01T00:00:00Z"))
                                .list(c));
            }
        }
        return rows;
    }

    /** Every destination-type minute row of the global database. */
    List<TypeBucket> typeRows() throws SQLException {
        try (Connection c =
                DriverManager.getConnection(
                        config.global().jdbcUrl(),
                        config.global().user(),
                        config.global().password())) {
            return DestinationTypeRows.list(
                    c,
                    Granularity.MINUTE,
                    Instant.parse("2000-01-01T00:00:00Z"),
                    Instant.parse("2099-01-01T00:00:00Z"));
        }
    }

    /** The stored estimates (workspaces, pairs, affected ones) per "type@minute". */
    Map<String, List<Long>> typeEstimates() throws SQLException {
        Map<String, List<Long>> out = new HashMap<>();
        try (Connection c =
                        DriverManager.getConnection(
                                config.global().jdbcUrl(),
                                config.global().user(),
                                config.global().password());
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT destination_type, bucket_start, workspaces, pairs,"
                                        + " affected_workspaces, affected_pairs FROM"
                                        + " destination_type_metrics_minute")) {
            while (rs.next()) {
                Instant minute =
                        rs.getObject(2, java.time.LocalDateTime.class)
                                .toInstant(java.time.ZoneOffset.UTC);
                out.put(
                        rs.getString(1) + "@" + minute,
                        List.of(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
            }
        }
        return out;
    }

    /** Every pair's running totals, over all shards. */
    List<TotalsRows.PairTotals> totals() throws SQLException {
        List<TotalsRows.PairTotals> rows = new ArrayList<>();
        for (Shard shard : config.shards().shards()) {
            try (Connection c = connect(shard)) {
                rows.addAll(TotalsRows.read(c, java.util.Optional.empty(), Integer.MAX_VALUE));
            }
        }
        return rows;
    }

    /**
     * Every destination's stored type per "ws/dst" over all shards, each read from its workspace's
     * shard.
     */
    Map<String, String> destinationTypes() throws SQLException {
        ShardRouter router = new ShardRouter(config.shards());
        Map<String, String> out = new HashMap<>();
        forEachRow(
                "SELECT workspace_id, destination_id, destination_type FROM destination_types",
                (shard, rs) -> {
                    String ws = rs.getString(1);
                    if (router.shardOf(ws) != shard.id()) {
                        throw new AssertionError(ws + " has a destination type on shard " + shard);
                    }
                    out.put(ws + "/" + rs.getString(2), rs.getString(3));
                });
        return out;
    }

    /** late_dropped per "ws/src/dst@minuteEpochMs" over all shards (non-zero only). */
    Map<String, Long> lateDropped() throws SQLException {
        Map<String, Long> out = new HashMap<>();
        forEachRow(
                "SELECT workspace_id, source_id, destination_id, bucket_start, late_dropped FROM"
                        + " delivery_metrics_minute WHERE late_dropped > 0",
                (shard, rs) -> {
                    Instant minute =
                            rs.getObject(4, java.time.LocalDateTime.class)
                                    .toInstant(java.time.ZoneOffset.UTC);
                    out.put(
                            rs.getString(1)
                                    + "/"
                                    + rs.getString(2)
                                    + "/"
                                    + rs.getString(3)
                                    + "@"
                                    + minute.toEpochMilli(),
                            rs.getLong(5));
                });
        return out;
    }

    /** What is done with one row of a query run on every shard. */
    @FunctionalInterface
    private interface ShardRow {
        void accept(Shard shard, ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql} on every shard and hands each row to {@code row}. */
    private void forEachRow(String sql, ShardRow row) throws SQLException {
        for (Shard shard : config.shards().shards()) {
            try (Connection c = connect(shard);
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    row.accept(shard, rs);
                }
            }
        }
    }

    /** Which shard database holds workspace {@code ws}'s rows. */
    Map<String, Integer> shardOfRows() throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        forEachRow(
                "SELECT DISTINCT workspace_id FROM delivery_metrics_minute",
                (shard, rs) -> out.merge(rs.getString(1), shard.id(), (a, b) -> -1));
        return out;
    }

    Connection connect(Shard shard) throws SQLException {
        return DriverManager.getConnection(shard.jdbcUrl(), shard.user(), shard.password());
    }

    /** Reads every record of {@code topic} (which is complete by now), waiting at most 60 s. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts =
                    consumer.partitionsFor(topic).stream()
                            .map(pi -> new TopicPartition(topic, pi.partition()))
                            .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out reading " + topic);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
