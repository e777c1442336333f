package io.deliverymetrics.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.ApiServer;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.core.config.ConfigLoader;
import io.deliverymetrics.core.config.Settings;
import io.deliverymetrics.core.shard.ShardMap;
import io.deliverymetrics.flink.DeliveryMetricsJob;
import io.deliverymetrics.flink.FailOnceSink;
import io.deliverymetrics.flink.config.JobConfig;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedKafka;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.loadgen.LoadRunner;
import io.deliverymetrics.loadgen.config.KafkaSinkConfig;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.sink.KafkaLoadSink;
import io.deliverymetrics.loadgen.truth.BucketKey;
import io.deliverymetrics.loadgen.truth.BucketTotals;
import io.deliverymetrics.loadgen.truth.SampledAttempt;
import io.deliverymetrics.loadgen.truth.Truth;
import io.deliverymetrics.loadgen.truth.TypeMinuteKey;
import io.deliverymetrics.loadgen.truth.TypeMinuteTotals;
import io.deliverymetrics.sql.GlobalDatabase;
import io.deliverymetrics.sql.Migrator;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole lambda pipeline on real parts: load generator → Kafka → Flink job (with a failure and
 * restart in the middle) → two MySQL shards → compaction (the batch jar, as its own process) → REST
 * API. Minute, hour and day series and the summary must equal the generator's ground truth exactly,
 * and so must every pair's event breakdown and error samples, and every destination type's hour and
 * day series of the global tier (read with an operator token).
 */
