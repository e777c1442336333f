package io.deliverymetrics.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.metrics.ErrorKey;
import io.deliverymetrics.core.metrics.ErrorSample;
import io.deliverymetrics.core.metrics.ErrorSamples;
import io.deliverymetrics.core.metrics.EventKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.parse.AttemptWriter;
import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.flink.sink.DeadLetterSerializer;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedKafka;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.TcpProxy;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.loadgen.LoadRunner;
import io.deliverymetrics.loadgen.config.KafkaSinkConfig;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.sink.KafkaLoadSink;
import io.deliverymetrics.loadgen.truth.BucketKey;
import io.deliverymetrics.loadgen.truth.BucketTotals;
import io.deliverymetrics.loadgen.truth.ErrorSampleKey;
import io.deliverymetrics.loadgen.truth.EventCounts;
import io.deliverymetrics.loadgen.truth.EventMinuteKey;
import io.deliverymetrics.loadgen.truth.SampledAttempt;
import io.deliverymetrics.loadgen.truth.Truth;
import io.deliverymetrics.sql.TotalsRows;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the job on a MiniCluster against the real broker and two real shard databases and compares
 * every minute row with the load generator's independently computed ground truth.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class DeliveryMetricsJobITCase {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Hand-written bad records, each with the reason the job must give. */
    private static final Map<String, byte[]> BAD_RECORDS = badRecords();

    /** Both ways of holding a window's partials give the same rows: each against the truth. */
    @ParameterizedTest
    @ValueSource(strings = {"incremental", "on-firing"})
    void shouldWriteMinuteRowsEqualToGroundTruthAndDivertBadAndLateRecords(
            String accumulation, EmbeddedKafka kafka, EmbeddedMariaDb db, UniqueNames names)
            throws Exception {
        JobHarness h =
                new JobHarness(kafka, db, names, Map.of("window.accumulation", accumulation));
        Truth truth = produceLoad(h, 42L, 25_000, 0.005);
        produceBadRecords(h);

        long started = System.nanoTime();
        h.runBounded(DeliveryMetricsJob.productionSinks(h.config), 2);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.err.printf(
                "job processed %d records in %.1f s (%.0f records/s including start-up)%n",
                truth.records(), seconds, truth.records() / seconds);

        Set<BucketKey> acceptedLate = assertRowsMatchTruth(h, truth);
        assertTypeRowsMatchTruthAndPairRows(h, truth, acceptedLate);
        assertDestinationTypesMatchTruth(h, truth);
        assertDeadLetters(h, truth);
        assertWorkspacesLiveOnTheirShard(h);
    }

    @Test
    void shouldStayExactWhenTheJobFailsMidStreamAndRestartsFromACheckpoint(
            EmbeddedKafka kafka,
            EmbeddedMariaDb db,
            UniqueNames names,
            @TempDir java.nio.file.Path tmp)
            throws Exception {
        // The windows hold their partials as a list here (as on RocksDB): restored from the
        // checkpoint, the list merges to the same buckets.
        JobHarness h = new JobHarness(kafka, db, names, Map.of("window.accumulation", "on-firing"));
        // No late records here: whether a replayed late record is dropped may differ between the
        // attempts, which this test does not try to pin down.
        Truth truth = produceLoad(h, 7L, 15_000, 0.0);

        DeliveryMetricsJob.Sinks production = DeliveryMetricsJob.productionSinks(h.config);
        java.nio.file.Path marker = tmp.resolve("failed-once");
        DeliveryMetricsJob.Sinks failing =
                new DeliveryMetricsJob.Sinks(
                        shard ->
                                shard == 0
                                        ? new FailOnceSink<>(
                                                production.shardSink().apply(shard), marker, 20)
                                        : production.shardSink().apply(shard),
                        production.deadLetters(),
                        production.lateRecords(),
                        production.globalRows());
        h.runBounded(failing, 2);

        assertThat(marker).as("the injected failure happened").exists();
        assertTypeRowsMatchTruthAndPairRows(h, truth, assertRowsMatchTruth(h, truth));
        assertDestinationTypesMatchTruth(h, truth);
    }

    @Test
    void shouldStayExactWhenAShardIsUnreachableForTwentySeconds(
            EmbeddedKafka kafka, EmbeddedMariaDb db, UniqueNames names) throws Exception {
        try (TcpProxy proxy = TcpProxy.start("127.0.0.1", db.port())) {
            JobHarness h =
                    new JobHarness(
                            kafka,
                            db,
                            names,
                            Map.of("restart.attempts", "100", "restart.delay", "1s"),
                            proxy);
            Truth truth = produceLoad(h, 11L, 10_000, 0.0);

            // Cut the link to the last shard as soon as the job first reaches it, for 20 s.
            int connectionsBeforeJob = proxy.acceptedConnections();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            long[] cutAt = new long[1];
            ScheduledFuture<?> watch =
                    timer.scheduleAtFixedRate(
                            () -> {
                                if (cutAt[0] == 0
                                        && proxy.acceptedConnections() > connectionsBeforeJob) {
                                    proxy.cut();
                                    cutAt[0] = System.nanoTime();
                                    timer.schedule(proxy::restore, 20, TimeUnit.SECONDS);
                                }
                            },
                            0,
                            10,
                            TimeUnit.MILLISECONDS);
            long started = System.nanoTime();
            try {
                h.runBounded(DeliveryMetricsJob.productionSinks(h.config), 2);
            } finally {
                watch.cancel(false);
                timer.shutdownNow();
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(cutAt[0]).as("the link was cut").isPositive();
            assertThat(seconds).as("the job outlived the outage").isGreaterThan(20);
            assertRowsMatchTruth(h, truth);
        }
    }

    @Test
    void shouldCapAWorkspacesDistinctPairsAndCountTheRestInItsOverflowPair(
            EmbeddedKafka kafka, EmbeddedMariaDb db, UniqueNames names) throws Exception {
        int cap = 1_000;
        JobHarness h =
                new JobHarness(
                        kafka,
                        db,
                        names,
                        Map.of("cardinality.max-pairs-per-workspace", Integer.toString(cap)));
        // A workspace that invents a new source id for every record, an hour before the others'
        // traffic, so that none of its records is late.
        Map<Instant, Long> floodPerMinute = produceFlood(h, FLOOD_WORKSPACE, FLOOD_RECORDS);
        Truth truth = produceLoad(h, 5L, 10_000, 0.0);

        long started = System.nanoTime();
        h.runBounded(DeliveryMetricsJob.productionSinks(h.config), 2);
        System.err.printf(
                "job processed %d records in %.1f s%n",
                FLOOD_RECORDS + truth.records(), (System.nanoTime() - started) / 1e9);

        // Every other workspace is exact.
        assertRowsMatchTruth(h, truth, ws -> !ws.equals(FLOOD_WORKSPACE));
        // The flood: cap pairs of one attempt each, the rest in the overflow pair, minute by
        // minute.
        Map<PairKey, Long> perPair = new HashMap<>();
        Map<Instant, Long> perMinute = new TreeMap<>();
        for (PairBucket row : h.minuteRows()) {
            if (row.pair().workspaceId().equals(FLOOD_WORKSPACE)) {
                perPair.merge(row.pair(), row.bucket().successes(), Long::sum);
                perMinute.merge(row.bucketStart(), row.bucket().successes(), Long::sum);
            }
        }
        assertThat(perMinute).isEqualTo(floodPerMinute);
        assertThat(perPair).hasSize(cap + 1);
        assertThat(perPair.get(PairKey.overflow(FLOOD_WORKSPACE))).isEqualTo(FLOOD_RECORDS - cap);
        perPair.forEach(
                (pair, n) -> {
                    if (!pair.isOverflow()) {
                        assertThat(n).as("attempts of %s", pair).isEqualTo(1);
                    }
                });
        assertThat(h.totals().stream().filter(t -> t.pair().workspaceId().equals(FLOOD_WORKSPACE)))
                .hasSize(cap + 1);
    }

    // ---- input

    private static final String FLOOD_WORKSPACE = "ws_flood";

    private static final int FLOOD_RECORDS = 1_000_000;

    /**
     * {@code records} delivered attempts of {@code workspace}, each of a pair of its own, spread
     * evenly over the ten minutes from 09:00; returns the attempts per minute.
     */
    private static Map<Instant, Long> produceFlood(JobHarness h, String workspace, int records)
            throws Exception {
        Instant from = Instant.parse("2026-11-26T09:00:00Z");
        long spanMs = Duration.ofMinutes(10).toMillis();
        Map<Instant, Long> perMinute = new TreeMap<>();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, h.kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < records; i++) {
                Instant completed = from.plusMillis(i * spanMs / records);
                DeliveryAttempt a =
                        new DeliveryAttempt(
                                workspace,
                                String.format("src_%07d", i),
                                "dst_webhook",
                                "evt_" + i,
                                1,
                                Outcome.DELIVERED,
                                null,
                                completed.minusMillis(120),
                                completed);
                producer.send(
                        new ProducerRecord<>(
                                h.inputTopic,
                                a.pair().kafkaKey().getBytes(StandardCharsets.UTF_8),
                                AttemptWriter.toJson(a)));
                perMinute.merge(completed.truncatedTo(ChronoUnit.MINUTES), 1L, Long::sum);
            }
            producer.flush();
        }
        return perMinute;
    }

    private static Truth produceLoad(JobHarness h, long seed, long events, double lateShare) {
        LoadSpec spec =
                LoadSpec.builder()
                        .withSeed(seed)
                        .withStart(Instant.parse("2026-11-26T10:00:00Z"))
                        .withRate(150)
                        .withTotalEvents(events)
                        .withWorkspaces(12)
                        .withPairs(150)
                        .withLateShare(lateShare)
                        .withMalformedShare(0.005)
                        .withOutOfOrderShare(0.02)
                        .withOutOfOrder(Duration.ofSeconds(20))
                        .withLateBy(Duration.ofMinutes(10))
                        .build();
        Truth truth = new Truth();
        try (KafkaLoadSink sink =
                KafkaLoadSink.create(
                        KafkaSinkConfig.of(h.kafka.bootstrapServers(), h.inputTopic), truth)) {
            new LoadRunner(spec, sink).run();
        }
        return truth;
    }

    private static void produceBadRecords(JobHarness h) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, h.kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (Map.Entry<String, byte[]> e : BAD_RECORDS.entrySet()) {
                producer.send(
                                new ProducerRecord<>(
                                        h.inputTopic,
                                        e.getKey().getBytes(StandardCharsets.UTF_8),
                                        e.getValue()))
                        .get();
            }
        }
    }

    private static Map<String, byte[]> badRecords() {
        String ok =
                "\"workspace_id\":\"ws_bad\",\"source_id\":\"src\",\"destination_id\":\"dst\",\"event_id\":\"e1\"";
        String times =
                "\"received_at\":\"2026-11-26T10:00:00Z\",\"completed_at\":\"2026-11-26T10:00:01Z\"";
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("empty", new byte[0]);
        m.put("malformed_json", "{\"workspace_id\":".getBytes(StandardCharsets.UTF_8));
        byte[] nonUtf8 =
                ("{" + ok + ",\"attempt\":1,\"outcome\":\"delivered\"," + times + ",\"x\":\"??\"}")
                        .getBytes(StandardCharsets.ISO_8859_1);
        nonUtf8[nonUtf8.length - 4] = (byte) 0xC3;
        nonUtf8[nonUtf8.length - 3] = (byte) 0x28;
        m.put("non_utf8", nonUtf8);
        m.put("not_an_object", "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        m.put(
                "duplicate_field",
                ("{" + ok + ",\"attempt\":1,\"attempt\":2,\"outcome\":\"delivered\"," + times + "}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "missing_field",
                ("{\"source_id\":\"src\",\"destination_id\":\"dst\",\"event_id\":\"e1\",\"attempt\":1,\"outcome\":\"delivered\","
                                + times
                                + "}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "wrong_type",
                ("{" + ok + ",\"attempt\":\"one\",\"outcome\":\"delivered\"," + times + "}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "invalid_id",
                ("{\"workspace_id\":\"ws bad!\",\"source_id\":\"src\",\"destination_id\":\"dst\",\"event_id\":\"e1\",\"attempt\":1,\"outcome\":\"delivered\","
                                + times
                                + "}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "unknown_outcome",
                ("{" + ok + ",\"attempt\":1,\"outcome\":\"bounced\"," + times + "}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "invalid_attempt",
                ("{" + ok + ",\"attempt\":-3,\"outcome\":\"delivered\"," + times + "}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "invalid_error_code",
                ("{"
                                + ok
                                + ",\"attempt\":1,\"outcome\":\"discarded\",\"error_code\":\"bad code\","
                                + times
                                + "}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "completed_before_received",
                ("{"
                                + ok
                                + ",\"attempt\":1,\"outcome\":\"delivered\",\"received_at\":\"2026-11-26T10:00:05Z\",\"completed_at\":\"2026-11-26T10:00:01Z\"}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "timestamp_out_of_range",
                ("{"
                                + ok
                                + ",\"attempt\":1,\"outcome\":\"delivered\",\"received_at\":0,\"completed_at\":1}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "invalid_timestamp",
                ("{"
                                + ok
                                + ",\"attempt\":1,\"outcome\":\"delivered\",\"received_at\":\"yesterday\",\"completed_at\":\"2026-11-26T10:00:01Z\"}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "latency_out_of_range",
                ("{"
                                + ok
                                + ",\"attempt\":1,\"outcome\":\"delivered\",\"received_at\":\"2026-01-01T00:00:00Z\",\"completed_at\":\"2026-11-26T10:00:01Z\"}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "too_large",
                ("{"
                                + ok
                                + ",\"attempt\":1,\"outcome\":\"delivered\","
                                + times
                                + ",\"pad\":\""
                                + "x".repeat(20_000)
                                + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        String delivered = "{" + ok + ",\"attempt\":1,\"outcome\":\"delivered\"," + times;
        m.put(
                "invalid_destination_type",
                (delivered + ",\"destination_type\":\"Google Ads\"}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "invalid_event_type",
                (delivered + ",\"event_type\":\"Track\"}").getBytes(StandardCharsets.UTF_8));
        m.put(
                "invalid_event_name",
                (delivered + ",\"event_name\":\"Order\\u0000Completed\"}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "invalid_error_message",
                (delivered + ",\"error_message\":\"bad \\ud800 half\"}")
                        .getBytes(StandardCharsets.UTF_8));
        return m;
    }

    // ---- assertions

    /**
     * The error samples of every pair minute without late records equal the truth's: per error row
     * the ten failed attempts with the smallest sample hash, in hash order, with their messages
     * (those the parser did not truncate). The truth computes the hash and the choice on its own.
     */
    private static void assertErrorSamplesMatchTruth(
            Truth truth,
            Map<String, PairBucket> rowsByKey,
            Set<BucketKey> touchedByLate,
            Predicate<String> compared) {
        Map<String, List<String>> expected = new TreeMap<>();
        for (Map.Entry<ErrorSampleKey, List<SampledAttempt>> e : truth.errorSamples().entrySet()) {
            BucketKey b = e.getKey().bucket();
            if (touchedByLate.contains(b) || !compared.test(b.workspaceId())) {
                continue;
            }
            List<String> rows = new ArrayList<>();
            for (SampledAttempt a : e.getValue()) {
                String m = a.errorMessage();
                boolean truncated =
                        m != null
                                && m.codePointCount(0, m.length())
                                        > Truth.MAX_ERROR_MESSAGE_CODE_POINTS;
                rows.add(a.eventId() + "#" + a.attempt() + "#" + (truncated ? "(truncated)" : m));
            }
            expected.put(key(b) + "|" + e.getKey().outcome() + ":" + e.getKey().errorCode(), rows);
        }
        Map<String, List<String>> actual = new TreeMap<>();
        int samples = 0;
        for (Map.Entry<String, PairBucket> r : rowsByKey.entrySet()) {
            PairBucket row = r.getValue();
            BucketKey b =
                    new BucketKey(
                            row.pair().workspaceId(),
                            row.pair().sourceId(),
                            row.pair().destinationId(),
                            row.bucketStart());
            if (touchedByLate.contains(b)) {
                continue;
            }
            for (Map.Entry<ErrorKey, ErrorSamples> e : row.bucket().samples().entrySet()) {
                List<String> rows = new ArrayList<>();
                for (ErrorSample x : e.getValue().samples()) {
                    String m = x.errorMessage();
                    boolean truncated = m != null && m.endsWith("…[truncated]");
                    rows.add(
                            x.eventId()
                                    + "#"
                                    + x.attempt()
                                    + "#"
                                    + (truncated ? "(truncated)" : m));
                    samples++;
                }
                actual.put(
                        r.getKey()
                                + "|"
                                + e.getKey().outcome().wireName()
                                + ":"
                                + e.getKey().errorCode(),
                        rows);
            }
        }
        assertThat(samples).as("error samples compared").isGreaterThan(100);
        assertThat(actual)
                .as("error samples vs ground truth")
                .containsExactlyInAnyOrderEntriesOf(expected);
    }

    private static Set<BucketKey> assertRowsMatchTruth(JobHarness h, Truth truth) throws Exception {
        return assertRowsMatchTruth(h, truth, ws -> true);
    }

    /**
     * The rows of the workspaces {@code compared} accepts equal the truth; returns the pair minutes
     * into which a record the truth calls late was accepted.
     */
    private static Set<BucketKey> assertRowsMatchTruth(
            JobHarness h, Truth truth, Predicate<String> compared) throws Exception {
        Map<BucketKey, BucketTotals> onTime = truth.minutes();
        Map<BucketKey, BucketTotals> late = truth.late();
        Map<BucketKey, long[]> dropped = new HashMap<>();
        Map<String, Long> droppedErrors = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> lateTopic = h.readAll(h.lateTopic);
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : lateTopic) {
            JsonNode n = JSON.readTree(r.value());
            // The late topic is at-least-once: a restart may publish a record twice.
            if (!seen.add(
                    n.get("event_id").asText()
                            + "#"
                            + n.get("attempt").asInt()
                            + "#"
                            + n.get("destination_id").asText())) {
                continue;
            }
            Instant completed = Instant.parse(n.get("completed_at").asText());
            BucketKey k =
                    new BucketKey(
                            n.get("workspace_id").asText(),
                            n.get("source_id").asText(),
                            n.get("destination_id").asText(),
                            completed.truncatedTo(ChronoUnit.MINUTES));
            long[] v = dropped.computeIfAbsent(k, x -> new long[VECTOR]);
            String outcome = n.get("outcome").asText();
            addToVector(
                    v,
                    outcome,
                    n.get("attempt").asInt(),
                    completed.toEpochMilli()
                            - Instant.parse(n.get("received_at").asText()).toEpochMilli());
            if (!outcome.equals("delivered") && !outcome.equals("filtered")) {
                droppedErrors.merge(
                        k + "|" + outcome + ":" + n.get("error_code").asText(), 1L, Long::sum);
            }
            v[VECTOR - 1]++;
        }

        Set<BucketKey> keys = new HashSet<>(onTime.keySet());
        keys.addAll(late.keySet());
        Map<String, List<Long>> expected = new TreeMap<>();
        Map<String, Long> expectedErrors = new TreeMap<>();
        Set<BucketKey> acceptedLate = new HashSet<>();
        for (BucketKey k : keys) {
            long[] v = new long[VECTOR];
            add(v, onTime.get(k), 1);
            add(v, late.get(k), 1);
            long[] d = dropped.getOrDefault(k, new long[VECTOR]);
            for (int i = 0; i < VECTOR - 1; i++) {
                v[i] -= d[i];
            }
            long lateRecords = late.containsKey(k) ? late.get(k).records() : 0;
            if (lateRecords > d[VECTOR - 1]) {
                acceptedLate.add(k);
            }
            addErrors(expectedErrors, k, onTime.get(k), 1);
            addErrors(expectedErrors, k, late.get(k), 1);
            if (!isZero(v)) {
                expected.put(key(k), vectorList(v));
            }
        }
        droppedErrors.forEach((k, n) -> expectedErrors.merge(k, -n, Long::sum));
        expectedErrors.values().removeIf(n -> n == 0);

        Map<String, List<Long>> actual = new TreeMap<>();
        Map<String, Long> actualErrors = new TreeMap<>();
        Map<String, PairBucket> rowsByKey = new HashMap<>();
        for (PairBucket row : h.minuteRows()) {
            if (!compared.test(row.pair().workspaceId())) {
                continue;
            }
            BucketKey k =
                    new BucketKey(
                            row.pair().workspaceId(),
                            row.pair().sourceId(),
                            row.pair().destinationId(),
                            row.bucketStart());
            long[] v = vectorOf(row.bucket());
            rowsByKey.put(key(k), row);
            for (Map.Entry<ErrorKey, Long> e : row.bucket().errors().entrySet()) {
                actualErrors.put(
                        k + "|" + e.getKey().outcome().wireName() + ":" + e.getKey().errorCode(),
                        e.getValue());
            }
            if (!isZero(v)) {
                actual.put(key(k), vectorList(v));
            }
        }

        assertThat(actual)
                .as("minute rows vs ground truth")
                .containsExactlyInAnyOrderEntriesOf(expected);

        // Running totals: at the end of input every minute is final, so each pair's totals are
        // the sum of its expected minutes (the outcome counters and the latency count and sum).
        Map<String, List<Long>> expectedTotals = new TreeMap<>();
        Map<String, long[]> sums = new TreeMap<>();
        for (BucketKey k : keys) {
            List<Long> v = expected.get(key(k));
            if (v == null) {
                continue;
            }
            long[] sum =
                    sums.computeIfAbsent(
                            k.workspaceId() + "/" + k.sourceId() + "/" + k.destinationId(),
                            x -> new long[7]);
            int[] slots = {0, 1, 2, 3, 4, 15, 16};
            for (int i = 0; i < slots.length; i++) {
                sum[i] += v.get(slots[i]);
            }
        }
        sums.forEach((pair, sum) -> expectedTotals.put(pair, Arrays.stream(sum).boxed().toList()));
        Map<String, List<Long>> actualTotals = new TreeMap<>();
        for (TotalsRows.PairTotals t : h.totals()) {
            if (!compared.test(t.pair().workspaceId())) {
                continue;
            }
            long[] a = t.totals().toArray();
            actualTotals.put(
                    t.pair().workspaceId()
                            + "/"
                            + t.pair().sourceId()
                            + "/"
                            + t.pair().destinationId(),
                    Arrays.stream(Arrays.copyOf(a, 7)).boxed().toList());
            assertThat(t.totals().latencyAtMost()[DeliveryTotals.LATENCY_BOUNDS_MS.length - 1])
                    .as("histogram of %s within its count", t.pair())
                    .isLessThanOrEqualTo(t.totals().latencyCount());
        }
        assertThat(actualTotals)
                .as("running totals vs ground truth")
                .containsExactlyInAnyOrderEntriesOf(expectedTotals);
        assertThat(actualErrors)
                .as("error rows vs ground truth")
                .containsExactlyInAnyOrderEntriesOf(expectedErrors);
        assertEventRowsMatchTruth(truth, rowsByKey, late.keySet(), compared);
        assertErrorSamplesMatchTruth(truth, rowsByKey, late.keySet(), compared);

        // Latency max and percentiles, where no late record was accepted into the bucket.
        int checked = 0;
        for (Map.Entry<BucketKey, BucketTotals> e : onTime.entrySet()) {
            BucketTotals t = e.getValue();
            if (acceptedLate.contains(e.getKey()) || t.latencyCount() == 0) {
                continue;
            }
            MetricBucket b = rowsByKey.get(key(e.getKey())).bucket();
            assertThat(b.latencyMaxMs()).isEqualTo(t.latencyMaxMs());
            assertWithinOnePercent(b.latencyQuantileMs(0.50), t.latencyP50Ms());
            assertWithinOnePercent(b.latencyQuantileMs(0.90), t.latencyP90Ms());
            assertWithinOnePercent(b.latencyQuantileMs(0.95), t.latencyP95Ms());
            assertWithinOnePercent(b.latencyQuantileMs(0.99), t.latencyP99Ms());
            checked++;
        }
        assertThat(checked).as("buckets with checked percentiles").isGreaterThan(100);

        // Too-late records: every one is either in its minute row (accepted while the watermark
        // still
        // lagged, as happens when a backlog is replayed at full speed) or published and counted.
        Map<String, Long> expectedLate = new TreeMap<>();
        dropped.forEach(
                (k, v) ->
                        expectedLate.put(
                                k.workspaceId()
                                        + "/"
                                        + k.sourceId()
                                        + "/"
                                        + k.destinationId()
                                        + "@"
                                        + k.bucketStart().toEpochMilli(),
                                v[VECTOR - 1]));
        Map<String, Long> actualLate = new TreeMap<>(h.lateDropped());
        actualLate.keySet().removeIf(k -> !compared.test(k.substring(0, k.indexOf('/'))));
        assertThat(actualLate).containsExactlyInAnyOrderEntriesOf(expectedLate);
        if (truth.lateRecords() > 0) {
            assertThat(seen).as("late records dropped and published").isNotEmpty();
        }
        return acceptedLate;
    }

    /**
     * Every destination-type minute row equals the truth's {@code type_minute} totals (counters,
     * latency count, sum and max, errors, and the four distinct counts, from the sketches and as
     * stored), except in minutes into which a late record was accepted (the truth's per-type totals
     * hold on-time records only, and a pair's late record may carry its type or none); and in every
     * minute the type rows together equal the pair rows (a pair's records may omit their type, so a
     * pair row can belong to two types and the sum is compared over all types).
     */
    private static void assertTypeRowsMatchTruthAndPairRows(
            JobHarness h, Truth truth, Set<BucketKey> acceptedLate) throws Exception {
        Set<Instant> lateMinutes = new HashSet<>();
        acceptedLate.forEach(k -> lateMinutes.add(k.bucketStart()));
        Map<String, List<Long>> expected = new TreeMap<>();
        Map<String, Long> expectedErrors = new TreeMap<>();
        truth.typeMinutes()
                .forEach(
                        (k, t) -> {
                            if (lateMinutes.contains(k.minute())) {
                                return;
                            }
                            String key = k.destinationType() + "@" + k.minute();
                            long[] v = new long[VECTOR];
                            add(v, t.totals(), 1);
                            List<Long> row = new ArrayList<>(vectorList(v));
                            row.add(t.totals().latencyMaxMs());
                            row.addAll(
                                    List.of(
                                            t.workspaces(),
                                            t.pairs(),
                                            t.affectedWorkspaces(),
                                            t.affectedPairs()));
                            expected.put(key, row);
                            t.totals()
                                    .errors()
                                    .forEach((code, n) -> expectedErrors.put(key + "|" + code, n));
                        });
        Map<String, List<Long>> actual = new TreeMap<>();
        Map<String, Long> actualErrors = new TreeMap<>();
        Map<String, List<Long>> stored = h.typeEstimates();
        Map<Instant, List<Long>> typeSums = new TreeMap<>();
        Map<Instant, Map<String, Long>> typeErrorSums = new TreeMap<>();
        for (TypeBucket row : h.typeRows()) {
            String key = row.destinationType() + "@" + row.bucketStart();
            MetricBucket b = row.bucket();
            sum(typeSums, typeErrorSums, row.bucketStart(), b);
            List<Long> counts =
                    List.of(
                            row.contributors().workspaces(),
                            row.contributors().pairs(),
                            row.contributors().affectedWorkspaces(),
                            row.contributors().affectedPairs());
            assertThat(stored.get(key)).as("stored estimates of %s", key).isEqualTo(counts);
            if (lateMinutes.contains(row.bucketStart())) {
                continue;
            }
            List<Long> v = new ArrayList<>(vectorList(vectorOf(b)));
            v.add(b.latencyMaxMs());
            v.addAll(counts);
            actual.put(key, v);
            b.errors()
                    .forEach(
                            (e, n) ->
                                    actualErrors.put(
                                            key
                                                    + "|"
                                                    + e.outcome().wireName()
                                                    + ":"
                                                    + e.errorCode(),
                                            n));
        }
        assertThat(expected).as("type minutes checked").hasSizeGreaterThan(20);
        assertThat(actual)
                .as("destination-type rows vs ground truth")
                .containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(actualErrors)
                .as("destination-type error counts vs ground truth")
                .containsExactlyInAnyOrderEntriesOf(expectedErrors);

        Map<Instant, List<Long>> pairSums = new TreeMap<>();
        Map<Instant, Map<String, Long>> pairErrorSums = new TreeMap<>();
        for (PairBucket row : h.minuteRows()) {
            if (!isZero(vectorOf(row.bucket()))) {
                sum(pairSums, pairErrorSums, row.bucketStart(), row.bucket());
            }
        }
        assertThat(typeSums).as("type rows vs pair rows, per minute").isEqualTo(pairSums);
        assertThat(typeErrorSums).as("type errors vs pair errors").isEqualTo(pairErrorSums);
    }

    /** Adds a bucket's counters and errors to its minute's sums, and its latency max. */
    private static void sum(
            Map<Instant, List<Long>> sums,
            Map<Instant, Map<String, Long>> errorSums,
            Instant minute,
            MetricBucket b) {
        long[] v = vectorOf(b);
        List<Long> old = sums.get(minute);
        List<Long> sum = new ArrayList<>();
        for (int i = 0; i < VECTOR - 1; i++) {
            sum.add(v[i] + (old == null ? 0 : old.get(i)));
        }
        sum.add(Math.max(b.latencyMaxMs(), old == null ? 0 : old.get(VECTOR - 1)));
        sums.put(minute, sum);
        Map<String, Long> errors = errorSums.computeIfAbsent(minute, m -> new TreeMap<>());
        b.errors()
                .forEach(
                        (e, n) ->
                                errors.merge(
                                        e.outcome().wireName() + ":" + e.errorCode(),
                                        n,
                                        Long::sum));
    }

    /**
     * Every minute row's event rows add up to its outcome counters, and equal the truth's per-event
     * counts of its on-time records; a minute with too-late records may hold more (the late records
     * it accepted, which the truth does not break down by event), never less.
     */
    private static void assertEventRowsMatchTruth(
            Truth truth,
            Map<String, PairBucket> rowsByKey,
            Set<BucketKey> withLateRecords,
            Predicate<String> compared) {
        Map<String, List<Long>> expected = new TreeMap<>();
        for (Map.Entry<EventMinuteKey, EventCounts> e : truth.eventMinutes().entrySet()) {
            EventMinuteKey k = e.getKey();
            if (!compared.test(k.workspaceId())) {
                continue;
            }
            EventCounts c = e.getValue();
            BucketKey bucket =
                    new BucketKey(k.workspaceId(), k.sourceId(), k.destinationId(), k.minute());
            expected.put(
                    eventKey(bucket, k.eventType(), k.eventName()),
                    List.of(c.successes(), c.retried(), c.discarded(), c.expired(), c.filtered()));
        }
        Map<String, List<Long>> actual = new TreeMap<>();
        Set<String> lateBuckets = new HashSet<>();
        withLateRecords.forEach(k -> lateBuckets.add(key(k)));
        for (PairBucket row : rowsByKey.values()) {
            MetricBucket b = row.bucket();
            BucketKey bucket =
                    new BucketKey(
                            row.pair().workspaceId(),
                            row.pair().sourceId(),
                            row.pair().destinationId(),
                            row.bucketStart());
            long[] sums = new long[5];
            b.events()
                    .forEach(
                            (k, c) -> {
                                List<Long> v =
                                        List.of(
                                                c.successes(),
                                                c.retried(),
                                                c.discarded(),
                                                c.expired(),
                                                c.filtered());
                                for (int i = 0; i < sums.length; i++) {
                                    sums[i] += v.get(i);
                                }
                                actual.put(eventKey(bucket, k.eventType(), k.eventName()), v);
                            });
            assertThat(sums)
                    .as("event rows of %s add up to its counters", key(bucket))
                    .containsExactly(
                            b.successes(), b.retried(), b.discarded(), b.expired(), b.filtered());
            assertThat(b.events())
                    .as("no folding in %s", key(bucket))
                    .doesNotContainKey(EventKey.OTHER);
        }
        for (String k : new ArrayList<>(actual.keySet())) {
            if (lateBuckets.contains(k.substring(0, k.indexOf('|')))) {
                List<Long> a = actual.remove(k);
                List<Long> e = expected.remove(k);
                for (int i = 0; i < a.size(); i++) {
                    assertThat(a.get(i))
                            .as("%s [%d]", k, i)
                            .isGreaterThanOrEqualTo(e == null ? 0 : e.get(i));
                }
            }
        }
        expected.keySet().removeIf(k -> lateBuckets.contains(k.substring(0, k.indexOf('|'))));
        assertThat(actual)
                .as("event rows vs ground truth")
                .hasSizeGreaterThan(100)
                .containsExactlyInAnyOrderEntriesOf(expected);
    }

    private static String eventKey(BucketKey bucket, String type, String name) {
        return key(bucket) + "|" + type + "|" + (name == null ? "<none>" : "=" + name);
    }

    private static void assertDeadLetters(JobHarness h, Truth truth) {
        List<ConsumerRecord<byte[], byte[]>> dead = h.readAll(h.deadLetterTopic);
        assertThat((long) dead.size()).isEqualTo(truth.malformedRecords() + BAD_RECORDS.size());
        Map<String, String> reasonByKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            assertThat(r.headers().lastHeader(DeadLetterSerializer.REASON)).isNotNull();
            assertThat(r.headers().lastHeader(DeadLetterSerializer.DETAIL)).isNotNull();
            if (r.key() != null) {
                reasonByKey.put(
                        new String(r.key(), StandardCharsets.UTF_8),
                        new String(
                                r.headers().lastHeader(DeadLetterSerializer.REASON).value(),
                                StandardCharsets.UTF_8));
            }
        }
        for (String kind : BAD_RECORDS.keySet()) {
            String expectedReason = kind.equals("non_utf8") ? "malformed_json" : kind;
            assertThat(reasonByKey).containsEntry(kind, expectedReason);
        }
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            String k = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            if (BAD_RECORDS.containsKey(k)) {
                assertThat(r.value() == null ? new byte[0] : r.value())
                        .as("original bytes kept")
                        .isEqualTo(BAD_RECORDS.get(k));
            }
        }
    }

    /**
     * Every destination's stored type (on its workspace's shard) is the one its VALID records
     * imply. A destination whose records are all LATE may have one from a late record accepted into
     * its minute, or none; it is not compared.
     */
    private static void assertDestinationTypesMatchTruth(JobHarness h, Truth truth)
            throws Exception {
        Map<String, String> expected = truth.destinationTypes();
        Map<String, String> actual = new TreeMap<>(h.destinationTypes());
        Set<String> onlyLate = new HashSet<>();
        truth.late().keySet().forEach(k -> onlyLate.add(k.workspaceId() + "/" + k.destinationId()));
        onlyLate.removeAll(expected.keySet());
        actual.keySet().removeAll(onlyLate);

        assertThat(expected).as("destinations with a type in the input").hasSizeGreaterThan(10);
        assertThat(actual)
                .as("destination types vs ground truth")
                .containsExactlyInAnyOrderEntriesOf(expected);
    }

    private static void assertWorkspacesLiveOnTheirShard(JobHarness h) throws Exception {
        ShardRouter router = new ShardRouter(h.config.shards());
        Map<String, Integer> actual = h.shardOfRows();
        assertThat(actual).isNotEmpty();
        actual.forEach((ws, shard) -> assertThat(shard).as(ws).isEqualTo(router.shardOf(ws)));
    }

    // ---- vectors: successes, retried, discarded, expired, filtered, attempt 1..10, latency count,
    // sum, records

    private static final int VECTOR = 18;

    private static void addToVector(long[] v, String outcome, int attempt, long latencyMs) {
        switch (outcome) {
            case "delivered" -> {
                v[0]++;
                v[5 + Math.min(attempt, 10) - 1]++;
                v[15]++;
                v[16] += latencyMs;
            }
            case "retrying" -> v[1]++;
            case "discarded" -> v[2]++;
            case "expired" -> v[3]++;
            case "filtered" -> v[4]++;
            default -> throw new AssertionError("unexpected outcome " + outcome);
        }
    }

    private static void add(long[] v, BucketTotals t, int sign) {
        if (t == null) {
            return;
        }
        v[0] += sign * t.successes();
        v[1] += sign * t.retried();
        v[2] += sign * t.discarded();
        v[3] += sign * t.expired();
        v[4] += sign * t.filtered();
        for (int i = 0; i < 10; i++) {
            v[5 + i] += sign * t.successesByAttempt().get(i);
        }
        v[15] += sign * t.latencyCount();
        v[16] += sign * t.latencySumMs();
    }

    private static void addErrors(Map<String, Long> out, BucketKey k, BucketTotals t, int sign) {
        if (t != null) {
            t.errors().forEach((code, n) -> out.merge(k + "|" + code, sign * n, Long::sum));
        }
    }

    private static long[] vectorOf(MetricBucket b) {
        long[] v = new long[VECTOR];
        v[0] = b.successes();
        v[1] = b.retried();
        v[2] = b.discarded();
        v[3] = b.expired();
        v[4] = b.filtered();
        long[] a = b.successesByAttempt();
        System.arraycopy(a, 0, v, 5, 10);
        v[15] = b.latencyCount();
        v[16] = b.latencySumMs();
        return v;
    }

    private static boolean isZero(long[] v) {
        for (int i = 0; i < VECTOR - 1; i++) {
            if (v[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static List<Long> vectorList(long[] v) {
        List<Long> l = new ArrayList<>();
        for (int i = 0; i < VECTOR - 1; i++) {
            l.add(v[i]);
        }
        return l;
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

    private static void assertWithinOnePercent(double actual, Long exact) {
        assertThat(exact).isNotNull();
        assertThat(actual)
                .isCloseTo(exact, org.assertj.core.data.Offset.offset(exact * 0.01 + 1e-9));
    }
}
