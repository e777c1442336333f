package io.deliverymetrics.bench.freshness;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.ApiServer;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.FreshnessSettings;
import io.deliverymetrics.bench.freshness.ApiPoller.Observation;
import io.deliverymetrics.bench.internal.ControlDatabase;
import io.deliverymetrics.bench.internal.Directories;
import io.deliverymetrics.bench.internal.Histograms;
import io.deliverymetrics.bench.internal.ShardDatabases;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.bench.streaming.internal.LiveJob;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.flink.config.JobConfig;
import io.deliverymetrics.loadgen.LoadRunner;
import io.deliverymetrics.loadgen.RunStats;
import io.deliverymetrics.loadgen.config.KafkaSinkConfig;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.generator.LoadGenerator;
import io.deliverymetrics.loadgen.model.Pair;
import io.deliverymetrics.loadgen.sink.KafkaLoadSink;
import io.deliverymetrics.sql.MetricRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 5: freshness at a steady real-time load. loadgen produces on the wall clock while the
 * production job runs live on a local MiniCluster and the API server serves its rows; a poller
 * reads the per-pair minute series of the most popular pairs over HTTP. Measured, for the minutes
 * of the measured span: how long after its {@code completed_at} an attempt is counted in the API's
 * (partial) minute, and how long after a minute ends the API shows its exact total and then reports
 * it complete ({@code partial=false}).
 */
public final class FreshnessBench {

    private static final Logger LOG = LoggerFactory.getLogger(FreshnessBench.class);
    private static final int SHARDS = 2;
    private static final long MINUTE_MS = 60_000;
    private static final long SEED = 2027;

    /** Events of the simulated run that measures attempt records per event: at most this. */
    private static final int CALIBRATION_EVENTS = 200_000;

    private static final Duration PRODUCER_STOP_TIMEOUT = Duration.ofMinutes(1);
    private static final DateTimeFormatter HH_MM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private final BenchConfig config;
    private final BenchInfra infra;

    public FreshnessBench(BenchConfig config, BenchInfra infra) {
        this.config = config;
        this.infra = infra;
    }

    public Section run() throws Exception {
        FreshnessSettings f = config.freshness();
        String topic = infra.names().topic("bench-freshness");
        infra.kafka().createTopic(topic, config.partitions());
        infra.kafka().createTopic(topic + "-dead-letter", 1);
        infra.kafka().createTopic(topic + "-late", 1);
        ShardDatabases databases =
                ShardDatabases.create(infra.db(), infra.names(), "bench_fresh_shard", SHARDS);
        Map<String, String> apiSettings = new HashMap<>(databases.settings());
        apiSettings.putAll(ControlDatabase.create(infra, "bench_fresh_control"));
        apiSettings.put("server.host", "127.0.0.1");
        apiSettings.put("server.port", "0");
        apiSettings.put("admin.port", "0");
        apiSettings.put("server.migrate-on-start", "false");
        apiSettings.put("auth.enabled", "true");
        apiSettings.put("rate-limit.enabled", "false");

        LoadSpec base = spec(f, f.attemptsPerSecond());
        double recordsPerEvent = recordsPerEvent(base);
        double eventsPerSecond = f.attemptsPerSecond() / recordsPerEvent;
        ShardRouter router = new ShardRouter(databases.shards());
        List<PairKey> polled = polledPairs(base, router, f);
        Path checkpoints = Files.createTempDirectory("bench-freshness-checkpoints-");
        JobConfig job = LiveJob.config(infra, databases, topic, checkpoints, f.jobOverrides());
        LOG.info(
                "freshness: {} attempts/s ({} events/s x {} records/event) over {} pairs,"
                        + " polling {}",
                Math.round(f.attemptsPerSecond()),
                Math.round(eventsPerSecond),
                String.format("%.3f", recordsPerEvent),
                f.pairs(),
                polled);
        try (LiveJob live = LiveJob.start(job, config.parallelism(), false);
                ApiServer api = ApiServer.create(ApiConfig.withOverrides(apiSettings)).start()) {
            List<String> tokens = tokens(apiSettings, polled);
            Run run =
                    measure(
                            f,
                            live,
                            "http://127.0.0.1:" + api.port(),
                            polled,
                            tokens,
                            base.toBuilder()
                                    .withRealtime(true)
                                    .withRate(eventsPerSecond)
                                    .withDuration(
                                            f.warmup()
                                                    .plus(f.measured())
                                                    .plus(f.completionTimeout())
                                                    .plus(Duration.ofMinutes(5)))
                                    .build(),
                            topic);
            long dbTotal = run.timedOut() ? -1 : databaseTotal(databases, run);
            return section(f, job, run, dbTotal, eventsPerSecond, recordsPerEvent, polled, router);
        } finally {
            Directories.deleteQuietly(checkpoints);
        }
    }

