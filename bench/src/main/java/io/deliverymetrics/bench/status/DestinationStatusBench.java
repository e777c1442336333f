package io.deliverymetrics.bench.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.api.ApiEndpoint;
import io.deliverymetrics.bench.api.HttpLoadLoop;
import io.deliverymetrics.bench.api.LoadTarget;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.StatusSettings;
import io.deliverymetrics.bench.internal.ControlDatabase;
import io.deliverymetrics.bench.internal.Histograms;
import io.deliverymetrics.bench.internal.ShardDatabases;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.bench.scrape.ExpositionBody;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.sql.DestinationTypeRows;
import io.deliverymetrics.sql.GlobalDatabase;
import io.deliverymetrics.sql.MetricRows;
import io.deliverymetrics.sql.Migrator;
import io.deliverymetrics.sql.PipelineProgress;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 9: the operator's destination status ({@code GET /v1/destinations}) over a global
 * database of many destination types and workspaces: the cached answer, the answer right after the
 * global {@code complete_through} moved (the service computes it again, once, while concurrent
 * requests wait for it), the recomputation alone with its statements, and the most popular type's 1
 * h minute series ({@code GET /v1/destinations/{type}/delivery-metrics}).
 */
public final class DestinationStatusBench {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationStatusBench.class);

    private static final long SEED = 2029;
    private static final int WRITERS = 2;
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration BASELINE = Duration.ofHours(24);
    private static final Duration INCIDENT_LEAD = Duration.ofMinutes(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
    private static final String STATEMENTS = "delivery_metrics_api_global_queries_total";
    private static final String CACHED = "GET /v1/destinations · cached answer";
    private static final String WAITED =
            "GET /v1/destinations · complete_through moving · requests that triggered or waited"
                    + " for a recomputation";
    private static final String OTHERS =
            "GET /v1/destinations · complete_through moving · other requests";
    private static final String ALL =
            "GET /v1/destinations · complete_through moving · all requests";

    private static final String SET_COMPACTED =
            """
            INSERT INTO compaction_progress (tier, compacted_through, changes_seen_through)
            VALUES (?, ?, CURRENT_TIMESTAMP(6))
            ON DUPLICATE KEY UPDATE compacted_through = VALUES(compacted_through)""";

    /**
     * The minutes the global rows cover: {@code complete_through} starts at {@code first} and moves
     * one minute at a time up to {@code last}; minute rows cover {@code [minutesFrom, last)}, hour
     * rows {@code [hoursFrom, minutesFrom)} generated and {@code [minutesFrom, compactedThrough)}
     * merged from the minute rows, and the hour tier is compacted through {@code compactedThrough},
     * so every computation reads its 24 h baseline from hour rows.
     */
    record Timeline(
            Instant first,
            Instant last,
            Instant minutesFrom,
            Instant hoursFrom,
            Instant compactedThrough,
            Instant incidentFrom) {

        static Timeline ending(Instant last, int moves) {
            Instant first = last.minus(MINUTE.multipliedBy(moves));
            Instant minutesFrom = Granularity.HOUR.floor(first.minus(HOUR));
            return new Timeline(
                    first,
                    last,
                    minutesFrom,
                    minutesFrom.minus(BASELINE),
                    Granularity.HOUR.floor(last.minus(HOUR)),
                    first.minus(INCIDENT_LEAD));
        }
    }

    private final BenchConfig config;
    private final BenchInfra infra;
    private final ObjectMapper json = new ObjectMapper();

    public DestinationStatusBench(BenchConfig config, BenchInfra infra) {
        this.config = config;
        this.infra = infra;
    }

    public Section run() throws Exception {
        StatusSettings s = config.status();
        ShardDatabases shards =
                ShardDatabases.create(infra.db(), infra.names(), "bench_status_shard", 2);
        Map<String, String> settings = new HashMap<>(shards.settings());
        settings.putAll(ControlDatabase.create(infra, "bench_status_control"));
        String globalName = infra.names().database("bench_status_global");
        infra.db().createDatabase(globalName);
        GlobalDatabase global =
                new GlobalDatabase(
                        infra.db().jdbcUrl(globalName), infra.db().user(), infra.db().password());
        Migrator.migrateGlobal(global);
        settings.put("global.jdbc-url", global.jdbcUrl());
        settings.put("global.user", global.user());
        settings.put("global.password", global.password());
        settings.put("server.migrate-on-start", "false");
        settings.put("auth.enabled", "true");
        settings.put("rate-limit.enabled", "false");
        // Operators share one query budget; 8 clients of the type series would get 429 from its
        // default concurrency of 4. This measures the queries, the isolation benchmark the budget.
        settings.put("query.rows-per-second-per-workspace", Integer.toString(Integer.MAX_VALUE));
        settings.put("query.max-concurrent-per-workspace", "1000");
        settings.put("query.parallel-per-workspace", "1000");

        long movingMillis =
                s.measured().toMillis()
                        + config.runs() * (s.warmup().toMillis() + s.measured().toMillis());
        // Twice the moves of the planned time, and an hour more: a loop runs past its time by
        // its last requests, and a fresh server's first computations are slow.
        int moves =
                (int) (2 * movingMillis / s.moveInterval().toMillis())
                        + 2 * s.recomputations()
                        + 60;
        Timeline time =
                Timeline.ending(Granularity.MINUTE.floor(Instant.now()).minus(MINUTE), moves);
        GlobalStatusSeed.Plan plan = GlobalStatusSeed.plan(s, SEED);
        long t0 = System.nanoTime();
        long[] rows = seed(global, plan, time);
        double seedSeconds = (System.nanoTime() - t0) / 1e9;
        LOG.info(
                "status: seeded {} minute and {} hour rows of {} types ({} pairs) in {} s",
                rows[0],
                rows[1],
                plan.types().size(),
                plan.pairs(),
                String.format("%.1f", seedSeconds));

        AtomicReference<Instant> completeThrough = new AtomicReference<>(time.first());
        setCompleteThrough(global, time.first());
        String popular = plan.types().get(0);
        String seriesName =
                String.format(
                        "GET /v1/destinations/%s/delivery-metrics, 1 h minute series of the most"
                                + " popular type (%,d workspaces)",
                        popular, plan.senders().get(popular).size());
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        String server;
        String lastAnswer;
        double statementsPerRecomputation;
        Histogram alone = Histograms.create();
        Histogram unchanged = Histograms.create();
        try (HikariDataSource control = ControlDatabase.pool(settings)) {
            String token =
                    new TokenStore(control, new SecureRandom()).createOperator("bench").value();
            Map<String, String> auth = Map.of("Authorization", "Bearer " + token);
            HttpLoadLoop loop =
                    new HttpLoadLoop(s.clients(), s.warmup(), s.measured(), Integer.MAX_VALUE);
            HttpLoadLoop warmUp =
                    new HttpLoadLoop(s.clients(), Duration.ZERO, s.measured(), Integer.MAX_VALUE);

            try (ApiEndpoint api = ApiEndpoint.start(config, settings, "bench-status-")) {
                server = api.describe();
                LoadTarget status = target(api.baseUrl() + "/v1/destinations", auth);
                LoadTarget series =
                        target(
                                api.baseUrl()
                                        + String.format(
                                                "/v1/destinations/%s/delivery-metrics?start=%s&end=%s",
                                                popular, time.first().minus(HOUR), time.first()),
                                auth);
                require(warmUp.run(status), status);
                require(warmUp.run(series), series);
                for (int run = 1; run <= config.runs(); run++) {
                    record(samples, notes, CACHED, run, require(loop.run(status), status));
                    record(samples, notes, seriesName, run, require(loop.run(series), series));
                }
            }

            Map<String, String> moving = new HashMap<>(settings);
            // Every request reads the progress, so a move is seen by the next request: what a
            // server with the default cache age sees at most once per 10 s, here once per move.
            moving.put("status.cache-max-age", "0s");
            try (ApiEndpoint api = ApiEndpoint.start(config, moving, "bench-status-");
                    Connection progress = connect(global)) {
                LoadTarget status = target(api.baseUrl() + "/v1/destinations", auth);
                LoadTarget counter =
                        target(
                                api.adminBaseUrl()
                                                .orElseThrow(
                                                        () ->
                                                                new IllegalStateException(
                                                                        "the API server has no"
                                                                                + " admin listener"))
                                        + "/metrics",
                                Map.of());
                movingLoop(warmUp, status, progress, completeThrough, time, s, 0, samples, notes);
                for (int run = 1; run <= config.runs(); run++) {
                    movingLoop(
                            loop, status, progress, completeThrough, time, s, run, samples, notes);
                }
                try (LoadTarget.Connection http = status.open()) {
                    for (int i = 0; i < s.recomputations(); i++) {
                        unchanged.recordValue(timed(http, status, null));
                    }
                    double before = statements(counter);
                    for (int i = 0; i < s.recomputations(); i++) {
                        Instant previous = completeThrough.get();
                        Instant next = move(progress, completeThrough, time);
                        if (next.equals(previous)) {
                            throw new IllegalStateException(
                                    "status: the seeded minutes end at " + time.last());
                        }
                        alone.recordValue(timed(http, status, next.toString()));
                    }
                    statementsPerRecomputation =
                            (statements(counter) - before) / s.recomputations();
                    LoadTarget.Response last = http.send();
                    lastAnswer = new String(last.body(), StandardCharsets.UTF_8);
                }
            }
        }
        return section(
                s,
                plan,
                time,
                rows,
                seedSeconds,
                server,
                samples,
                notes,
                new String[] {CACHED, ALL, WAITED, OTHERS, seriesName},
                alone,
                unchanged,
                statementsPerRecomputation,
                lastAnswer);
    }

    /**
     * Writes every type's rows, two writer threads over the types, and the hour tier's progress.
     */
    private long[] seed(GlobalDatabase global, GlobalStatusSeed.Plan plan, Timeline time)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        AtomicInteger next = new AtomicInteger();
        long minuteRows = 0;
        long hourRows = 0;
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    long[] written = new long[2];
                                    try (Connection c = connect(global)) {
                                        c.setAutoCommit(false);
                                        // As ApiDataset's writers: under repeatable read the
                                        // two writers' deletes of absent error rows take gap
                                        // locks the other's inserts wait for, a deadlock.
                                        // Their keys (types) never overlap.
                                        c.setTransactionIsolation(
                                                Connection.TRANSACTION_READ_COMMITTED);
                                        for (int t = next.getAndIncrement();
                                                t < plan.types().size();
                                                t = next.getAndIncrement()) {
                                            long[] n = seedType(c, plan, t, time);
                                            written[0] += n[0];
                                            written[1] += n[1];
                                        }
                                    }
                                    return written;
                                }));
            }
            for (Future<long[]> f : futures) {
                long[] n = f.get();
                minuteRows += n[0];
                hourRows += n[1];
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = connect(global);
                PreparedStatement ps = c.prepareStatement(SET_COMPACTED)) {
            ps.setString(1, Granularity.HOUR.wireName());
            ps.setObject(2, MetricRows.toDateTime(time.compactedThrough()));
            ps.executeUpdate();
        }
        return new long[] {minuteRows, hourRows};
    }

    private static long[] seedType(
            Connection c, GlobalStatusSeed.Plan plan, int rank, Timeline time) throws SQLException {
        String type = plan.types().get(rank);
        SplittableRandom rng = new SplittableRandom(SEED * 1_000 + rank);
        TreeMap<Instant, List<TypeBucket>> byHour = new TreeMap<>();
        List<TypeBucket> minutes = new ArrayList<>();
        for (Instant m = time.minutesFrom(); m.isBefore(time.last()); m = m.plus(MINUTE)) {
            TypeBucket row = GlobalStatusSeed.row(plan, type, m, MINUTE, time.incidentFrom(), rng);
            minutes.add(row);
            byHour.computeIfAbsent(Granularity.HOUR.floor(m), k -> new ArrayList<>()).add(row);
        }
        List<TypeBucket> hours = new ArrayList<>();
        for (Instant h = time.hoursFrom(); h.isBefore(time.minutesFrom()); h = h.plus(HOUR)) {
            hours.add(GlobalStatusSeed.row(plan, type, h, HOUR, time.incidentFrom(), rng));
        }
        for (Map.Entry<Instant, List<TypeBucket>> e :
                byHour.headMap(time.compactedThrough()).entrySet()) {
            hours.add(GlobalStatusSeed.merged(type, e.getKey(), e.getValue()));
        }
        DestinationTypeRows.write(c, Granularity.MINUTE, minutes);
        DestinationTypeRows.write(c, Granularity.HOUR, hours);
        c.commit();
        return new long[] {minutes.size(), hours.size()};
    }

    /**
     * One closed-loop measurement (run 0: the server's unmeasured warm-up) while a thread moves
     * {@code complete_through} on by a minute every {@code moveInterval}.
     */
    private void movingLoop(
            HttpLoadLoop loop,
            LoadTarget status,
            Connection progress,
            AtomicReference<Instant> completeThrough,
            Timeline time,
            StatusSettings s,
            int run,
            Map<String, List<Double>> samples,
            List<String> notes)
            throws Exception {
        String before = completeThrough.get().toString();
        List<RecomputeSplit.Sample> seen = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService mover = Executors.newSingleThreadScheduledExecutor();
        HttpLoadLoop.Result r;
        ScheduledFuture<?> moves;
        try {
            moves =
                    mover.scheduleAtFixedRate(
                            () -> {
                                try {
                                    move(progress, completeThrough, time);
                                } catch (SQLException e) {
                                    throw new IllegalStateException(
                                            "cannot move complete_through", e);
                                }
                            },
                            s.moveInterval().toMillis(),
                            s.moveInterval().toMillis(),
                            TimeUnit.MILLISECONDS);
            r =
                    loop.run(
                            status,
                            (measured, sent, received, response) ->
                                    seen.add(
                                            new RecomputeSplit.Sample(
                                                    measured,
                                                    sent,
                                                    received,
                                                    RecomputeSplit.completeThrough(
                                                            response.body()))));
        } finally {
            mover.shutdownNow();
            mover.awaitTermination(1, TimeUnit.MINUTES);
        }
        if (moves.isDone() && !moves.isCancelled()) {
            // A periodic task is done only when it failed; get() throws what it threw.
            moves.get();
        }
        require(r, status);
        LOG.info(
                "status moving loop {}: {} requests in {} s, complete_through {} -> {}",
                run,
                r.requests(),
                String.format("%.1f", r.seconds()),
                before,
                completeThrough.get());
        if (run == 0) {
            return;
        }
        RecomputeSplit.Result split = RecomputeSplit.split(List.copyOf(seen), before);
        if (split.waited().getTotalCount() == 0) {
            throw new IllegalStateException(
                    "status run "
                            + run
                            + ": no request waited for a recomputation (complete_through from "
                            + before
                            + " to "
                            + completeThrough.get()
                            + ")");
        }
        add(samples, ALL, split.all());
        add(samples, WAITED, split.waited());
        if (split.others().getTotalCount() > 0) {
            add(samples, OTHERS, split.others());
        } else {
            // Recomputations took longer than the interval between moves: every request waited.
            notes.add(
                    String.format(
                            "Run %d: every request of the loop waited for a recomputation (they"
                                    + " took longer than the %d ms between moves), so it has no"
                                    + " other requests.",
                            run, s.moveInterval().toMillis()));
        }
        notes.add(
                String.format(
                        "Run %d, complete_through moving: %,d requests in %.1f s, %d"
                                + " recomputations answered, %,d requests triggered or waited for"
                                + " one (p50 %.1f ms, max %.1f ms), %,d did not (p50 %.1f ms);"
                                + " complete_through %s → %s.",
                        run,
                        r.requests(),
                        r.seconds(),
                        split.recomputations(),
                        split.waited().getTotalCount(),
                        millis(split.waited(), 50),
                        millis(split.waited(), 100),
                        split.others().getTotalCount(),
                        millis(split.others(), 50),
                        before,
                        completeThrough.get()));
        LOG.info(
                "status run {}: moving: {} recomputations, waited p99 {} ms ({} requests), others"
                        + " p99 {} ms",
                run,
                split.recomputations(),
                String.format("%.1f", millis(split.waited(), 99)),
                split.waited().getTotalCount(),
                String.format("%.1f", millis(split.others(), 99)));
    }

    /** Moves {@code complete_through} one minute on, unless the seeded rows end there. */
    private static Instant move(
            Connection progress, AtomicReference<Instant> completeThrough, Timeline time)
            throws SQLException {
        Instant next = completeThrough.get().plus(MINUTE);
        if (next.isAfter(time.last())) {
            return completeThrough.get();
        }
        PipelineProgress.write(progress, PipelineProgress.DEFAULT_PIPELINE, 0, 1, next, next);
        completeThrough.set(next);
        return next;
    }

    private static void setCompleteThrough(GlobalDatabase global, Instant t) throws SQLException {
        try (Connection c = connect(global)) {
            PipelineProgress.write(c, PipelineProgress.DEFAULT_PIPELINE, 0, 1, t, t);
        }
    }

    /** One request's latency; {@code expected} is the complete_through it must carry, if any. */
    private static long timed(LoadTarget.Connection http, LoadTarget target, String expected)
            throws IOException {
        long t = System.nanoTime();
        LoadTarget.Response r = http.send();
        long took = System.nanoTime() - t;
        if (r.status() != 200) {
            throw new IllegalStateException(target.uri() + " answered " + r.describe());
        }
        if (expected != null && !expected.equals(RecomputeSplit.completeThrough(r.body()))) {
            throw new IllegalStateException(
                    "expected complete_through " + expected + ", got " + r.describe());
        }
        return took;
    }

    private static double statements(LoadTarget counter) throws IOException {
        try (LoadTarget.Connection http = counter.open()) {
            LoadTarget.Response r = http.send();
            if (r.status() != 200) {
                throw new IllegalStateException("admin /metrics answered " + r.describe());
            }
            return ExpositionBody.sample(new String(r.body(), StandardCharsets.UTF_8), STATEMENTS)
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            STATEMENTS + " not in the admin exposition"));
        }
    }

    private static void record(
            Map<String, List<Double>> samples,
            List<String> notes,
            String name,
            int run,
            HttpLoadLoop.Result r) {
        add(samples, name, r.latencies());
        samples.computeIfAbsent(name + " · throughput", k -> new ArrayList<>())
                .add(r.requestsPerSecond());
        notes.add(
                String.format(
                        "Run %d, %s: %,d requests in %.1f s.",
                        run, name, r.requests(), r.seconds()));
        LOG.info(
                "status run {}: {}: p50 {} ms, p99 {} ms, {} req/s",
                run,
                name,
                String.format("%.1f", r.quantileMillis(0.5)),
                String.format("%.1f", r.quantileMillis(0.99)),
                String.format("%.1f", r.requestsPerSecond()));
    }

    private static void add(Map<String, List<Double>> samples, String name, Histogram h) {
        samples.computeIfAbsent(name + " · p50", k -> new ArrayList<>()).add(millis(h, 50));
        samples.computeIfAbsent(name + " · p99", k -> new ArrayList<>()).add(millis(h, 99));
    }

    /** A figure from failed requests would be meaningless: any non-200 stops the benchmark. */
    private static HttpLoadLoop.Result require(HttpLoadLoop.Result r, LoadTarget target) {
        if (r.errors() > 0) {
            throw new IllegalStateException(
                    r.errors()
                            + " of "
                            + r.requests()
                            + " requests to "
                            + target.uri()
                            + " failed; first: "
                            + r.firstError());
        }
        return r;
    }

    private Section section(
            StatusSettings s,
            GlobalStatusSeed.Plan plan,
            Timeline time,
            long[] rows,
            double seedSeconds,
            String server,
            Map<String, List<Double>> samples,
            List<String> runNotes,
            String[] names,
            Histogram alone,
            Histogram unchanged,
            double statementsPerRecomputation,
            String lastAnswer)
            throws IOException {
        List<Figure> figures = new ArrayList<>();
        Map<String, Figure> p99s = new LinkedHashMap<>();
        for (String name : names) {
            if (!samples.containsKey(name + " · p50")) {
                continue;
            }
            figures.add(Figure.cost(name + " · p50", "ms", samples.get(name + " · p50")));
            Figure p99 = Figure.cost(name + " · p99", "ms", samples.get(name + " · p99"));
            figures.add(p99);
            p99s.put(name, p99);
            List<Double> rps = samples.get(name + " · throughput");
            if (rps != null) {
                figures.add(Figure.rate(name + " · throughput", "requests/s", rps));
            }
        }
        String aloneName = "recomputation alone (one client, request right after a move)";
        String unchangedName =
                "one client, complete_through unchanged (progress read, cached answer)";
        figures.add(Figure.cost(aloneName + " · p50", "ms", List.of(millis(alone, 50))));
        figures.add(Figure.cost(aloneName + " · max", "ms", List.of(millis(alone, 100))));
        figures.add(Figure.cost(unchangedName + " · p50", "ms", List.of(millis(unchanged, 50))));
        figures.add(
                Figure.cost(
                        "statements per recomputation (" + STATEMENTS + ")",
                        "statements",
                        List.of(statementsPerRecomputation)));

        List<Ratio> ratios = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Figure goal = Figure.cost("goal", "ms", List.of((double) s.goalP99().toMillis()));
        for (String name : List.of(names[0], names[1])) {
            Figure p99 = p99s.get(name);
            ratios.add(
                    new Ratio(
                            name + ": p99 / goal (" + s.goalP99().toMillis() + " ms)", p99, goal));
            notes.add(
                    String.format(
                            "Goal: %s p99 ≤ %d ms — %s (p99 %.1f ms).",
                            name,
                            s.goalP99().toMillis(),
                            p99.median() <= s.goalP99().toMillis() ? "met" : "NOT met",
                            p99.median()));
        }
        Map<String, Integer> verdicts = new TreeMap<>();
        JsonNode answer = json.readTree(lastAnswer);
        for (JsonNode t : answer.get("destinations")) {
            verdicts.merge(t.get("status").asText(), 1, Integer::sum);
        }
        notes.add(
                String.format(
                        "The last answer (complete_through %s) listed %d types: %s; seeded in an"
                                + " outage: %s, degraded: %s.",
                        answer.get("complete_through").asText(),
                        answer.get("destinations").size(),
                        verdicts,
                        new TreeSet<>(plan.outage()),
                        new TreeSet<>(plan.degraded())));
        notes.add(
                String.format(
                        "Recomputation alone: %d requests, each right after a move of"
                                + " complete_through, one at a time on one keep-alive connection;"
                                + " the same with complete_through unchanged (p50 %.1f ms) is"
                                + " what the HTTP exchange, the progress read and rendering the"
                                + " cached answer cost, so the recomputation itself took about"
                                + " %.1f ms (p50 difference).",
                        s.recomputations(),
                        millis(unchanged, 50),
                        millis(alone, 50) - millis(unchanged, 50)));
        notes.addAll(runNotes);
        String setup =
                String.format(
                        "A global database (`db/global` migrations) seeded with"
                                + " `DestinationTypeRows.write`, the job's writer, with rows"
                                + " built from synthetic attempts with core's `MetricBucket` and"
                                + " `DistinctContributors` (`GlobalStatusSeed`): %,d destination"
                                + " types with Zipf popularity (exponent %.1f), %,d workspaces"
                                + " each sending to 1–%d of them (%,d pairs), log-normal rates"
                                + " around %.1f attempts per pair and minute, %d type(s) in an"
                                + " outage and %d degraded from 10 minutes before the first"
                                + " complete_through. %,d minute rows (from %s) and %,d hour rows"
                                + " (24 h of baseline before them, and the hours of minute rows"
                                + " merged as compaction merges them; the hour tier compacted"
                                + " through %s), written in %.1f s by %d threads. The API server,"
                                + " %s on a loopback port, token auth on, rate limits off, the"
                                + " operators' query budget out of the way, default `status.*`"
                                + " settings (1 h horizon, 24 h baseline, 5 min window), an"
                                + " operator token. Closed loop (`HttpLoadLoop`): %d clients, %.1f"
                                + " s warm-up and %.1f s measured per measurement, %d run(s),"
                                + " after one unmeasured %.1f s loop per URL; every response must"
                                + " be 200. (a) the cached answer and the type series: a server"
                                + " with the default `status.cache-max-age` (10 s), complete_through"
                                + " at %s. (b) a second server with `status.cache-max-age=0s`, so"
                                + " every request reads the progress and the first after a move"
                                + " computes the answer again (the others wait for it); a thread"
                                + " moves complete_through one minute on every %d ms (as the"
                                + " job's progress, `PipelineProgress.write`), up to %s. Requests"
                                + " that triggered or waited for a recomputation are those"
                                + " answered with a complete_through new to the loop and sent no"
                                + " later than the first answer with it arrived"
                                + " (`RecomputeSplit`). Latencies are client-side, whole response"
                                + " read, in HdrHistogram (3 significant digits), not corrected"
                                + " for coordinated omission (closed loop). Load client, server"
                                + " and database share the machine's %d cores.",
                        plan.types().size(),
                        GlobalStatusSeed.TYPE_POPULARITY,
                        s.workspaces(),
                        s.maxTypesPerWorkspace(),
                        plan.pairs(),
                        GlobalStatusSeed.MEDIAN_ATTEMPTS_PER_MINUTE,
                        plan.outage().size(),
                        plan.degraded().size(),
                        rows[0],
                        time.minutesFrom(),
                        rows[1],
                        time.compactedThrough(),
                        seedSeconds,
                        WRITERS,
                        server,
                        s.clients(),
                        s.warmup().toMillis() / 1e3,
                        s.measured().toMillis() / 1e3,
                        config.runs(),
                        s.measured().toMillis() / 1e3,
                        time.first(),
                        s.moveInterval().toMillis(),
                        time.last(),
                        Runtime.getRuntime().availableProcessors());
        return new Section("9. Destination status", setup, figures, ratios, notes);
    }

    private static double millis(Histogram h, double percentile) {
        return Histograms.at(h, percentile) / 1e6;
    }

    private static LoadTarget target(String url, Map<String, String> headers) {
        return new LoadTarget(URI.create(url), headers, REQUEST_TIMEOUT);
    }

    private static Connection connect(GlobalDatabase global) throws SQLException {
        return DriverManager.getConnection(global.jdbcUrl(), global.user(), global.password());
    }
}
