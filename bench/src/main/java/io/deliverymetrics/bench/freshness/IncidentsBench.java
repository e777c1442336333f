package io.deliverymetrics.bench.freshness;

import io.deliverymetrics.api.ApiServer;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.FreshnessSettings;
import io.deliverymetrics.bench.config.IncidentSettings;
import io.deliverymetrics.bench.freshness.LiveFreshness.Calibration;
import io.deliverymetrics.bench.freshness.LiveFreshness.Run;
import io.deliverymetrics.bench.freshness.LiveFreshness.Timeline;
import io.deliverymetrics.bench.internal.ConsumerLag;
import io.deliverymetrics.bench.internal.Directories;
import io.deliverymetrics.bench.internal.Histograms;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.bench.streaming.internal.LiveJob;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.flink.config.JobConfig;
import io.deliverymetrics.loadgen.config.Incident;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.generator.LoadGenerator;
import io.deliverymetrics.loadgen.generator.PairCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 10: whether one customer's spike or one broken destination type hurts anyone else. The
 * freshness benchmark's steady real-time load runs through the live job; then one workspace sends
 * many times its events (loadgen's {@code workspace-surge}) and later one destination type fails
 * every attempt, each event retried ten times ({@code type-failing}). Measured from the other
 * workspaces' side: how long after a minute ends the API shows it complete, during each incident
 * against the steady state, and the job's backlog (consumer lag) meanwhile.
 */
public final class IncidentsBench {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentsBench.class);
    private static final long MINUTE_MS = LiveFreshness.MINUTE_MS;
    private static final DateTimeFormatter HH_MM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private final BenchConfig config;
    private final BenchInfra infra;

    public IncidentsBench(BenchConfig config, BenchInfra infra) {
        this.config = config;
        this.infra = infra;
    }

    /** A span of the producer's clock: steady, an incident, or what follows one. */
    private record Phase(String name, long fromMs, long toMs) {

        boolean overlapsMinute(long minuteStartMs) {
            return minuteStartMs < toMs && minuteStartMs + MINUTE_MS > fromMs;
        }
    }

    /** Who the incidents hit, chosen on a simulated run of the steady load. */
    private record Targets(
            String workspace, double workspaceShare, String type, double typeShare) {}

    public Section run() throws Exception {
        IncidentSettings s = config.incidents();
        FreshnessSettings f = s.load();
        LiveFreshness.Setup setup = LiveFreshness.prepare(infra, "incidents", config.partitions());
        LoadSpec base = LiveFreshness.spec(f);
        Calibration calibration = LiveFreshness.calibrate(base);
        double eventsPerSecond = f.attemptsPerSecond() / calibration.recordsPerEvent();
        Targets targets = targets(calibration, s.failingTypeShare());
        PairCatalog catalog = LoadGenerator.create(base).catalog();
        ShardRouter router = setup.router();
        List<PairKey> polled =
                LiveFreshness.polledPairs(
                        base,
                        router,
                        f.polledPairs(),
                        p ->
                                !p.workspaceId().equals(targets.workspace())
                                        && !catalog.destinationOf(p).type().equals(targets.type()));
        Duration surgeAt = f.warmup().plus(s.steady());
        Duration failingAt = surgeAt.plus(s.surge()).plus(s.gap());
        LoadSpec spec =
                LiveFreshness.realtime(base, f, eventsPerSecond)
                        .withIncident(
                                Incident.workspaceSurge(
                                        targets.workspace(), s.surgeFactor(), surgeAt, s.surge()))
                        .withIncident(
                                Incident.ofType(
                                        Incident.Kind.TYPE_FAILING,
                                        targets.type(),
                                        failingAt,
                                        s.failing()))
                        .build();
        Path checkpoints = Files.createTempDirectory("bench-incidents-checkpoints-");
        JobConfig job =
                LiveJob.config(
                        infra, setup.databases(), setup.topic(), checkpoints, s.jobOverrides());
        LOG.info(
                "incidents: {} attempts/s over {} pairs; {} x{} for {}, then {} failing for {};"
                        + " polling {}",
                Math.round(f.attemptsPerSecond()),
                f.pairs(),
                targets.workspace(),
                LiveFreshness.trim(s.surgeFactor()),
                s.surge(),
                targets.type(),
                s.failing(),
                polled);
        Timeline timeline = Timeline.of(f.warmup(), f.measured());
        long surgeFrom = timeline.spanStartMs() + s.steady().toMillis();
        long surgeTo = surgeFrom + s.surge().toMillis();
        long failingFrom = surgeTo + s.gap().toMillis();
        long failingTo = failingFrom + s.failing().toMillis();
        List<Phase> phases =
                List.of(
                        new Phase("steady", timeline.spanStartMs(), surgeFrom),
                        new Phase("during the surge", surgeFrom, surgeTo),
                        new Phase("during the failing type", failingFrom, failingTo));
        try (LiveJob live = LiveJob.start(job, config.parallelism(), false);
                ApiServer api =
                        ApiServer.create(ApiConfig.withOverrides(setup.apiSettings())).start();
                Admin admin = infra.kafka().createAdmin();
                ConsumerLag lag =
                        ConsumerLag.start(
                                admin,
                                setup.topic(),
                                config.partitions(),
                                job.groupId(),
                                timeline.clock(),
                                s.lagInterval())) {
            Run run =
                    LiveFreshness.measure(
                            infra,
                            f,
                            timeline,
                            live,
                            "http://127.0.0.1:" + api.port(),
                            polled,
                            LiveFreshness.tokens(setup.apiSettings(), polled),
                            spec,
                            setup.topic());
            long dbTotal =
                    run.timedOut() ? -1 : LiveFreshness.databaseTotal(setup.databases(), run);
            return section(
                    s, job, run, dbTotal, phases, lag, targets, eventsPerSecond, polled, router);
        } finally {
            Directories.deleteQuietly(checkpoints);
        }
    }

    /**
     * The surging workspace: the median one by attempt records; the failing type: the one whose
     * share of the attempt records is closest to {@code typeShare}.
     */
    private static Targets targets(Calibration c, double typeShare) {
        long valid = c.recordsByWorkspace().values().stream().mapToLong(Long::longValue).sum();
        List<Map.Entry<String, Long>> workspaces =
                c.recordsByWorkspace().entrySet().stream()
                        .sorted(
                                Map.Entry.<String, Long>comparingByValue()
                                        .thenComparing(Map.Entry::getKey))
                        .toList();
        Map.Entry<String, Long> median = workspaces.get(workspaces.size() / 2);
        Map.Entry<String, Long> type =
                c.recordsByType().entrySet().stream()
                        .min(
                                Comparator.<Map.Entry<String, Long>>comparingDouble(
                                                e ->
                                                        Math.abs(
                                                                (double) e.getValue() / valid
                                                                        - typeShare))
                                        .thenComparing(Map.Entry::getKey))
                        .orElseThrow();
        return new Targets(
                median.getKey(),
                (double) median.getValue() / valid,
                type.getKey(),
                (double) type.getValue() / valid);
    }

    private Section section(
            IncidentSettings s,
            JobConfig job,
            Run run,
            long dbTotal,
            List<Phase> phases,
            ConsumerLag lag,
            Targets targets,
            double eventsPerSecond,
            List<PairKey> polled,
            ShardRouter router) {
        FreshnessSettings f = s.load();
        long deadlineMs = run.spanEndMs() + f.completionTimeout().toMillis();
        List<Figure> figures = new ArrayList<>();
        List<Ratio> ratios = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Figure[] p99 = new Figure[phases.size()];
        Figure[] rate = new Figure[phases.size()];
        long incomplete = 0;
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            List<Integer> minutes = minutesOf(run, phases, i);
            Histogram complete = Histograms.create();
            long attempts = 0;
            for (int m : minutes) {
                long minuteEnd = run.firstMinuteMs() + (m + 1) * MINUTE_MS;
                attempts += run.ledger().minuteTotal(minuteEnd - MINUTE_MS);
                for (int p = 0; p < run.pairs(); p++) {
                    long at = run.completeAtMs(p, m);
                    if (at < 0) {
                        incomplete++;
                    }
                    // A minute never complete counts with the time the poller gave up (a lower
                    // bound).
                    complete.recordValue(Math.max(0, (at < 0 ? deadlineMs : at) - minuteEnd));
                }
            }
            if (complete.getTotalCount() > 0) {
                p99[i] =
                        Figure.cost(
                                "other workspaces: complete minute p99 · " + phase.name(),
                                "s",
                                List.of(Histograms.at(complete, 99) / 1e3));
                figures.add(p99[i]);
            }
            if (attempts > 0) {
                rate[i] =
                        Figure.rate(
                                "attempts acknowledged per second · minutes " + phase.name(),
                                "attempts/s",
                                List.of(attempts / (minutes.size() * 60.0)));
                figures.add(rate[i]);
            }
            List<ConsumerLag.Sample> samples = lag.between(phase.fromMs(), phase.toMs());
            long maxRecords =
                    samples.stream().mapToLong(ConsumerLag.Sample::records).max().orElse(0);
            double maxSeconds =
                    samples.stream().mapToDouble(ConsumerLag.Sample::seconds).max().orElse(0);
            if (maxRecords > 0 && maxSeconds > 0) {
                figures.add(
                        Figure.cost(
                                "job backlog · " + phase.name() + " · max records",
                                "records",
                                List.of((double) maxRecords)));
                figures.add(
                        Figure.cost(
                                "job backlog · " + phase.name() + " · max seconds behind",
                                "s",
                                List.of(maxSeconds)));
            } else if (samples.isEmpty()) {
                notes.add(
                        String.format(
                                "Backlog %s: no sample (the job had not committed offsets for"
                                        + " every partition yet, which it does on its first"
                                        + " checkpoints).",
                                phase.name()));
            } else {
                notes.add(
                        String.format(
                                "Backlog %s: %d sample(s), none above 0.",
                                phase.name(), samples.size()));
            }
        }
        for (int i = 1; i < phases.size(); i++) {
            if (p99[i] != null && p99[0] != null) {
                Ratio r =
                        new Ratio(
                                String.format(
                                        "other workspaces' complete minute p99: %s / steady (goal ≤ %s)",
                                        phases.get(i).name(), LiveFreshness.trim(s.goalRatio())),
                                p99[i],
                                p99[0]);
                ratios.add(r);
                notes.add(
                        String.format(
                                "Goal %s: the other workspaces' complete-minute p99 %s is %.2f × the"
                                        + " steady one (%.1f s against %.1f s) — %s.",
                                phases.get(i).name(),
                                phases.get(i).name(),
                                r.value(),
                                p99[i].median(),
                                p99[0].median(),
                                r.value() <= s.goalRatio() ? "met" : "NOT met"));
            }
            if (rate[i] != null && rate[0] != null) {
                ratios.add(
                        new Ratio(
                                "attempts/s: minutes " + phases.get(i).name() + " / steady minutes",
                                rate[i],
                                rate[0]));
            }
        }
        perMinuteNotes(run, phases, lag, notes);
        long expectedDb = LiveFreshness.acknowledgedTotal(run);
        boolean exact = !run.timedOut() && incomplete == 0 && dbTotal == expectedDb;
        notes.add(
                String.format(
                        "%s: %s; the database rows of all pairs (the surging workspace's and the"
                                + " failing type's included) for the measured minute(s) add up to"
                                + " %s attempts, the producer had %,d acknowledged.",
                        exact ? "Exact" : "NOT exact",
                        run.timedOut() || incomplete > 0
                                ? String.format(
                                        "%d polled pair-minute(s) of the phases never showed"
                                                + " partial=false with the acknowledged count"
                                                + " (counted with the time the poller gave up, %s"
                                                + " s after the span)",
                                        incomplete,
                                        LiveFreshness.trim(f.completionTimeout().toMillis() / 1e3))
                                : "every polled pair-minute reached partial=false and final with"
                                        + " exactly the acknowledged count",
                        dbTotal < 0 ? "(not checked)" : String.format("%,d", dbTotal),
                        expectedDb));
        notes.add(
                String.format(
                        "Polled: %,d API requests (%,d failed%s); backlog sampling%s.",
                        run.pollRequests(),
                        run.pollFailures(),
                        run.firstPollFailure() == null ? "" : "; first: " + run.firstPollFailure(),
                        lag.firstFailure() == null
                                ? " never failed"
                                : " failed: " + lag.firstFailure()));
        if (run.producer() != null) {
            notes.add("Producer (loadgen) at the end: " + run.producer().toLine() + ".");
        }
        String setup =
                String.format(
                        "The freshness benchmark's live setup (section 5: loadgen in wall-clock"
                                + " mode aimed at %,.0f attempts/s, %,.0f events/s, seed %d, Zipf"
                                + " 1.1 over %,d pairs in %d workspaces, %d partitions; the"
                                + " production job on a MiniCluster, parallelism %d,"
                                + " out-of-orderness %s s, allowed lateness %s s, checkpoints every"
                                + " %s s; %d shards; the API server in-process), with two incidents"
                                + " scheduled in the producer (loadgen `--incident`). After %s s of"
                                + " warm-up: %s s steady; then `workspace-surge`: `%s` (the median"
                                + " workspace by attempt records, %.2f %% of them on a simulated"
                                + " run of the load) receives %s× its events for %s s, extra"
                                + " events on top of its usual ones (≈ %,.0f attempts/s more); %s s"
                                + " later `type-failing`: every attempt to a destination of type"
                                + " `%s` (%.2f %% of the attempt records, the type closest to %s"
                                + " %%) fails with http_503 and is retried 1 s later, 10 attempts"
                                + " per event, for %s s; then %s s more. The poller reads, every"
                                + " %d ms, the minute series of the %d most popular pairs that"
                                + " belong to neither the surging workspace nor the failing type"
                                + " (%s). **Complete minute**: minute end → first response with"
                                + " `partial=false` and the exact acknowledged count, per polled"
                                + " pair and minute; a minute counts for an incident when the"
                                + " incident was active during it, for steady when it lies in the"
                                + " steady span and no incident touched it. **Job backlog**:"
                                + " sampled every %s s with the Kafka admin client — records"
                                + " between the job's committed offsets and the end offsets, and"
                                + " how long ago the committed offsets were the end (offsets are"
                                + " committed on checkpoints, so up to a checkpoint interval of"
                                + " backlog is normal). One run.",
                        f.attemptsPerSecond(),
                        eventsPerSecond,
                        LiveFreshness.SEED,
                        f.pairs(),
                        LiveFreshness.workspaces(f),
                        config.partitions(),
                        config.parallelism(),
                        LiveFreshness.trim(job.outOfOrderness().toMillis() / 1e3),
                        LiveFreshness.trim(job.allowedLateness().toMillis() / 1e3),
                        LiveFreshness.trim(job.checkpointInterval().toMillis() / 1e3),
                        LiveFreshness.SHARDS,
                        LiveFreshness.trim(f.warmup().toMillis() / 1e3),
                        LiveFreshness.trim(s.steady().toMillis() / 1e3),
                        targets.workspace(),
                        100 * targets.workspaceShare(),
                        LiveFreshness.trim(s.surgeFactor()),
                        LiveFreshness.trim(s.surge().toMillis() / 1e3),
                        (s.surgeFactor() - 1) * targets.workspaceShare() * f.attemptsPerSecond(),
                        LiveFreshness.trim(s.gap().toMillis() / 1e3),
                        targets.type(),
                        100 * targets.typeShare(),
                        LiveFreshness.trim(100 * s.failingTypeShare()),
                        LiveFreshness.trim(s.failing().toMillis() / 1e3),
                        LiveFreshness.trim(s.tail().toMillis() / 1e3),
                        f.pollInterval().toMillis(),
                        run.pairs(),
                        LiveFreshness.describe(polled, router),
                        LiveFreshness.trim(s.lagInterval().toMillis() / 1e3));
        if (!s.jobOverrides().isEmpty()) {
            setup +=
                    " Job settings changed from the production defaults for this run: "
                            + s.jobOverrides()
                            + ".";
        }
        LOG.info(
                "incidents: others' complete p99 steady {} s, surge {} s, failing type {} s; {}",
                p99[0] == null ? "-" : fmt(p99[0].median()),
                p99[1] == null ? "-" : fmt(p99[1].median()),
                p99[2] == null ? "-" : fmt(p99[2].median()),
                exact ? "exact" : "NOT exact");
        return new Section("10. Incidents", setup, figures, ratios, notes);
    }

    /**
     * The measured minutes of phase {@code i}: for an incident, those it was active during; for the
     * steady phase, those in it that no incident touched.
     */
    private static List<Integer> minutesOf(Run run, List<Phase> phases, int i) {
        List<Integer> out = new ArrayList<>();
        for (int m = 0; m < run.minutes(); m++) {
            long start = run.firstMinuteMs() + m * MINUTE_MS;
            boolean in = phases.get(i).overlapsMinute(start);
            if (i == 0) {
                for (int k = 1; k < phases.size(); k++) {
                    in &= !phases.get(k).overlapsMinute(start);
                }
            }
            if (in) {
                out.add(m);
            }
        }
        return out;
    }

    /** One note per measured minute: its phases, attempts, the others' complete times, backlog. */
    private static void perMinuteNotes(
            Run run, List<Phase> phases, ConsumerLag lag, List<String> notes) {
        for (int m = 0; m < run.minutes(); m++) {
            long start = run.firstMinuteMs() + m * MINUTE_MS;
            List<String> names = new ArrayList<>();
            for (int i = 0; i < phases.size(); i++) {
                if (minutesOf(run, phases, i).contains(m)) {
                    names.add(phases.get(i).name());
                }
            }
            double min = Double.NaN;
            double max = Double.NaN;
            for (int p = 0; p < run.pairs(); p++) {
                long at = run.completeAtMs(p, m);
                if (at >= 0) {
                    double secs = (at - start - MINUTE_MS) / 1e3;
                    min = Double.isNaN(min) ? secs : Math.min(min, secs);
                    max = Double.isNaN(max) ? secs : Math.max(max, secs);
                }
            }
            List<ConsumerLag.Sample> samples = lag.between(start, start + MINUTE_MS);
            notes.add(
                    String.format(
                            "Minute %s (%s): %,d attempts acknowledged over all pairs; the polled"
                                    + " pairs' minute complete %s s after its end; backlog during"
                                    + " it up to %,d records, %.1f s.",
                            HH_MM.format(Instant.ofEpochMilli(start)),
                            names.isEmpty() ? "after an incident" : String.join(", ", names),
                            run.ledger().minuteTotal(start),
                            Double.isNaN(min)
                                    ? "(never)"
                                    : min == max ? fmt(min) : fmt(min) + "–" + fmt(max),
                            samples.stream().mapToLong(ConsumerLag.Sample::records).max().orElse(0),
                            samples.stream()
                                    .mapToDouble(ConsumerLag.Sample::seconds)
                                    .max()
                                    .orElse(0)));
        }
    }

    private static String fmt(double v) {
        return String.format("%.1f", v);
    }
}