    /** Everything one run observed. */
    private record Run(
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
            String firstPollFailure) {}

    private Run measure(
            FreshnessSettings f,
            LiveJob live,
            String baseUrl,
            List<PairKey> polled,
            List<String> tokens,
            LoadSpec spec,
            String topic)
            throws Exception {
        long measuredMs = f.measured().toMillis();
        long leadMs = f.warmup().toMillis() + measuredMs;
        long now = System.currentTimeMillis();
        // The producer's clock: the wall clock shifted so that the measured span ends on a minute
        // boundary, with 1 s to set the producer up. Every time is taken on this clock.
        long end = ceilMinute(now + leadMs + 1_000);
        long start = end - leadMs;
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(start - now));
        long spanStart = end - measuredMs;
        long firstMinute = Math.floorDiv(spanStart, MINUTE_MS) * MINUTE_MS;
        int minutes = (int) ((end - firstMinute) / MINUTE_MS);

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
        try (KafkaLoadSink sink =
                KafkaLoadSink.create(
                        KafkaSinkConfig.of(infra.kafka().bootstrapServers(), topic), ledger)) {
            LoadRunner runner = new LoadRunner(spec, sink).withClock(clock);
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
                poller.firstFailure());
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

    /** Per-minute and per-attempt figures from the observations and the ledger. */
    private Section section(
            FreshnessSettings f,
            JobConfig job,
            Run run,
            long dbTotal,
            double eventsPerSecond,
            double recordsPerEvent,
            List<PairKey> polled,
            ShardRouter router) {
        // Every distribution in milliseconds. A time before the minute's end (an exact total seen
        // while the minute is still open) counts as 0.
        Histogram visible = Histograms.create();
        Histogram[] visibleByMinute = new Histogram[run.minutes()];
        for (int m = 0; m < run.minutes(); m++) {
            visibleByMinute[m] = Histograms.create();
        }
        Histogram finalCount = Histograms.create();
        Histogram complete = Histograms.create();
        Histogram finalThrough = Histograms.create();
        long prematureFinal = 0;
        long notFinal = 0;
        Map<Integer, List<Double>> finalByMinute = new LinkedHashMap<>();
        Map<Integer, List<Double>> completeByMinute = new LinkedHashMap<>();
        long notVisible = 0;
        long decreases = 0;
        long prematureComplete = 0;
        long overCount = 0;
        long incomplete = 0;
        long polledAttempts = 0;
        Map<Long, List<Observation>> byPairMinute = new HashMap<>();
        for (Observation o : run.observations()) {
            byPairMinute
                    .computeIfAbsent(
                            (long) o.pair() * run.minutes() + o.minute(), k -> new ArrayList<>())
                    .add(o);
        }
        for (int p = 0; p < run.pairs(); p++) {
            for (int m = 0; m < run.minutes(); m++) {
                long minuteStart = run.firstMinuteMs() + m * MINUTE_MS;
                long minuteEnd = minuteStart + MINUTE_MS;
                int[] offsets = run.ledger().offsets(p, m);
                int total = offsets.length;
                int covered = 0;
                long last = -1;
                long exactAt = -1;
                long completeAt = -1;
                long finalAt = -1;
                for (Observation o :
                        byPairMinute.getOrDefault((long) p * run.minutes() + m, List.of())) {
                    if (o.count() < last) {
                        decreases++;
                    }
                    last = o.count();
                    if (o.count() > total) {
                        overCount++;
                    }
                    int c = (int) Math.min(o.count(), total);
                    for (int k = covered; k < c; k++) {
                        long completedAt = minuteStart + offsets[k];
                        if (completedAt >= run.spanStartMs() && completedAt < run.spanEndMs()) {
                            long ms = Math.max(0, o.atMs() - completedAt);
                            visible.recordValue(ms);
                            visibleByMinute[m].recordValue(ms);
                        }
                    }
                    covered = Math.max(covered, c);
                    if (exactAt < 0 && o.count() == total) {
                        exactAt = o.atMs();
                    }
                    if (finalAt < 0 && o.isFinal()) {
                        if (o.count() == total && !o.partial()) {
                            finalAt = o.atMs();
                        } else {
                            prematureFinal++;
                        }
                    }
                    if (completeAt < 0 && !o.partial()) {
                        if (o.count() == total) {
                            completeAt = o.atMs();
                        } else {
                            prematureComplete++;
                        }
                    }
                }
                for (int k = 0; k < total; k++) {
                    long completedAt = minuteStart + offsets[k];
                    if (completedAt >= run.spanStartMs() && completedAt < run.spanEndMs()) {
                        polledAttempts++;
                        if (k >= covered) {
                            notVisible++;
                        }
                    }
                }
                if (exactAt >= 0) {
                    long ms = Math.max(0, exactAt - minuteEnd);
                    finalCount.recordValue(ms);
                    finalByMinute.computeIfAbsent(m, k -> new ArrayList<>()).add(ms / 1e3);
                }
                if (finalAt >= 0) {
                    finalThrough.recordValue(Math.max(0, finalAt - minuteEnd));
                } else {
                    notFinal++;
                }
                if (completeAt >= 0) {
                    long ms = Math.max(0, completeAt - minuteEnd);
                    complete.recordValue(ms);
                    completeByMinute.computeIfAbsent(m, k -> new ArrayList<>()).add(ms / 1e3);
                } else {
                    incomplete++;
                }
            }
        }
        long expectedDb = 0;
        for (int m = 0; m < run.minutes(); m++) {
            expectedDb += run.ledger().minuteTotal(run.firstMinuteMs() + m * MINUTE_MS);
        }
        boolean exact =
                !run.timedOut()
                        && incomplete == 0
                        && prematureComplete == 0
                        && prematureFinal == 0
                        && notFinal == 0
                        && overCount == 0
                        && notVisible == 0
                        && dbTotal == expectedDb;

        String visibleName = "visible: completed_at → counted in the API's partial minute";
        String finalName = "exact total: minute end → API shows the minute's exact total";
        String completeName = "complete: minute end → API shows the minute partial=false, exact";
        String finalThroughName = "final: minute end → the API's final_through passes the minute";
        double spanSeconds = (run.spanEndMs() - run.spanStartMs()) / 1e3;
        double reached = run.ledger().ackedDuringSpan() / spanSeconds;
        List<Figure> figures = new ArrayList<>();
        if (visible.getTotalCount() > 0) {
            figures.add(Figure.cost(visibleName + " · p50", "s", List.of(seconds(visible, 50))));
            figures.add(Figure.cost(visibleName + " · p99", "s", List.of(seconds(visible, 99))));
            figures.add(Figure.cost(visibleName + " · max", "s", List.of(seconds(visible, 100))));
        }
        if (finalCount.getTotalCount() > 0) {
            figures.add(Figure.cost(finalName + " · p50", "s", List.of(seconds(finalCount, 50))));
            figures.add(Figure.cost(finalName + " · p99", "s", List.of(seconds(finalCount, 99))));
            figures.add(Figure.cost(finalName + " · max", "s", List.of(seconds(finalCount, 100))));
        }
        Figure completeP99 = null;
        if (complete.getTotalCount() > 0) {
            figures.add(Figure.cost(completeName + " · p50", "s", List.of(seconds(complete, 50))));
            completeP99 = Figure.cost(completeName + " · p99", "s", List.of(seconds(complete, 99)));
            figures.add(completeP99);
            figures.add(Figure.cost(completeName + " · max", "s", List.of(seconds(complete, 100))));
        }
        if (finalThrough.getTotalCount() > 0) {
            figures.add(
                    Figure.cost(
                            finalThroughName + " · p50", "s", List.of(seconds(finalThrough, 50))));
            figures.add(
                    Figure.cost(
                            finalThroughName + " · p99", "s", List.of(seconds(finalThrough, 99))));
        }
        Figure rate =
                Figure.rate(
                        "producer: attempts acknowledged per second during the measured span",
                        "attempts/s",
                        List.of(reached));
        figures.add(rate);
        Histogram lag = run.ledger().producerLag().copy();
        if (lag.getTotalCount() > 0) {
            figures.add(
                    Figure.cost(
                            "producer lag: completed_at → acknowledged by the broker · p99",
                            "s",
                            List.of(seconds(lag, 99))));
        }

        List<Ratio> ratios = new ArrayList<>();
        double goalSeconds = f.goalCompleteP99().toMillis() / 1e3;
        if (completeP99 != null) {
            ratios.add(
                    new Ratio(
                            String.format(
                                    "freshness: complete minute p99 / goal (%s s)",
                                    trim(goalSeconds)),
                            completeP99,
                            Figure.cost("goal", "s", List.of(goalSeconds))));
        }
        ratios.add(
                new Ratio(
                        String.format(
                                "freshness: producer rate reached / target (%,.0f attempts/s)",
                                f.attemptsPerSecond()),
                        rate,
                        Figure.rate("target", "attempts/s", List.of(f.attemptsPerSecond()))));

        double floorSeconds =
                (job.outOfOrderness().toMillis() + job.allowedLateness().toMillis()) / 1e3;
        List<String> notes = new ArrayList<>();
        if (completeP99 != null) {
            boolean met = completeP99.median() <= goalSeconds;
            notes.add(
                    String.format(
                            "Goal: complete minute visible p99 ≤ %s s after the minute ends — %s"
                                    + " (p99 %.1f s). A minute is complete once the job's"
                                    + " watermark has passed its end (complete_through = the"
                                    + " minute floor of watermark + 1 ms), and the watermark"
                                    + " trails the newest completed_at by the out-of-orderness"
                                    + " (%s s), so no minute can be complete before %s s after"
                                    + " its end; the rest is the periodic watermark, the sink's"
                                    + " flush interval (%s s) and one poll round. The exact total"
                                    + " itself is visible earlier (exact total p99 %.1f s). A"
                                    + " minute is final (final_through, after which not even a"
                                    + " late record changes it) once the allowed lateness (%s s)"
                                    + " has passed too: no earlier than %s s after its end"
                                    + " (final p99 %.1f s).",
                            trim(goalSeconds),
                            met ? "met" : "NOT met",
                            completeP99.median(),
                            trim(job.outOfOrderness().toMillis() / 1e3),
                            trim(job.outOfOrderness().toMillis() / 1e3),
                            trim(job.sinkFlushInterval().toMillis() / 1e3),
                            seconds(finalCount, 99),
                            trim(job.allowedLateness().toMillis() / 1e3),
                            trim(floorSeconds),
                            seconds(finalThrough, 99)));
        }
        notes.add(
                String.format(
                        "Rate: the producer aimed at %,.0f attempts/s and had %,.0f acknowledged"
                                + " per second during the measured span (%s of the target;"
                                + " attempts completed in the span: %,.0f/s, the generator's"
                                + " own rate, a little below the target while the retry"
                                + " chains of the first events are still ramping up);"
                                + " producer lag (completed_at → broker acknowledgement) p50"
                                + " %.3f s, p99 %.3f s, max %.3f s over the span's attempts —"
                                + " part of every latency above.",
                        f.attemptsPerSecond(),
                        reached,
                        String.format("%.1f %%", 100 * reached / f.attemptsPerSecond()),
                        run.ledger().completedInSpan() / spanSeconds,
                        seconds(lag, 50),
                        seconds(lag, 99),
                        seconds(lag, 100)));
        notes.add(
                String.format(
                        "%s: the polled pairs' API counts %s; the database rows of all pairs for"
                                + " the measured minute(s) add up to %s attempts, the producer"
                                + " had %,d acknowledged.",
                        exact ? "Exact" : "NOT exact",
                        run.timedOut()
                                ? "did not all reach partial=false and final in time"
                                : String.format(
                                        "reached partial=false with exactly the acknowledged"
                                                + " total in %d of %d pair-minutes (%d"
                                                + " partial=false observations with a different"
                                                + " count; final in %d, %d final observations"
                                                + " with a different count or partial; %d counts"
                                                + " above the acknowledged"
                                                + " total, %d counts that went down, %d"
                                                + " attempts never seen)",
                                        run.pairs() * run.minutes() - incomplete,
                                        run.pairs() * run.minutes(),
                                        prematureComplete,
                                        run.pairs() * run.minutes() - notFinal,
                                        prematureFinal,
                                        overCount,
                                        decreases,
                                        notVisible),
                        dbTotal < 0 ? "(not checked)" : String.format("%,d", dbTotal),
                        expectedDb));
        notes.add(
                String.format(
                        "Samples: visible — %,d attempts of the %d polled pairs completed in the"
                                + " measured span (%.1f %% of the span's attempts); exact total,"
                                + " complete and final — %d pair-minutes. %,d API requests (%,d"
                                + " failed%s).",
                        visible.getTotalCount(),
                        run.pairs(),
                        100.0 * polledAttempts / Math.max(1, run.ledger().completedInSpan()),
                        run.pairs() * run.minutes(),
                        run.pollRequests(),
                        run.pollFailures(),
                        run.firstPollFailure() == null
                                ? ""
                                : "; first: " + run.firstPollFailure()));
        for (int m = 0; m < run.minutes(); m++) {
            long minuteStart = run.firstMinuteMs() + m * MINUTE_MS;
            List<Double> fin = finalByMinute.getOrDefault(m, List.of());
            List<Double> com = completeByMinute.getOrDefault(m, List.of());
            notes.add(
                    String.format(
                            "Minute %s (producer clock): %,d attempts acknowledged over all pairs;"
                                    + " polled pairs' attempts visible after p50 %s s, p99 %s s;"
                                    + " their exact total visible %s s and complete %s s after"
                                    + " the minute's end.",
                            HH_MM.format(Instant.ofEpochMilli(minuteStart)),
                            run.ledger().minuteTotal(minuteStart),
                            fmt(seconds(visibleByMinute[m], 50)),
                            fmt(seconds(visibleByMinute[m], 99)),
                            range(fin),
                            range(com)));
        }
        if (run.producer() != null) {
            notes.add("Producer (loadgen) at the end: " + run.producer().toLine() + ".");
        }

        String setup =
                String.format(
                        "Real-time load aimed at a steady %,.0f attempts/s: loadgen in wall-clock"
                                + " mode (`LoadRunner` + `KafkaLoadSink`, acks=all, seed %d, Zipf"
                                + " 1.1 over %,d pairs in %d workspaces, %,.0f events/s × %.3f"
                                + " attempt records per event as measured on the same spec, no"
                                + " out-of-order, late or malformed records, ISO-8601"
                                + " timestamps) into a %d-partition topic. completed_at is the"
                                + " producer's clock: the wall clock shifted by a constant"
                                + " (< 61 s) so that the measured span ends on a minute boundary"
                                + " without waiting for one; every time here is taken on that"
                                + " clock, so the shift cancels. The production job"
                                + " (`DeliveryMetricsJob.build` with the Kafka source and shard"
                                + " JDBC sinks; parallelism %d, out-of-orderness %s s, allowed"
                                + " lateness %s s, early firings every %s s, sink flush every %s"
                                + " s or %,d rows, checkpoints every %s s to a local directory,"
                                + " heap state backend) runs live on a MiniCluster in the bench"
                                + " JVM and writes to %d shards; the API server runs in the same"
                                + " JVM (token auth on, rate limits off); broker and database"
                                + " are their own processes on the same machine. After %s s of"
                                + " warm-up, %s s are measured (%d minute(s)). A poller reads"
                                + " the per-pair minute series (`granularity=minute`) of the %d"
                                + " most popular pairs (%s) every %d ms."
                                + " **Visible**: for each attempt of a polled pair completed in"
                                + " the measured span, the arrival of the first response whose"
                                + " count covers it minus its completed_at (the producer keeps,"
                                + " per pair and minute, the completed_at of each acknowledged"
                                + " attempt in send order; one pair is one Kafka key, so the job"
                                + " counts them in that order) — an upper bound, late by at most"
                                + " one poll round. **Exact total**: minute end → first response"
                                + " showing the minute's exact total (still partial)."
                                + " **Complete**: minute end → first response with"
                                + " `partial=false` and the exact total; the API marks a bucket"
                                + " partial while it ends after its shard's `complete_through`."
                                + " **Final**: minute end → first response whose"
                                + " `final_through` has passed the minute."
                                + " One run.",
                        f.attemptsPerSecond(),
                        SEED,
                        f.pairs(),
                        workspaces(f),
                        eventsPerSecond,
                        recordsPerEvent,
                        config.partitions(),
                        config.parallelism(),
                        trim(job.outOfOrderness().toMillis() / 1e3),
                        trim(job.allowedLateness().toMillis() / 1e3),
                        trim(job.earlyFiringInterval().toMillis() / 1e3),
                        trim(job.sinkFlushInterval().toMillis() / 1e3),
                        job.sinkBatchSize(),
                        trim(job.checkpointInterval().toMillis() / 1e3),
                        SHARDS,
                        trim(f.warmup().toMillis() / 1e3),
                        trim(f.measured().toMillis() / 1e3),
                        run.minutes(),
                        run.pairs(),
                        describe(polled, router),
                        f.pollInterval().toMillis());
        if (!f.jobOverrides().isEmpty()) {
            setup +=
                    " Job settings changed from the production defaults for this run: "
                            + f.jobOverrides()
                            + ".";
        }
        LOG.info(
                "freshness: visible p50 {} s p99 {} s; exact total p99 {} s; complete p50 {} s"
                        + " p99 {} s; final p99 {} s; {} attempts/s reached; {}",
                fmt(seconds(visible, 50)),
                fmt(seconds(visible, 99)),
                fmt(seconds(finalCount, 99)),
                fmt(seconds(complete, 50)),
                fmt(seconds(complete, 99)),
                fmt(seconds(finalThrough, 99)),
                Math.round(reached),
                exact ? "exact" : "NOT exact");
        return new Section("5. Freshness", setup, figures, ratios, notes);
    }