@ExtendWith(EmbeddedInfraExtension.class)
class LambdaPipelineITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COUNTERS =
            List.of("successes", "retried", "discarded", "expired", "filtered");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldServeSeriesAndSummariesEqualToGroundTruthAfterTheWholePipeline(
            EmbeddedKafka kafka, EmbeddedMariaDb db, UniqueNames names, @TempDir Path tmp)
            throws Exception {
        // ---- infrastructure: one input partition so that lateness depends only on input order
        String topic = names.topic("attempts");
        kafka.createTopic(topic, 1);
        kafka.createTopic(topic + "-dead-letter", 1);
        kafka.createTopic(topic + "-late", 1);
        Map<String, String> wiring = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            wiring.put("shards." + i + ".jdbc-url", db.jdbcUrl(names.database("e2e_shard" + i)));
            wiring.put("shards." + i + ".user", db.user());
            wiring.put("shards." + i + ".password", db.password());
        }
        wiring.put("control.jdbc-url", db.jdbcUrl(names.database("e2e_control")));
        wiring.put("control.user", db.user());
        wiring.put("control.password", db.password());
        wiring.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        wiring.put("kafka.topic", topic);
        wiring.put("kafka.dead-letter-topic", topic + "-dead-letter");
        wiring.put("kafka.late-topic", topic + "-late");
        wiring.put("pipeline-name", "delivery-metrics");
        wiring.put("global.jdbc-url", db.jdbcUrl(names.database("e2e_global")));
        wiring.put("global.user", db.user());
        wiring.put("global.password", db.password());
        ShardMap shardMap = ShardMap.fromSettings(Settings.of(wiring));
        Migrator.migrateShards(shardMap);
        Migrator.migrateGlobal(GlobalDatabase.fromSettings(Settings.of(wiring), shardMap));
        Migrator.migrateControl(wiring.get("control.jdbc-url"), db.user(), db.password());

        // ---- 25 hours of event time ending about an hour ago, crossing a day boundary
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(26));
        LoadSpec spec =
                LoadSpec.builder()
                        .withSeed(2026)
                        .withStart(start)
                        .withRate(0.4)
                        .withDuration(Duration.ofHours(25))
                        .withWorkspaces(3)
                        .withPairs(12)
                        .withOutOfOrderShare(0.02)
                        .withOutOfOrder(Duration.ofSeconds(20))
                        .withLateShare(0.003)
                        .withLateBy(Duration.ofMinutes(10))
                        .withMalformedShare(0.003)
                        .build();
        Truth truth = new Truth();
        try (KafkaLoadSink sink =
                KafkaLoadSink.create(KafkaSinkConfig.of(kafka.bootstrapServers(), topic), truth)) {
            new LoadRunner(spec, sink).run();
        }
        assertThat(truth.lateRecords()).isPositive();
        assertThat(truth.malformedRecords()).isPositive();

        // ---- speed layer, failing once in the middle and restarting from a checkpoint
        runJob(wiring, tmp.resolve("failed-once"));
        assertThat(tmp.resolve("failed-once")).as("the job failed and restarted").exists();
        assertThat(distinctRecords(kafka, topic + "-dead-letter", false))
                .isEqualTo(truth.malformedRecords());
        assertThat(distinctRecords(kafka, topic + "-late", true)).isEqualTo(truth.lateRecords());

        // ---- batch layer: the compaction jar, as an operator would run it
        Path props = tmp.resolve("batch.properties");
        Properties p = new Properties();
        p.putAll(wiring);
        try (Writer w = Files.newBufferedWriter(props, StandardCharsets.UTF_8)) {
            p.store(w, null);
        }
        compact("hour", props, tmp);
        compact("day", props, tmp);
        // The API must really read compacted tiers (not only minute rows computed on the fly).
        assertThat(rows(wiring, "delivery_metrics_hour")).isGreaterThan(12 * 20);
        assertThat(rows(wiring, "delivery_metrics_day")).isPositive();
        assertThat(globalRows(wiring, "destination_type_metrics_hour")).isPositive();
        assertThat(globalRows(wiring, "destination_type_metrics_day")).isPositive();

        // ---- serving layer
        Map<String, String> apiSettings = new HashMap<>(wiring);
        apiSettings.put("server.port", "0");
        apiSettings.put("admin.port", "0");
        apiSettings.put("server.migrate-on-start", "false");
        apiSettings.put("rate-limit.enabled", "false");
        try (ApiServer api = ApiServer.create(ApiConfig.withOverrides(apiSettings)).start();
                HikariDataSource control = controlPool(wiring)) {
            TokenStore tokens = new TokenStore(control, new SecureRandom());
            Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
            Set<String> workspaces = new HashSet<>();
            truth.minutes().keySet().forEach(k -> workspaces.add(k.workspaceId()));
            assertThat(workspaces).hasSize(3);
            Instant dayStart = start.truncatedTo(ChronoUnit.DAYS);
            // The end of the day that holds the last hour: from 23:00 UTC on, the hour range
            // ends at midnight, and the day after it would lie beyond query.max-future.
            Instant dayEnd =
                    end.minusMillis(1).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
            int sampledKeys = 0;
            for (String ws : workspaces) {
                String token = tokens.create(ws, "e2e").value();
                Api client = new Api(api.port(), ws, token);

                assertSeries(client, "hour", start, end, truth.buckets(ChronoUnit.HOURS), ws, true);
                assertSeries(
                        client, "day", dayStart, dayEnd, truth.buckets(ChronoUnit.DAYS), ws, true);
                // Minute series: the first hours and the last hours of the data.
                assertSeries(
                        client,
                        "minute",
                        start,
                        start.plus(Duration.ofHours(6)),
                        truth.minutes(),
                        ws,
                        true);
                assertSeries(
                        client,
                        "minute",
                        end.minus(Duration.ofHours(4)),
                        end,
                        truth.minutes(),
                        ws,
                        true);
                // Workspace aggregate (all pairs merged), hourly.
                assertSeries(
                        client, "hour", start, end, truth.buckets(ChronoUnit.HOURS), ws, false);
                assertSummary(client, start, end, truth.minutes(), ws);
                // Each pair's event breakdown (hour and day rows) and error samples (over the
                // whole range from hour rows, over the last hours from minute rows).
                for (BucketKey pair : pairsOf(truth, ws)) {
                    assertBreakdown(client, pair, "hour", start, end, truth, ChronoUnit.HOURS);
                    assertBreakdown(client, pair, "day", dayStart, dayEnd, truth, ChronoUnit.DAYS);
                    sampledKeys += assertSamples(client, pair, start, end, truth);
                    sampledKeys +=
                            assertSamples(client, pair, end.minus(Duration.ofHours(4)), end, truth);
                }
            }
            assertThat(sampledKeys).as("error keys whose samples were compared").isGreaterThan(20);

            // ---- the global tier: every destination type's hours and days, as an operator
            Api operator = new Api(api.port(), null, tokens.createOperator("e2e").value());
            assertTypeSeries(operator, "hour", start, end, truth.typeBuckets(ChronoUnit.HOURS));
            assertTypeSeries(operator, "day", dayStart, dayEnd, truth.typeBuckets(ChronoUnit.DAYS));
        }
    }

    // ---- the pipeline parts

    private static void runJob(Map<String, String> wiring, Path marker) throws Exception {
        Map<String, String> s = new HashMap<>(wiring);
        s.put("kafka.group-id", "e2e-job");
        s.put("kafka.starting-offsets", "earliest");
        s.put("kafka.stop-at-latest", "true");
        s.put("watermark.emit", "per-record");
        s.put("watermark.out-of-orderness", "30s");
        s.put("watermark.idleness", "5s");
        s.put("window.allowed-lateness", "30s");
        s.put("window.early-firing-interval", "1s");
        s.put("checkpoint.interval", "500ms");
        s.put("sink.flush-interval", "200ms");
        s.put("restart.attempts", "5");
        s.put("restart.delay", "500ms");
        JobConfig config =
                JobConfig.from(
                        ConfigLoader.create()
                                .withDefaultsResource(JobConfig.class, "/delivery-metrics-job.yaml")
                                .withOverrides(s)
                                .load());
        Configuration flink = DeliveryMetricsJob.flinkConfiguration(config);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(2, flink);
        DeliveryMetricsJob.Sinks production = DeliveryMetricsJob.productionSinks(config);
        DeliveryMetricsJob.Sinks failingOnce =
                new DeliveryMetricsJob.Sinks(
                        shard ->
                                shard == 0
                                        ? new FailOnceSink<>(
                                                production.shardSink().apply(shard), marker, 300)
                                        : production.shardSink().apply(shard),
                        production.deadLetters(),
                        production.lateRecords(),
                        production.globalRows());
        DeliveryMetricsJob.build(env, config, DeliveryMetricsJob.kafkaSource(config), failingOnce);
        env.execute("e2e");
    }

    private static void compact(String tier, Path props, Path tmp) throws Exception {
        Path jar = Path.of(System.getProperty("batch.jar"));
        assertThat(jar).as("compaction jar (built before this module)").isRegularFile();
        Path log = tmp.resolve("compact-" + tier + ".log");
        Process proc =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m",
                                "-jar",
                                jar.toString(),
                                "compact",
                                "--tier",
                                tier,
                                "--config",
                                props.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        assertThat(proc.waitFor(5, TimeUnit.MINUTES)).as("compaction finished").isTrue();
        assertThat(proc.exitValue())
                .as("compaction exit code; log:%n%s", Files.readString(log))
                .isZero();
    }

    private static long rows(Map<String, String> wiring, String table) throws Exception {
        long n = 0;
        for (int i = 0; i < 2; i++) {
            try (var c =
                            java.sql.DriverManager.getConnection(
                                    wiring.get("shards." + i + ".jdbc-url"),
                                    wiring.get("shards." + i + ".user"),
                                    wiring.get("shards." + i + ".password"));
                    var st = c.createStatement();
                    var rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                n += rs.getLong(1);
            }
        }
        return n;
    }

    private static long globalRows(Map<String, String> wiring, String table) throws Exception {
        try (var c =
                        java.sql.DriverManager.getConnection(
                                wiring.get("global.jdbc-url"),
                                wiring.get("global.user"),
                                wiring.get("global.password"));
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static HikariDataSource controlPool(Map<String, String> wiring) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(wiring.get("control.jdbc-url"));
        ds.setUsername(wiring.get("control.user"));
        ds.setPassword(wiring.get("control.password"));
        ds.setMaximumPoolSize(2);
        return ds;
    }

    /** Distinct records of a topic (the job's Kafka sinks are at-least-once across a restart). */
    private static long distinctRecords(EmbeddedKafka kafka, String topic, boolean byAttempt)
            throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(tp) < end) {
                assertThat(System.nanoTime()).as("reading " + topic).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (byAttempt) {
                        JsonNode n = JSON.readTree(r.value());
                        seen.add(
                                n.get("workspace_id").asText()
                                        + "/"
                                        + n.get("source_id").asText()
                                        + "/"
                                        + n.get("destination_id").asText()
                                        + "/"
                                        + n.get("event_id").asText()
                                        + "#"
                                        + n.get("attempt").asInt());
                    } else {
                        // Dead letters keep the original bytes; the source offset identifies them.
                        seen.add(
                                new String(
                                        r.headers().lastHeader("dm-source-offset").value(),
                                        StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return seen.size();
    }

    // ---- API checks

    private record Api(int port, String workspace, String token) {
        JsonNode get(String pathAndQuery) throws Exception {
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + port + pathAndQuery))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("%s -> %s", pathAndQuery, r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        }
    }

    private static void assertSeries(
            Api api,
            String granularity,
            Instant from,
            Instant to,
            SortedMap<BucketKey, BucketTotals> truth,
            String ws,
            boolean perPair)
            throws Exception {
        String q =
                "/v1/workspaces/"
                        + ws
                        + "/delivery-metrics?"
                        + range(granularity, from, to)
                        + "&metrics=successes,retried,discarded,expired,filtered,successes_by_attempt,latency_p50,latency_p99"
                        + (perPair ? "&group_by=pair&limit=1000" : "");
        JsonNode body = api.get(q);
        assertThat(body.path("query").path("granularity").asText()).isEqualTo(granularity);
        assertThat(body.path("next_cursor").isNull()).isTrue();

        Map<String, List<Long>> expected = new TreeMap<>();
        Map<String, long[]> latencies = new HashMap<>();
        for (Map.Entry<BucketKey, BucketTotals> e : truth.entrySet()) {
            BucketKey k = e.getKey();
            if (!k.workspaceId().equals(ws)
                    || k.bucketStart().isBefore(from)
                    || !k.bucketStart().isBefore(to)) {
                continue;
            }
            String key =
                    (perPair ? k.sourceId() + "/" + k.destinationId() : "*")
                            + "@"
                            + k.bucketStart();
            expected.merge(key, vector(e.getValue()), LambdaPipelineITCase::sum);
            BucketTotals t = e.getValue();
            if (perPair && t.latencyCount() > 0) {
                latencies.put(key, new long[] {t.latencyP50Ms(), t.latencyP99Ms()});
            }
        }
        Map<String, List<Long>> actual = new TreeMap<>();
        int points = 0;
        for (JsonNode series : body.path("series")) {
            String pair =
                    perPair
                            ? series.path("source_id").asText()
                                    + "/"
                                    + series.path("destination_id").asText()
                            : "*";
            for (JsonNode point : series.path("points")) {
                points++;
                String key = pair + "@" + point.path("start").asText();
                List<Long> v = vector(point);
                if (v.stream().anyMatch(x -> x != 0)) {
                    actual.put(key, v);
                }
                long[] exact = latencies.get(key);
                if (exact != null) {
                    assertWithinOnePercent(point.path("latency_p50").asDouble(), exact[0], key);
                    assertWithinOnePercent(point.path("latency_p99").asDouble(), exact[1], key);
                } else if (perPair) {
                    assertThat(point.path("latency_p50").isNull()).as(key).isTrue();
                }
            }
        }
        assertThat(points).isPositive();
        assertThat(expected).isNotEmpty();
        assertThat(actual)
                .as("%s series of %s (%s)", granularity, ws, perPair ? "per pair" : "workspace")
                .containsExactlyInAnyOrderEntriesOf(expected);
    }

    private static void assertSummary(
            Api api,
            Instant from,
            Instant to,
            SortedMap<BucketKey, BucketTotals> minutes,
            String ws)
            throws Exception {
        JsonNode body =
                api.get(
                        "/v1/workspaces/"
                                + ws
                                + "/delivery-metrics/summary?start="
                                + enc(from)
                                + "&end="
                                + enc(to)
                                + "&limit=1000");
        Map<String, List<Long>> expected = new TreeMap<>();
        minutes.forEach(
                (k, t) -> {
                    if (k.workspaceId().equals(ws)
                            && !k.bucketStart().isBefore(from)
                            && k.bucketStart().isBefore(to)) {
                        expected.merge(
                                k.sourceId() + "/" + k.destinationId(),
                                vector(t),
                                LambdaPipelineITCase::sum);
                    }
                });
        Map<String, List<Long>> actual = new TreeMap<>();
        for (JsonNode pair : body.path("pairs")) {
            List<Long> v = vector(pair);
            actual.put(
                    pair.path("source_id").asText() + "/" + pair.path("destination_id").asText(),
                    v);
        }
        assertThat(actual).as("summary of %s", ws).containsExactlyInAnyOrderEntriesOf(expected);
    }

    /**
     * Every destination type's series over [from, to) at {@code granularity}, read with an operator
     * token from the global tier and its real-time union: the counters and the distinct (affected)
     * workspaces and pairs of every bucket equal the truth's, which counts them from the records.
     */
    private static void assertTypeSeries(
            Api api,
            String granularity,
            Instant from,
            Instant to,
            SortedMap<TypeMinuteKey, TypeMinuteTotals> truth)
            throws Exception {
        Map<String, List<Long>> expected = new TreeMap<>();
        Set<String> types = new TreeSet<>();
        truth.forEach(
                (k, t) -> {
                    if (!k.minute().isBefore(from) && k.minute().isBefore(to)) {
                        types.add(k.destinationType());
                        List<Long> v = vector(t.totals());
                        v.addAll(
                                List.of(
                                        t.workspaces(),
                                        t.affectedWorkspaces(),
                                        t.pairs(),
                                        t.affectedPairs()));
                        expected.put(k.destinationType() + "@" + k.minute(), v);
                    }
                });
        assertThat(types).as("destination types in the data").hasSizeGreaterThan(1);
        Map<String, List<Long>> actual = new TreeMap<>();
        for (String type : types) {
            JsonNode body =
                    api.get(
                            "/v1/destinations/"
                                    + type
                                    + "/delivery-metrics?"
                                    + range(granularity, from, to)
                                    + "&metrics=successes,retried,discarded,expired,filtered,"
                                    + "successes_by_attempt");
            assertThat(body.path("query").path("granularity").asText()).isEqualTo(granularity);
            for (JsonNode point : body.path("points")) {
                List<Long> v = vector(point);
                for (String c :
                        List.of("workspaces", "affected_workspaces", "pairs", "affected_pairs")) {
                    v.add(point.path(c).asLong());
                }
                if (v.stream().anyMatch(x -> x != 0)) {
                    actual.put(type + "@" + point.path("start").asText(), v);
                }
            }
        }
        assertThat(actual)
                .as("%s series of every destination type", granularity)
                .containsExactlyInAnyOrderEntriesOf(expected);
    }

    /** The pairs of {@code ws} in the data (bucket start unused). */
    private static Set<BucketKey> pairsOf(Truth truth, String ws) {
        Set<BucketKey> out = new TreeSet<>();
        truth.minutes().keySet().stream()
                .filter(k -> k.workspaceId().equals(ws))
                .forEach(
                        k ->
                                out.add(
                                        new BucketKey(
                                                ws,
                                                k.sourceId(),
                                                k.destinationId(),
                                                Instant.EPOCH)));
        return out;
    }

    private static String pairPath(BucketKey pair) {
        return "/v1/workspaces/"
                + pair.workspaceId()
                + "/sources/"
                + pair.sourceId()
                + "/destinations/"
                + pair.destinationId();
    }

    private static boolean inPair(BucketKey k, BucketKey pair, Instant from, Instant to) {
        return k.workspaceId().equals(pair.workspaceId())
                && k.sourceId().equals(pair.sourceId())
                && k.destinationId().equals(pair.destinationId())
                && !k.bucketStart().isBefore(from)
                && k.bucketStart().isBefore(to);
    }

    /**
     * The pair's {@code group_by=event_name} series: per (event type, event name, bucket) the
     * outcome counters equal the truth's counts of the records.
     */
    private static void assertBreakdown(
            Api api,
            BucketKey pair,
            String granularity,
            Instant from,
            Instant to,
            Truth truth,
            ChronoUnit unit)
            throws Exception {
        Map<String, List<Long>> expected = new TreeMap<>();
        truth.eventMinutes()
                .forEach(
                        (k, c) -> {
                            BucketKey minute =
                                    new BucketKey(
                                            k.workspaceId(),
                                            k.sourceId(),
                                            k.destinationId(),
                                            k.minute());
                            if (inPair(minute, pair, from, to)) {
                                expected.merge(
                                        k.eventType()
                                                + "/"
                                                + k.eventName()
                                                + "@"
                                                + k.minute().truncatedTo(unit),
                                        List.of(
                                                c.successes(),
                                                c.retried(),
                                                c.discarded(),
                                                c.expired(),
                                                c.filtered()),
                                        LambdaPipelineITCase::sum);
                            }
                        });
        JsonNode body =
                api.get(
                        pairPath(pair)
                                + "/delivery-metrics?group_by=event_name&limit=1000&"
                                + range(granularity, from, to)
                                + "&metrics=successes,retried,discarded,expired,filtered");
        assertThat(body.path("next_cursor").isNull()).isTrue();
        Map<String, List<Long>> actual = new TreeMap<>();
        for (JsonNode series : body.path("series")) {
            assertThat(series.has("other")).as("no event folded into other").isFalse();
            String name = series.path("event_name").isMissingNode() ? "null" : null;
            String key =
                    series.path("event_type").asText()
                            + "/"
                            + (name != null ? name : series.path("event_name").asText());
            for (JsonNode point : series.path("points")) {
                // The breakdown has no successes_by_attempt: the five counters only.
                List<Long> v = vector(point);
                if (v.stream().anyMatch(x -> x != 0)) {
                    actual.put(key + "@" + point.path("start").asText(), v);
                }
            }
        }
        assertThat(expected).isNotEmpty();
        assertThat(actual)
                .as("%s event breakdown of %s", granularity, pair)
                .containsExactlyInAnyOrderEntriesOf(expected);
    }

    /**
     * The pair's error samples over [from, to): per (outcome, error code) the failure count and the
     * samples equal the truth's bottom-{@value Truth#SAMPLES} by sample hash over all the range's
     * failed records (event id and attempt, smallest hash first). Returns the number of keys.
     */
    private static int assertSamples(Api api, BucketKey pair, Instant from, Instant to, Truth truth)
            throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        truth.minutes()
                .forEach(
                        (k, t) -> {
                            if (inPair(k, pair, from, to)) {
                                t.errors().forEach((e, n) -> counts.merge(e, n, Long::sum));
                            }
                        });
        Map<String, TreeSet<SampledAttempt>> all = new TreeMap<>();
        truth.errorSamples()
                .forEach(
                        (k, samples) -> {
                            if (inPair(k.bucket(), pair, from, to)) {
                                all.computeIfAbsent(
                                                k.outcome() + ":" + k.errorCode(),
                                                x -> new TreeSet<>())
                                        .addAll(samples);
                            }
                        });
        Map<String, String> expected = new TreeMap<>();
        all.forEach(
                (key, samples) ->
                        expected.put(
                                key,
                                counts.get(key)
                                        + " "
                                        + samples.stream()
                                                .limit(Truth.SAMPLES)
                                                .map(a -> a.eventId() + "#" + a.attempt())
                                                .toList()));
        JsonNode body =
                api.get(pairPath(pair) + "/errors/samples?start=" + enc(from) + "&end=" + enc(to));
        Map<String, String> actual = new TreeMap<>();
        for (JsonNode key : body.path("errors")) {
            List<String> samples = new ArrayList<>();
            key.path("samples")
                    .forEach(
                            x ->
                                    samples.add(
                                            x.path("event_id").asText()
                                                    + "#"
                                                    + x.path("attempt").asInt()));
            actual.put(
                    key.path("outcome").asText() + ":" + key.path("error_code").asText(),
                    key.path("count").asLong() + " " + samples);
        }
        assertThat(actual)
                .as("error samples of %s over %s..%s", pair, from, to)
                .containsExactlyInAnyOrderEntriesOf(expected);
        return expected.size();
    }

    /** The counters and successes by attempt of a point or a summary item. */
    private static List<Long> vector(JsonNode values) {
        List<Long> v = new ArrayList<>();
        for (String c : COUNTERS) {
            v.add(values.path(c).asLong());
        }
        values.path("successes_by_attempt").forEach(n -> v.add(n.asLong()));
        return v;
    }

    private static List<Long> vector(BucketTotals t) {
        List<Long> v =
                new ArrayList<>(
                        List.of(
                                t.successes(),
                                t.retried(),
                                t.discarded(),
                                t.expired(),
                                t.filtered()));
        v.addAll(t.successesByAttempt());
        return v;
    }

    private static List<Long> sum(List<Long> a, List<Long> b) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i) + b.get(i));
        }
        return out;
    }

    private static void assertWithinOnePercent(double actual, long exact, String what) {
        assertThat(actual)
                .as(what)
                .isCloseTo(exact, org.assertj.core.data.Offset.offset(exact * 0.01 + 1e-9));
    }

    private static String range(String granularity, Instant from, Instant to) {
        return "granularity=" + granularity + "&start=" + enc(from) + "&end=" + enc(to);
    }

    private static String enc(Instant t) {
        return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }
}
