package io.deliverymetrics.flink;

import io.deliverymetrics.core.config.Settings;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.time.Granularity;
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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Topics, shard databases and a bounded run of the job for one integration test. */
final class JobHarness {

    static final int SHARDS = 2;

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
        this(kafka, db, names, extra, null);
    }

    /** As above; the last shard is reached through {@code lastShardProxy} when it is given. */
    JobHarness(
            EmbeddedKafka kafka,
            EmbeddedMariaDb db,
            UniqueNames names,
            Map<String, String> extra,
            TcpProxy lastShardProxy) {
        this.kafka = kafka;
        this.db = db;
        inputTopic = names.topic("attempts");
        deadLetterTopic = names.topic("dead-letters");
        lateTopic = names.topic("late");
        kafka.createTopic(inputTopic, 3);
        kafka.createTopic(deadLetterTopic, 1);
        kafka.createTopic(lateTopic, 1);
        Map<String, String> s = new HashMap<>();
        s.put("pipeline-name", "test-pipeline");
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

    /** late_dropped per "ws/src/dst@minuteEpochMs" over all shards (non-zero only). */
    Map<String, Long> lateDropped() throws SQLException {
        Map<String, Long> out = new HashMap<>();
        for (Shard shard : config.shards().shards()) {
            try (Connection c = connect(shard);
                    Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT workspace_id, source_id, destination_id, bucket_start,"
                                            + " late_dropped FROM delivery_metrics_minute WHERE"
                                            + " late_dropped > 0")) {
                while (rs.next()) {
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
                }
            }
        }
        return out;
    }

    /** Which shard database holds workspace {@code ws}'s rows. */
    Map<String, Integer> shardOfRows() throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        for (Shard shard : config.shards().shards()) {
            try (Connection c = connect(shard);
                    Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT DISTINCT workspace_id FROM delivery_metrics_minute")) {
                while (rs.next()) {
                    out.merge(rs.getString(1), shard.id(), (a, b) -> -1);
                }
            }
        }
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