    /** Sum of the five counters of all pairs for the measured minutes, over all shards. */
    private static long databaseTotal(ShardDatabases databases, Run run) throws SQLException {
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

    private static LoadSpec spec(FreshnessSettings f, double eventsPerSecond) {
        return LoadSpec.builder()
                .withSeed(SEED)
                .withRate(eventsPerSecond)
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

    /** 100 pairs per workspace, but at least 10 workspaces (so both shards get some). */
    private static int workspaces(FreshnessSettings f) {
        return Math.min(f.pairs(), Math.max(10, f.pairs() / 100));
    }

    /** Attempt records per event of this spec, counted on a simulated run of it. */
    private static double recordsPerEvent(LoadSpec spec) {
        LoadGenerator g = LoadGenerator.create(spec);
        long records = 0;
        while (g.hasNext()) {
            g.next();
            records++;
        }
        return (double) records / spec.eventCount();
    }

    /**
     * The most popular pairs of the load, the same number on each shard when the shards have enough
     * pairs, else topped up with the next most popular ones.
     */
    private static List<PairKey> polledPairs(
            LoadSpec spec, ShardRouter router, FreshnessSettings f) {
        int perShard = Math.max(1, f.polledPairs() / router.shardCount());
        int[] taken = new int[router.shardCount()];
        List<Pair> ranking = LoadGenerator.create(spec).catalog().pairsByPopularity();
        List<PairKey> out = new ArrayList<>();
        for (Pair p : ranking) {
            int shard = router.shardOf(p.workspaceId());
            if (taken[shard] < perShard && out.size() < f.polledPairs()) {
                taken[shard]++;
                out.add(new PairKey(p.workspaceId(), p.sourceId(), p.destinationId()));
            }
        }
        for (Pair p : ranking) {
            PairKey k = new PairKey(p.workspaceId(), p.sourceId(), p.destinationId());
            if (out.size() < f.polledPairs() && !out.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    private static List<String> tokens(Map<String, String> settings, List<PairKey> pairs) {
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

    private static String describe(List<PairKey> pairs, ShardRouter router) {
        List<String> out = new ArrayList<>();
        for (PairKey p : pairs) {
            out.add("`" + p.kafkaKey() + "` on shard " + router.shardOf(p.workspaceId()));
        }
        return String.join(", ", out);
    }

    private static long ceilMinute(long ms) {
        return Math.floorDiv(ms + MINUTE_MS - 1, MINUTE_MS) * MINUTE_MS;
    }

    /**
     * The value at {@code percentile} (0–100) of a histogram of milliseconds, in seconds; NaN when
     * it is empty.
     */
    private static double seconds(Histogram millis, double percentile) {
        return Histograms.at(millis, percentile) / 1e3;
    }

    private static String range(List<Double> values) {
        if (values.isEmpty()) {
            return "(never)";
        }
        String min = fmt(Collections.min(values));
        String max = fmt(Collections.max(values));
        return min.equals(max) ? min : min + "–" + max;
    }

    private static String fmt(double v) {
        return String.format("%.1f", v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
