package io.deliverymetrics.bench.freshness;

import io.deliverymetrics.api.ApiServer;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.FreshnessSettings;
import io.deliverymetrics.bench.freshness.ApiPoller.Observation;
import io.deliverymetrics.bench.freshness.LiveFreshness.Run;
import io.deliverymetrics.bench.internal.Directories;
import io.deliverymetrics.bench.internal.Histograms;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.bench.streaming.internal.LiveJob;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.flink.config.JobConfig;
import io.deliverymetrics.loadgen.config.LoadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private static final long MINUTE_MS = LiveFreshness.MINUTE_MS;
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
        LiveFreshness.Setup setup = LiveFreshness.prepare(infra, "freshness", config.partitions());
        LoadSpec base = LiveFreshness.spec(f);
        double recordsPerEvent = LiveFreshness.calibrate(base).recordsPerEvent();
        double eventsPerSecond = f.attemptsPerSecond() / recordsPerEvent;
        ShardRouter router = setup.router();
        List<PairKey> polled = LiveFreshness.polledPairs(base, router, f.polledPairs(), p -> true);
        Path checkpoints = Files.createTempDirectory("bench-freshness-checkpoints-");
        JobConfig job =
                LiveJob.config(
                        infra, setup.databases(), setup.topic(), checkpoints, f.jobOverrides());
        LOG.info(
                "freshness: {} attempts/s ({} events/s x {} records/event) over {} pairs,"
                        + " polling {}",
                Math.round(f.attemptsPerSecond()),
                Math.round(eventsPerSecond),
                String.format("%.3f", recordsPerEvent),
                f.pairs(),
                polled);
        try (LiveJob live = LiveJob.start(job, config.parallelism(), false);
                ApiServer api =
                        ApiServer.create(ApiConfig.withOverrides(setup.apiSettings())).start()) {
            List<String> tokens = LiveFreshness.tokens(setup.apiSettings(), polled);
            Run run =
                    LiveFreshness.measure(
                            infra,
                            f,
                            LiveFreshness.Timeline.of(f.warmup(), f.measured()),
                            live,
                            "http://127.0.0.1:" + api.port(),
                            polled,
                            tokens,
                            LiveFreshness.realtime(base, f, eventsPerSecond).build(),
                            setup.topic());
            long dbTotal =
                    run.timedOut() ? -1 : LiveFreshness.databaseTotal(setup.databases(), run);
            return section(f, job, run, dbTotal, eventsPerSecond, recordsPerEvent, polled, router);
        } finally {
            Directories.deleteQuietly(checkpoints);
        }
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
        long expectedDb = LiveFreshness.acknowledgedTotal(run);
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
        Figure visibleP99 = null;
        if (visible.getTotalCount() > 0) {
            figures.add(Figure.cost(visibleName + " · p50", "s", List.of(seconds(visible, 50))));
            visibleP99 = Figure.cost(visibleName + " · p99", "s", List.of(seconds(visible, 99)));
            figures.add(visibleP99);
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

        SpanCost c0 = run.spanStartCost();
        SpanCost c1 = run.spanEndCost();
        if (c0 != null && c1 != null) {
            double cores = c1.busyCoresSince(c0);
            figures.add(
                    Figure.cost(
                            "machine CPU busy during the measured span (job, broker, database,"
                                    + " API, producer)",
                            "cores",
                            List.of(cores)));
            figures.add(
                    Figure.cost(
                            "machine CPU per acknowledged attempt during the measured span",
                            "µs",
                            List.of(cores / reached * 1e6)));
            double rows = c1.rowWritesPerSecondSince(c0);
            if (Double.isFinite(rows)) {
                figures.add(
                        Figure.cost(
                                "database row operations (Handler_write + Handler_update +"
                                        + " Handler_delete)",
                                "rows/s",
                                List.of(rows)));
                figures.add(
                        Figure.cost(
                                "database commits",
                                "commits/s",
                                List.of(c1.commitsPerSecondSince(c0))));
            }
        }

        List<Ratio> ratios = new ArrayList<>();
        double outOfOrdernessSeconds = job.outOfOrderness().toMillis() / 1e3;
        double visibleGoalSeconds = f.goalVisibleP99().toMillis() / 1e3;
        double goalSeconds =
                outOfOrdernessSeconds + f.goalCompleteAfterOutOfOrderness().toMillis() / 1e3;
        if (visibleP99 != null) {
            ratios.add(
                    new Ratio(
                            String.format(
                                    "freshness: attempt in the partial minute p99 / goal (%s s)",
                                    LiveFreshness.trim(visibleGoalSeconds)),
                            visibleP99,
                            Figure.cost("goal", "s", List.of(visibleGoalSeconds))));
        }
        if (completeP99 != null) {
            ratios.add(
                    new Ratio(
                            String.format(
                                    "freshness: complete minute p99 / goal (out-of-orderness +"
                                            + " %s s = %s s)",
                                    LiveFreshness.trim(
                                            f.goalCompleteAfterOutOfOrderness().toMillis() / 1e3),
                                    LiveFreshness.trim(goalSeconds)),
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
        if (visibleP99 != null) {
            notes.add(
                    String.format(
                            "Goal: an attempt counted in the API's partial minute p99 ≤ %s s after"
                                    + " its completed_at — %s (p99 %.1f s). It waits for the"
                                    + " source's pre-aggregation (≤ %s s), the window's next early"
                                    + " firing (≤ %s s after the first new partial), the sink's"
                                    + " flush (≤ %s s) and one poll round.",
                            LiveFreshness.trim(visibleGoalSeconds),
                            visibleP99.median() <= visibleGoalSeconds ? "met" : "NOT met",
                            visibleP99.median(),
                            LiveFreshness.trim(job.preAggregateFlushInterval().toMillis() / 1e3),
                            LiveFreshness.trim(job.earlyFiringInterval().toMillis() / 1e3),
                            LiveFreshness.trim(job.sinkFlushInterval().toMillis() / 1e3)));
        }
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
                                    + " write (it commits as soon as its watermark ends a"
                                    + " minute) and one poll round. The exact total itself is"
                                    + " visible earlier (exact total p99 %.1f s). A minute is"
                                    + " final (final_through, after which not even a late record"
                                    + " changes it) once the allowed lateness (%s s) has passed"
                                    + " too: no earlier than %s s after its end (final p99 %.1f"
                                    + " s).",
                            LiveFreshness.trim(goalSeconds),
                            met ? "met" : "NOT met",
                            completeP99.median(),
                            LiveFreshness.trim(outOfOrdernessSeconds),
                            LiveFreshness.trim(outOfOrdernessSeconds),
                            seconds(finalCount, 99),
                            LiveFreshness.trim(job.allowedLateness().toMillis() / 1e3),
                            LiveFreshness.trim(floorSeconds),
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
                                + " lateness %s s, pre-aggregation flushed every %s s, early"
                                + " firings every %s s, sink flush every %s s or %,d rows and"
                                + " when its watermark ends a minute, checkpoints every %s s to"
                                + " a local directory, machine CPU and the database's row"
                                + " operations and commits sampled at the measured span's start and"
                                + " end,"
                                + " %s state backend) runs live on a MiniCluster in the bench"
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
                        LiveFreshness.SEED,
                        f.pairs(),
                        LiveFreshness.workspaces(f),
                        eventsPerSecond,
                        recordsPerEvent,
                        config.partitions(),
                        config.parallelism(),
                        LiveFreshness.trim(job.outOfOrderness().toMillis() / 1e3),
                        LiveFreshness.trim(job.allowedLateness().toMillis() / 1e3),
                        LiveFreshness.trim(job.preAggregateFlushInterval().toMillis() / 1e3),
                        LiveFreshness.trim(job.earlyFiringInterval().toMillis() / 1e3),
                        LiveFreshness.trim(job.sinkFlushInterval().toMillis() / 1e3),
                        job.sinkBatchSize(),
                        LiveFreshness.trim(job.checkpointInterval().toMillis() / 1e3),
                        "rocksdb".equals(job.stateBackend())
                                ? "RocksDB"
                                        + ("true".equals(job.incrementalCheckpoints())
                                                ? " (incremental checkpoints)"
                                                : "")
                                : "heap",
                        LiveFreshness.SHARDS,
                        LiveFreshness.trim(f.warmup().toMillis() / 1e3),
                        LiveFreshness.trim(f.measured().toMillis() / 1e3),
                        run.minutes(),
                        run.pairs(),
                        LiveFreshness.describe(polled, router),
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
}
