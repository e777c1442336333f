package io.deliverymetrics.bench.freshness;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.config.FreshnessSettings;
import io.deliverymetrics.bench.freshness.ApiPoller.Observation;
import io.deliverymetrics.bench.internal.ControlDatabase;
import io.deliverymetrics.bench.internal.ShardDatabases;
import io.deliverymetrics.bench.streaming.internal.LiveJob;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.loadgen.LoadRunner;
import io.deliverymetrics.loadgen.RunStats;
import io.deliverymetrics.loadgen.config.KafkaSinkConfig;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.generator.LoadGenerator;
import io.deliverymetrics.loadgen.generator.PairCatalog;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.model.Kind;
import io.deliverymetrics.loadgen.model.Pair;
import io.deliverymetrics.loadgen.sink.KafkaLoadSink;
import io.deliverymetrics.sql.MetricRows;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the freshness benchmarks share: the live setup (input topic, shard and control databases,
 * the API server's settings, tokens), the load's spec and its calibration on a simulated run, the
 * choice of polled pairs, and the measuring run itself: a real-time producer on a shifted clock
 * while a poller reads the polled pairs' minute series until every measured minute is final with
 * its exact count.
 */
final class LiveFreshness {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFreshness.class);
    static final int SHARDS = 2;
    static final long MINUTE_MS = 60_000;
    static final long SEED = 2027;

    /** Events of the simulated run that calibrates the load: at most this. */
    private static final int CALIBRATION_EVENTS = 200_000;

    private static final Duration PRODUCER_STOP_TIMEOUT = Duration.ofMinutes(1);

    private LiveFreshness() {}

    /**
     * The input topic (with its dead-letter and late topics), the shard databases and the API
     * server's settings (control database, loopback ports, token auth on, rate limits off).
     */
    record Setup(String topic, ShardDatabases databases, Map<String, String> apiSettings) {

        ShardRouter router() {
            return new ShardRouter(databases.shards());
        }
    }

    /** Creates the topics and databases of one benchmark, named after {@code name}. */
    static Setup prepare(BenchInfra infra, String name, int partitions) {
        String topic = infra.names().topic("bench-" + name);
        infra.kafka().createTopic(topic, partitions);
        infra.kafka().createTopic(topic + "-dead-letter", 1);
        infra.kafka().createTopic(topic + "-late", 1);
        ShardDatabases databases =
                ShardDatabases.create(
                        infra.db(), infra.names(), "bench_" + name + "_shard", SHARDS);
        Map<String, String> api = new HashMap<>(databases.settings());
        api.putAll(ControlDatabase.create(infra, "bench_" + name + "_control"));
        api.put("server.host", "127.0.0.1");
        api.put("server.port", "0");
        api.put("admin.port", "0");
        api.put("server.migrate-on-start", "false");
        api.put("auth.enabled", "true");
        api.put("rate-limit.enabled", "false");
        return new Setup(topic, databases, api);
    }

    /** Everything one run observed. */
    record Run(
            AckLedger ledger,
            List<Observation> observations,
            long spanStartMs,
            long spanEndMs,
            long firstMinuteMs,
            int minutes,
            int pairs,
            boolean timedOut,
            RunStats producer,
            long pollRequests,
            long pollFailures,
            String firstPollFailure,
            SpanCost spanStartCost,
            SpanCost spanEndCost) {

        /**
         * When the API first showed measured minute {@code minute} of polled pair {@code pair} with
         * {@code partial=false} and the exact acknowledged count (producer clock), or -1.
         */
        long completeAtMs(int pair, int minute) {
            long minuteEnd = firstMinuteMs + (minute + 1) * MINUTE_MS;
            int total = ledger.count(pair, minute);
            for (Observation o : observations) {
                if (o.pair() == pair
                        && o.minute() == minute
                        && !o.partial()
                        && o.atMs() >= minuteEnd
                        && o.count() == total) {
                    return o.atMs();
                }
            }
            return -1;
        }
    }

    /**
     * The load's spec: seed {@link #SEED}, Zipf 1.1 over the settings' pairs in {@link #workspaces}
     * workspaces, no out-of-order, late or malformed records, ISO-8601 timestamps.
     */
    static LoadSpec spec(FreshnessSettings f) {
        return LoadSpec.builder()
                .withSeed(SEED)
                .withRate(f.attemptsPerSecond())
                .withTotalEvents(
                        Math.min(
                                CALIBRATION_EVENTS,
                                Math.max(20_000, Math.round(f.attemptsPerSecond() * 4))))
                .withWorkspaces(workspaces(f))
                .withPairs(f.pairs())
                .withZipfExponent(1.1)
                .withOutOfOrderShare(0)
                .withLateShare(0)
                .withMalformedShare(0)
                .withEpochMillisShare(0)
                .build();
    }

    /**
     * {@code base} in real time at {@code eventsPerSecond}, long enough for the warm-up, the
     * measured span and the wait for its minutes (with 5 minutes to spare).
     */
    static LoadSpec.Builder realtime(LoadSpec base, FreshnessSettings f, double eventsPerSecond) {
        return base.toBuilder()
                .withRealtime(true)
                .withRate(eventsPerSecond)
                .withDuration(
                        f.warmup()
                                .plus(f.measured())
                                .plus(f.completionTimeout())
                                .plus(Duration.ofMinutes(5)));
    }

    /** 100 pairs per workspace, but at least 10 workspaces (so both shards get some). */
    static int workspaces(FreshnessSettings f) {
        return Math.min(f.pairs(), Math.max(10, f.pairs() / 100));
    }

    /**
     * What a simulated run of a spec sent: attempt records per event, and per workspace and per
     * destination type.
     */
    record Calibration(
            double recordsPerEvent,
            long records,
            Map<String, Long> recordsByWorkspace,
            Map<String, Long> recordsByType) {}

    /** Counts the records of a simulated run of {@code spec}. */
    static Calibration calibrate(LoadSpec spec) {
        LoadGenerator g = LoadGenerator.create(spec);
        PairCatalog catalog = g.catalog();
        long records = 0;
        Map<String, Long> byWorkspace = new HashMap<>();
        Map<String, Long> byType = new HashMap<>();
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            records++;
            if (r.kind() != Kind.MALFORMED) {
                byWorkspace.merge(r.attempt().pair().workspaceId(), 1L, Long::sum);
                byType.merge(catalog.destinationOf(r.attempt().pair()).type(), 1L, Long::sum);
            }
        }
        return new Calibration(
                (double) records / spec.eventCount(),
                records,
                Map.copyOf(byWorkspace),
                Map.copyOf(byType));
    }

    /**
     * The {@code count} most popular pairs of the load that {@code eligible} admits, the same
     * number on each shard when the shards have enough, else topped up with the next most popular
     * ones.
     */
    static List<PairKey> polledPairs(
            LoadSpec spec, ShardRouter router, int count, Predicate<Pair> eligible) {
        int perShard = Math.max(1, count / router.shardCount());
        int[] taken = new int[router.shardCount()];
        List<Pair> ranking =
                LoadGenerator.create(spec).catalog().pairsByPopularity().stream()
                        .filter(eligible)
                        .toList();
        List<PairKey> out = new ArrayList<>();
        for (Pair p : ranking) {
            int shard = router.shardOf(p.workspaceId());
            if (taken[shard] < perShard && out.size() < count) {
                taken[shard]++;
                out.add(new PairKey(p.workspaceId(), p.sourceId(), p.destinationId()));
            }
        }
        for (Pair p : ranking) {
            PairKey k = new PairKey(p.workspaceId(), p.sourceId(), p.destinationId());
            if (out.size() < count && !out.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** A token of each pair's workspace, in pair order. */
    static List<String> tokens(Map<String, String> settings, List<PairKey> pairs) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(settings.get("control.jdbc-url"));
        c.setUsername(settings.get("control.user"));
        c.setPassword(settings.get("control.password"));
        c.setMaximumPoolSize(1);
        Map<String, String> byWorkspace = new HashMap<>();
        try (HikariDataSource control = new HikariDataSource(c)) {
            TokenStore store = new TokenStore(control, new SecureRandom());
            List<String> out = new ArrayList<>();
            for (PairKey p : pairs) {
                out.add(
                        byWorkspace.computeIfAbsent(
                                p.workspaceId(), ws -> store.create(ws, "bench").value()));
            }
            return out;
        }
    }

    /** The producer's clock of one run: the wall clock shifted so the span ends on a minute. */
    record Timeline(Clock clock, long startMs, long spanStartMs, long endMs) {

        /**
         * {@code warmup} of producing, then {@code measured}, ending on a minute boundary, with 1 s
         * to set the producer up.
         */
        static Timeline of(Duration warmup, Duration measured) {
            long measuredMs = measured.toMillis();
            long leadMs = warmup.toMillis() + measuredMs;
            long now = System.currentTimeMillis();
            long end = ceilMinute(now + leadMs + 1_000);
            long start = end - leadMs;
            return new Timeline(
                    Clock.offset(Clock.systemUTC(), Duration.ofMillis(start - now)),
                    start,
                    end - measuredMs,
                    end);
        }

        long firstMinuteMs() {
            return Math.floorDiv(spanStartMs, MINUTE_MS) * MINUTE_MS;
        }

        int minutes() {
            return (int) ((endMs - firstMinuteMs()) / MINUTE_MS);
        }
    }

    /**
     * Produces {@code spec} in real time from {@code timeline}'s start (its incidents' offsets
     * count from there) and polls the API until every measured minute of every polled pair is final
     * with its exact count, or the settings' completion timeout after the span.
     */
    static Run measure(
            BenchInfra infra,
            FreshnessSettings f,
            Timeline timeline,
            LiveJob live,
            String baseUrl,
            List<PairKey> polled,
            List<String> tokens,
            LoadSpec spec,
            String topic)
            throws Exception {
        Clock clock = timeline.clock();
        long spanStart = timeline.spanStartMs();
        long end = timeline.endMs();
        long firstMinute = timeline.firstMinuteMs();
        int minutes = timeline.minutes();

        Map<String, Integer> keys = new HashMap<>();
        for (int i = 0; i < polled.size(); i++) {
            keys.put(polled.get(i).kafkaKey(), i);
        }
        AckLedger ledger = new AckLedger(clock, keys, spanStart, end, firstMinute, minutes);
        ApiPoller poller =
                new ApiPoller(
                        clock, baseUrl, polled, tokens, Instant.ofEpochMilli(firstMinute), minutes);
        List<Observation> observations = new ArrayList<>();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        AtomicReference<RunStats> producerStats = new AtomicReference<>();
        boolean timedOut = false;
        SpanCost spanStartCost = null;
        SpanCost spanEndCost = null;
        try (KafkaLoadSink sink =
                KafkaLoadSink.create(
                        KafkaSinkConfig.of(infra.kafka().bootstrapServers(), topic), ledger)) {
            LoadRunner runner =
                    new LoadRunner(spec, sink)
                            .withClock(clock)
                            .withStart(Instant.ofEpochMilli(timeline.startMs()));
            Thread producer =
                    new Thread(
                            () -> {
                                try {
                                    producerStats.set(runner.run());
                                } catch (Throwable t) {
                                    producerFailure.set(t);
                                }
                            },
                            "bench-freshness-producer");
            producer.setDaemon(true);
            producer.start();
            try {
                long pollMs = f.pollInterval().toMillis();
                long nextCheck = 0;
                while (clock.millis() < spanStart - pollMs) {
                    nextCheck = check(live, producerFailure, clock, nextCheck);
                    TimeUnit.MILLISECONDS.sleep(
                            Math.min(1_000, spanStart - pollMs - clock.millis()) + 1);
                }
                spanStartCost = SpanCost.sample(infra.db(), clock.millis());
                LOG.info(
                        "freshness: measuring {} minute(s) from {} to {} (producer clock)",
                        minutes,
                        Instant.ofEpochMilli(spanStart),
                        Instant.ofEpochMilli(end));
                boolean[][] done = new boolean[polled.size()][minutes];
                int remaining = polled.size() * minutes;
                long deadline = end + f.completionTimeout().toMillis();
                while (remaining > 0) {
                    long roundStart = clock.millis();
                    if (spanEndCost == null && roundStart >= end) {
                        spanEndCost = SpanCost.sample(infra.db(), roundStart);
                    }
                    nextCheck = check(live, producerFailure, clock, nextCheck);
                    int before = observations.size();
                    poller.round(observations);
                    for (Observation o : observations.subList(before, observations.size())) {
                        long minuteEnd = firstMinute + (o.minute() + 1) * MINUTE_MS;
                        if (!done[o.pair()][o.minute()]
                                && !o.partial()
                                && o.isFinal()
                                && o.atMs() >= minuteEnd
                                && o.count() == ledger.count(o.pair(), o.minute())) {
                            done[o.pair()][o.minute()] = true;
                            remaining--;
                        }
                    }
                    if (remaining > 0 && clock.millis() > deadline) {
                        timedOut = true;
                        LOG.warn(
                                "freshness: {} pair-minute(s) not complete {} after the span",
                                remaining,
                                f.completionTimeout());
                        break;
                    }
                    long sleep = roundStart + pollMs - clock.millis();
                    if (sleep > 0) {
                        TimeUnit.MILLISECONDS.sleep(sleep);
                    }
                }
            } finally {
                runner.stop();
                producer.join(PRODUCER_STOP_TIMEOUT.toMillis());
            }
            if (producerFailure.get() != null) {
                throw new IllegalStateException(
                        "the freshness producer failed", producerFailure.get());
            }
            if (producer.isAlive()) {
                throw new IllegalStateException(
                        "the freshness producer did not stop in " + PRODUCER_STOP_TIMEOUT);
            }
        }
        if (observations.isEmpty()) {
            throw new IllegalStateException(
                    "the API answered no poll successfully; first failure: "
                            + poller.firstFailure());
        }
        return new Run(
                ledger,
                observations,
                spanStart,
                end,
                firstMinute,
                minutes,
                polled.size(),
                timedOut,
                producerStats.get(),
                poller.requestsSent(),
                poller.failures(),
                poller.firstFailure(),
                spanStartCost,
                spanEndCost);
    }

    /** Fails fast when the job or the producer has stopped; returns when to check again. */
    private static long check(
            LiveJob live, AtomicReference<Throwable> producerFailure, Clock clock, long nextCheck) {
        if (producerFailure.get() != null) {
            throw new IllegalStateException("the freshness producer failed", producerFailure.get());
        }
        long now = clock.millis();
        if (now < nextCheck) {
            return nextCheck;
        }
        live.requireRunning();
        return now + 5_000;
    }

    /** Sum of the five counters of all pairs for the measured minutes, over all shards. */
    static long databaseTotal(ShardDatabases databases, Run run) throws SQLException {
        long total = 0;
        for (int shard = 0; shard < databases.shards().size(); shard++) {
            try (Connection c = databases.connect(shard);
                    PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT COALESCE(SUM(successes + retried + discarded + expired"
                                            + " + filtered), 0) FROM delivery_metrics_minute"
                                            + " WHERE bucket_start >= ? AND bucket_start < ?")) {
                ps.setObject(1, MetricRows.toDateTime(Instant.ofEpochMilli(run.firstMinuteMs())));
                ps.setObject(
                        2,
                        MetricRows.toDateTime(
                                Instant.ofEpochMilli(
                                        run.firstMinuteMs() + run.minutes() * MINUTE_MS)));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total += rs.getLong(1);
                }
            }
        }
        return total;
    }

    /** The attempts the producer had acknowledged for the measured minutes, over all pairs. */
    static long acknowledgedTotal(Run run) {
        long total = 0;
        for (int m = 0; m < run.minutes(); m++) {
            total += run.ledger().minuteTotal(run.firstMinuteMs() + m * MINUTE_MS);
        }
        return total;
    }

    /** The pairs as a Markdown list of keys with their shards. */
    static String describe(List<PairKey> pairs, ShardRouter router) {
        List<String> out = new ArrayList<>();
        for (PairKey p : pairs) {
            out.add("`" + p.kafkaKey() + "` on shard " + router.shardOf(p.workspaceId()));
        }
        return String.join(", ", out);
    }

    /** A number without a fraction when it has none ({@code 5}, {@code 0.5}). */
    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static long ceilMinute(long ms) {
        return Math.floorDiv(ms + MINUTE_MS - 1, MINUTE_MS) * MINUTE_MS;
    }
}
