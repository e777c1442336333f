package io.deliverymetrics.bench.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.Diagnostic;
import io.deliverymetrics.bench.diagnostics.KernelMemoryMonitor;
import io.deliverymetrics.bench.internal.QuietDatabase;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.sql.MetricRows;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 2: latency and throughput of three typical API queries against the real server (token
 * auth on, rate limits off) over the seeded and compacted data set, each also forced to read minute
 * rows only: with {@code granularity=minute} where the tier policy allows it, else through the
 * union path (the hour tier's {@code compacted_through} moved back to the start of the data, so
 * every hour bucket is merged from minute rows on the fly); and of one pair's event breakdown (1 h,
 * 24 h hourly, and the 24 h summary with the previous 24 h), against a p99 goal, in the closed loop
 * and at the workspace query's fixed rate.
 *
 * <p>The closed loop measures each query at its maximum throughput, where latency is mostly
 * queueing; the pair query and the hourly workspace query are also measured at a fixed rate ({@link
 * FixedRateLoad}), the latency a client sees at a given load, corrected for coordinated omission.
 *
 * <p>Only with {@code --diagnostics damon} is each fixed-rate load measured a second time with the
 * kernel's DAMON paused ({@link KernelMemoryMonitor}), a machine investigation rather than a figure
 * of the product; by default the suite leaves DAMON alone.
 */
public final class ApiLatencyBench {

    private static final Logger LOG = LoggerFactory.getLogger(ApiLatencyBench.class);

    private static final String GET_PROGRESS =
            "SELECT tier, compacted_through FROM compaction_progress";
    private static final String SET_PROGRESS =
            "UPDATE compaction_progress SET compacted_through = ? WHERE tier = ?";

    /** Timeout of every request, and how long a fixed-rate load waits for its last responses. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    /**
     * Worker threads of the fixed-rate load, the most requests it has in flight. At 1,000
     * requests/s and a few ms per response about 10 are in flight, so the schedule slips only when
     * responses stall for tens of ms (and then the slip is in the latencies); bounded so that the
     * client's threads do not crowd out the server on the cores they share.
     */
    private static final int FIXED_RATE_WORKERS = 16;

    /** Dirty buffer-pool pages (16 KiB each) left when the database counts as quiet. */
    private static final long QUIET_DIRTY_PAGES = 100;

    /** Longest wait for a quiet database after seeding. */
    private static final Duration QUIET_TIMEOUT = Duration.ofMinutes(10);

    /** Names of the event breakdown queries start with this. */
    private static final String EVENT_QUERY_PREFIX = "event breakdown, ";

    /** Names of the dashboard overview's requests start with this. */
    private static final String OVERVIEW_QUERY_PREFIX = "overview, ";

    /**
     * The p99 goal of a query a dashboard page sends: the event breakdown of the pair page, the
     * overview's requests, a workspace's series per pair and its summary.
     */
    private static final Duration PAGE_GOAL_P99 = Duration.ofMillis(50);

    /** The p99 goal of a workspace's totals (one series, no {@code group_by}). */
    private static final Duration TOTALS_GOAL_P99 = Duration.ofMillis(20);

    /** How the minute-rows-only variant of a query is obtained. */
    enum MinuteVariant {
        /** The query reads minute rows already. */
        SAME,
        /** The same query with {@code granularity=minute}. */
        GRANULARITY_MINUTE,
        /** The same query with the hour tier marked as not compacted. */
        UNION_PATH
    }

    /**
     * @param goalP99 the query's p99 goal, or {@code null} for none
     */
    record Query(String name, String path, MinuteVariant minuteVariant, Duration goalP99) {}

    private final BenchConfig config;
    private final ApiDataset data;

    public ApiLatencyBench(BenchConfig config, ApiDataset data) {
        this.config = config;
        this.data = data;
    }

    public Section run() throws Exception {
        PairKey pair = data.pairs().get(0);
        String ws = pair.workspaceId();
        long pairsInWorkspace =
                data.pairs().stream().filter(p -> p.workspaceId().equals(ws)).count();
        Instant end = data.end();
        int days = (int) Duration.between(data.start(), end).toDays();
        List<Query> all =
                List.of(
                        new Query(
                                "1 h minute series, one pair",
                                pairSeries(pair, end.minus(Duration.ofHours(1)), end, ""),
                                MinuteVariant.SAME,
                                null),
                        new Query(
                                "24 h hourly series, workspace (" + pairsInWorkspace + " pairs)",
                                String.format(
                                        "/v1/workspaces/%s/delivery-metrics?start=%s&end=%s&granularity=hour",
                                        ws, end.minus(Duration.ofHours(24)), end),
                                MinuteVariant.GRANULARITY_MINUTE,
                                TOTALS_GOAL_P99),
                        new Query(
                                days + " d summary, workspace (" + pairsInWorkspace + " pairs)",
                                String.format(
                                        "/v1/workspaces/%s/delivery-metrics/summary?start=%s&end=%s",
                                        ws, data.start(), end),
                                MinuteVariant.UNION_PATH,
                                PAGE_GOAL_P99),
                        new Query(
                                OVERVIEW_QUERY_PREFIX
                                        + "24 h hourly series per pair (group_by=pair, "
                                        + pairsInWorkspace
                                        + " pairs)",
                                String.format(
                                        "/v1/workspaces/%s/delivery-metrics?start=%s&end=%s&granularity=hour&group_by=pair&metrics=successes,discarded,expired&limit=1000",
                                        ws, end.minus(Duration.ofHours(24)), end),
                                MinuteVariant.SAME,
                                PAGE_GOAL_P99),
                        new Query(
                                OVERVIEW_QUERY_PREFIX
                                        + "24 h summary per pair ("
                                        + pairsInWorkspace
                                        + " pairs)",
                                String.format(
                                        "/v1/workspaces/%s/delivery-metrics/summary?start=%s&end=%s&metrics=successes,retried,discarded,expired,filtered,success_rate,latency_p95&limit=1000",
                                        ws, end.minus(Duration.ofHours(24)), end),
                                MinuteVariant.SAME,
                                PAGE_GOAL_P99),
                        new Query(
                                EVENT_QUERY_PREFIX + "1 h, one pair (group_by=event_name)",
                                pairSeries(
                                        pair,
                                        end.minus(Duration.ofHours(1)),
                                        end,
                                        "&group_by=event_name"),
                                MinuteVariant.SAME,
                                PAGE_GOAL_P99),
                        new Query(
                                EVENT_QUERY_PREFIX + "24 h hourly, one pair (group_by=event_name)",
                                pairSeries(
                                        pair,
                                        end.minus(Duration.ofHours(24)),
                                        end,
                                        "&granularity=hour&group_by=event_name"),
                                MinuteVariant.SAME,
                                PAGE_GOAL_P99),
                        new Query(
                                EVENT_QUERY_PREFIX
                                        + "24 h pair summary (group_by=event_name,"
                                        + " compare=previous)",
                                String.format(
                                        "/v1/workspaces/%s/delivery-metrics/summary?source=%s&destination=%s&start=%s&end=%s&group_by=event_name&compare=previous",
                                        ws,
                                        pair.sourceId(),
                                        pair.destinationId(),
                                        end.minus(Duration.ofHours(24)),
                                        end),
                                MinuteVariant.SAME,
                                PAGE_GOAL_P99));

        Map<String, String> settings = new HashMap<>(data.settings());
        settings.put("server.migrate-on-start", "false");
        settings.put("auth.enabled", "true");
        settings.put("rate-limit.enabled", "false");
        // Latency of the queries themselves: no pacing of the workspace's row reads, and no
        // refusal of its queries beyond the concurrency budget (the fixed-rate loads are one
        // workspace's, and a stall of the machine puts more than four of them in flight). The
        // isolation benchmark measures the budget.
        settings.put("query.rows-per-second-per-workspace", Integer.toString(Integer.MAX_VALUE));
        settings.put("query.max-concurrent-per-workspace", "1000");
        settings.put("query.parallel-per-workspace", "1000");
        Map<String, Double> fixedRates = new LinkedHashMap<>();
        fixedRates.put(all.get(0).name(), config.apiRate());
        fixedRates.put(all.get(1).name(), config.apiWorkspaceRate());
        // The pair drill-down's breakdown requests and the overview's at the rate of a page view,
        // like the workspace query: what a user opening the page waits for, not the query's
        // saturation.
        for (Query q : all) {
            if (q.name().startsWith(EVENT_QUERY_PREFIX)
                    || q.name().startsWith(OVERVIEW_QUERY_PREFIX)) {
                fixedRates.put(q.name(), config.apiWorkspaceRate());
            }
        }
        List<Query> queries =
                all.stream()
                        .filter(q -> config.apiQuery(q.name()))
                        .map(
                                q ->
                                        config.apiMinuteRows()
                                                ? q
                                                : new Query(
                                                        q.name(),
                                                        q.path(),
                                                        MinuteVariant.SAME,
                                                        q.goalP99()))
                        .toList();
        if (queries.isEmpty()) {
            throw new IllegalArgumentException(
                    "--api-queries " + config.apiQueries() + " matches none of the queries");
        }
        fixedRates.keySet().removeIf(name -> !config.apiQuery(name));
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Map<String, Wrk.Result> wrkResults = new LinkedHashMap<>();
        Optional<Wrk> wrk = config.wrk() ? Wrk.find() : Optional.empty();
        String server;
        QuietDatabase.Result quiet;
        Optional<KernelMemoryMonitor> damon =
                config.diagnostic(Diagnostic.DAMON)
                        ? Optional.of(KernelMemoryMonitor.system())
                        : Optional.empty();
        try (ApiEndpoint api = endpoint(settings);
                HikariDataSource control = controlPool()) {
            server = api.describe();
            String token = new TokenStore(control, new SecureRandom()).create(ws, "bench").value();
            String base = api.baseUrl();
            HttpLoadLoop loop =
                    new HttpLoadLoop(
                            config.apiClients(),
                            config.apiWarmup(),
                            config.apiDuration(),
                            config.apiMaxRequests());
            FixedRateLoad fixed =
                    new FixedRateLoad(
                            FIXED_RATE_WORKERS,
                            config.apiWarmup(),
                            config.apiDuration(),
                            REQUEST_TIMEOUT);
            quiet = QuietDatabase.await(control, QUIET_DIRTY_PAGES, QUIET_TIMEOUT);
            LOG.info(
                    "api: database quiet after {} s ({} -> {} dirty buffer-pool pages)",
                    String.format("%.1f", quiet.seconds()),
                    quiet.dirtyPagesBefore(),
                    quiet.dirtyPagesAfter());
            warmUp(base, token, queries);
            for (int run = 1; run <= config.runs(); run++) {
                for (Query q : queries) {
                    measure(
                            loop,
                            request(base + q.path(), token),
                            q.name(),
                            "tier rows",
                            samples,
                            notes,
                            run);
                    switch (q.minuteVariant()) {
                        case SAME -> {}
                        case GRANULARITY_MINUTE ->
                                measure(
                                        loop,
                                        request(
                                                base
                                                        + q.path()
                                                                .replace(
                                                                        "granularity=hour",
                                                                        "granularity=minute"),
                                                token),
                                        q.name(),
                                        "minute rows (granularity=minute)",
                                        samples,
                                        notes,
                                        run);
                        case UNION_PATH -> {
                            Map<Integer, Map<String, Instant>> saved = progress();
                            try {
                                setHourProgress(data.start());
                                measure(
                                        loop,
                                        request(base + q.path(), token),
                                        q.name(),
                                        "minute rows (union path)",
                                        samples,
                                        notes,
                                        run);
                            } finally {
                                restore(saved);
                            }
                        }
                    }
                }
                for (Query q : queries) {
                    Double rate = fixedRates.get(q.name());
                    if (rate != null) {
                        measureFixedRate(
                                fixed,
                                request(base + q.path(), token),
                                rate,
                                q.name(),
                                false,
                                samples,
                                notes,
                                run);
                        if (damon.isPresent()) {
                            try (KernelMemoryMonitor.Pause paused = damon.get().pause()) {
                                measureFixedRate(
                                        fixed,
                                        request(base + q.path(), token),
                                        rate,
                                        q.name(),
                                        true,
                                        samples,
                                        notes,
                                        run);
                            }
                        }
                    }
                }
            }
            if (wrk.isPresent()) {
                for (Query q : queries) {
                    wrkResults.put(
                            q.name(),
                            wrk.get()
                                    .run(
                                            base + q.path(),
                                            token,
                                            config.apiClients(),
                                            config.apiDuration()));
                }
            }
        }
        return section(
                queries,
                fixedRates,
                samples,
                notes,
                wrkResults,
                wrk.isPresent(),
                pairsInWorkspace,
                server,
                quiet,
                damon);
    }

    /**
     * Before the first run, each query's tier-rows URL under the closed loop for the measured time,
     * unmeasured: a fresh server JVM interprets and compiles its hot paths (Jetty, Jackson,
     * Connector/J, the sketch walk) for tens of seconds, and a server in production has long done
     * that. The per-measurement warm-up only settles the load.
     */
    private void warmUp(String base, String token, List<Query> queries)
            throws InterruptedException {
        HttpLoadLoop loop =
                new HttpLoadLoop(
                        config.apiClients(),
                        Duration.ZERO,
                        config.apiDuration(),
                        Integer.MAX_VALUE);
        for (Query q : queries) {
            LoadTarget request = request(base + q.path(), token);
            HttpLoadLoop.Result r = loop.run(request);
            requireAllAnswered(request, r.errors(), r.requests(), r.firstError());
            LOG.info(
                    "api server warm-up: {} [tier rows]: {} requests, {} req/s",
                    q.name(),
                    r.requests(),
                    String.format("%.1f", r.requestsPerSecond()));
        }
    }

    private ApiEndpoint endpoint(Map<String, String> settings) throws Exception {
        if (config.apiInProcess()) {
            return ApiEndpoint.inProcess(settings);
        }
        return ApiEndpoint.process(
                config.apiJar(), settings, Files.createTempDirectory("bench-api-"));
    }

    private void measure(
            HttpLoadLoop loop,
            LoadTarget request,
            String query,
            String variant,
            Map<String, List<Double>> samples,
            List<String> notes,
            int run)
            throws InterruptedException {
        HttpLoadLoop.Result r = loop.run(request);
        requireAllAnswered(request, r.errors(), r.requests(), r.firstError());
        String key = query + " · " + variant;
        samples.computeIfAbsent(key + " · p50", k -> new ArrayList<>()).add(r.quantileMillis(0.5));
        samples.computeIfAbsent(key + " · p99", k -> new ArrayList<>()).add(r.quantileMillis(0.99));
        samples.computeIfAbsent(key + " · rps", k -> new ArrayList<>()).add(r.requestsPerSecond());
        notes.add(
                String.format(
                        "Run %d, %s, %s: %,d requests in %.1f s.",
                        run, query, variant, r.requests(), r.seconds()));
        LOG.info(
                "api run {}: {} [{}]: p50 {} ms, p99 {} ms, {} req/s ({} requests)",
                run,
                query,
                variant,
                String.format("%.1f", r.quantileMillis(0.5)),
                String.format("%.1f", r.quantileMillis(0.99)),
                String.format("%.1f", r.requestsPerSecond()),
                r.requests());
    }

    private void measureFixedRate(
            FixedRateLoad load,
            LoadTarget request,
            double rate,
            String query,
            boolean damonPaused,
            Map<String, List<Double>> samples,
            List<String> notes,
            int run)
            throws InterruptedException {
        FixedRateLoad.Result r = load.run(request, rate);
        requireAllAnswered(request, r.errors(), r.requests(), r.firstError());
        long[] spells = r.slowSpells(20);
        String variant = fixedRateVariant(rate, damonPaused);
        String key = query + " · " + variant;
        samples.computeIfAbsent(key + " · p50", k -> new ArrayList<>()).add(r.quantileMillis(0.5));
        samples.computeIfAbsent(key + " · p99", k -> new ArrayList<>()).add(r.quantileMillis(0.99));
        samples.computeIfAbsent(key + " · p99.9", k -> new ArrayList<>())
                .add(r.quantileMillis(0.999));
        samples.computeIfAbsent(key + " · max", k -> new ArrayList<>()).add(r.quantileMillis(1));
        samples.computeIfAbsent(key + " · achieved rate", k -> new ArrayList<>())
                .add(r.achievedRate());
        notes.add(
                String.format(
                        "Run %d, %s, %s: %,d of %,d scheduled requests completed in %.1f s;"
                                + " %,d started more than 1 ms after their intended send time;"
                                + " %,d took over 20 ms, in %,d spells of consecutive requests"
                                + " (longest %,d). Service time (actual send → response, not"
                                + " corrected for coordinated omission): p99 %.1f ms, max %.1f"
                                + " ms.",
                        run,
                        query,
                        variant.replace(" · ", ", "),
                        r.requests(),
                        r.scheduled(),
                        r.seconds(),
                        r.late(),
                        spells[1],
                        spells[0],
                        spells[2],
                        r.serviceQuantileMillis(0.99),
                        r.serviceQuantileMillis(1)));
        LOG.info(
                "api run {}: {} [{}]: p50 {} ms, p99 {} ms, p99.9 {} ms,"
                        + " max {} ms, achieved {} req/s ({} of {} requests, {} late; over 20 ms:"
                        + " {} requests in {} spells, longest {})",
                run,
                query,
                variant.replace(" · ", ", "),
                String.format("%.1f", r.quantileMillis(0.5)),
                String.format("%.1f", r.quantileMillis(0.99)),
                String.format("%.1f", r.quantileMillis(0.999)),
                String.format("%.1f", r.quantileMillis(1)),
                String.format("%.1f", r.achievedRate()),
                r.requests(),
                r.scheduled(),
                r.late(),
                spells[1],
                spells[0],
                spells[2]);
    }

    /** A figure from failed requests would be meaningless: any non-200 stops the benchmark. */
    private static void requireAllAnswered(
            LoadTarget request, long errors, long requests, String firstError) {
        if (errors > 0) {
            throw new IllegalStateException(
                    errors
                            + " of "
                            + requests
                            + " requests to "
                            + request.uri()
                            + " failed; first: "
                            + firstError);
        }
    }

    private static String fixedRateKey(String query, double rate, boolean damonPaused) {
        return query + " · " + fixedRateVariant(rate, damonPaused);
    }

    /**
     * The variant part of a fixed-rate figure's name, e.g. {@code tier rows · fixed 1,000 req/s}.
     */
    private static String fixedRateVariant(double rate, boolean damonPaused) {
        return String.format(
                "tier rows · fixed %,.0f req/s%s", rate, damonPaused ? " · DAMON paused" : "");
    }

    private Section section(
            List<Query> queries,
            Map<String, Double> fixedRates,
            Map<String, List<Double>> samples,
            List<String> runNotes,
            Map<String, Wrk.Result> wrkResults,
            boolean wrkInstalled,
            long pairsInWorkspace,
            String server,
            QuietDatabase.Result quiet,
            Optional<KernelMemoryMonitor> damon) {
        List<Figure> figures = new ArrayList<>();
        List<Ratio> ratios = new ArrayList<>();
        for (Query q : queries) {
            String[] variants =
                    switch (q.minuteVariant()) {
                        case SAME -> new String[] {"tier rows"};
                        case GRANULARITY_MINUTE ->
                                new String[] {"tier rows", "minute rows (granularity=minute)"};
                        case UNION_PATH -> new String[] {"tier rows", "minute rows (union path)"};
                    };
            List<Figure> p50s = new ArrayList<>();
            List<Figure> rpss = new ArrayList<>();
            for (String v : variants) {
                String key = q.name() + " · " + v;
                Figure p50 = Figure.cost(key + " · p50", "ms", samples.get(key + " · p50"));
                Figure p99 = Figure.cost(key + " · p99", "ms", samples.get(key + " · p99"));
                Figure rps =
                        Figure.rate(
                                key + " · throughput", "requests/s", samples.get(key + " · rps"));
                figures.add(p50);
                figures.add(p99);
                figures.add(rps);
                p50s.add(p50);
                rpss.add(rps);
            }
            Double rate = fixedRates.get(q.name());
            if (rate != null) {
                List<Figure> p99s = new ArrayList<>();
                for (boolean paused : new boolean[] {false, true}) {
                    String key = fixedRateKey(q.name(), rate, paused);
                    if (!samples.containsKey(key + " · p99")) {
                        continue;
                    }
                    for (String quantile : List.of("p50", "p99", "p99.9", "max")) {
                        String name = key + " · " + quantile;
                        Figure f = Figure.cost(name, "ms", samples.get(name));
                        figures.add(f);
                        if (quantile.equals("p99")) {
                            p99s.add(f);
                        }
                    }
                    figures.add(
                            Figure.rate(
                                    key + " · achieved rate",
                                    "requests/s",
                                    samples.get(key + " · achieved rate")));
                }
                if (p99s.size() == 2) {
                    ratios.add(
                            new Ratio(
                                    q.name()
                                            + ", fixed "
                                            + String.format("%,.0f", rate)
                                            + " req/s: p99 as the machine is / DAMON paused",
                                    p99s.get(0),
                                    p99s.get(1)));
                }
            }
            if (variants.length == 2) {
                ratios.add(
                        new Ratio(
                                q.name() + ": p50 minute rows / tier rows",
                                p50s.get(1),
                                p50s.get(0)));
                ratios.add(
                        new Ratio(
                                q.name() + ": throughput tier rows / minute rows",
                                rpss.get(0),
                                rpss.get(1)));
            }
        }
        List<String> goalNotes = new ArrayList<>();
        for (Query q : queries) {
            if (q.goalP99() == null) {
                continue;
            }
            String key = q.name() + " · tier rows · p99";
            Figure p99 = Figure.cost(key, "ms", samples.get(key));
            long goal = q.goalP99().toMillis();
            double goalMillis = goal;
            ratios.add(
                    new Ratio(
                            String.format("%s: p99 / goal (%d ms)", q.name(), goal),
                            p99,
                            Figure.cost("goal", "ms", List.of(goalMillis))));
            goalNotes.add(
                    String.format(
                            "Goal: %s p99 ≤ %d ms (closed loop, %d clients) — %s (p99 %.1f ms).",
                            q.name(),
                            goal,
                            config.apiClients(),
                            p99.median() <= goalMillis ? "met" : "NOT met",
                            p99.median()));
            Double rate = fixedRates.get(q.name());
            String fixedKey = rate == null ? null : fixedRateKey(q.name(), rate, false) + " · p99";
            if (fixedKey != null && samples.containsKey(fixedKey)) {
                Figure fixedP99 = Figure.cost(fixedKey, "ms", samples.get(fixedKey));
                ratios.add(
                        new Ratio(
                                String.format(
                                        "%s, fixed %,.0f req/s: p99 / goal (%d ms)",
                                        q.name(), rate, goal),
                                fixedP99,
                                Figure.cost("goal", "ms", List.of(goalMillis))));
                goalNotes.add(
                        String.format(
                                "Goal: %s p99 ≤ %d ms (fixed %,.0f requests/s, from each request's"
                                        + " intended send time) — %s (p99 %.1f ms).",
                                q.name(),
                                goal,
                                rate,
                                fixedP99.median() <= goalMillis ? "met" : "NOT met",
                                fixedP99.median()));
            }
        }
        for (Map.Entry<String, Wrk.Result> e : wrkResults.entrySet()) {
            String key = e.getKey() + " · tier rows · wrk";
            figures.add(Figure.cost(key + " p50", "ms", List.of(e.getValue().p50Millis())));
            figures.add(Figure.cost(key + " p99", "ms", List.of(e.getValue().p99Millis())));
            figures.add(
                    Figure.rate(
                            key + " throughput",
                            "requests/s",
                            List.of(e.getValue().requestsPerSecond())));
        }
        List<String> notes = new ArrayList<>(goalNotes);
        if (!config.apiMinuteRows()) {
            notes.add(
                    "Tier rows only (`--api-tier-rows-only`): no query was forced onto minute rows.");
        }
        if (!config.wrk()) {
            notes.add("wrk: not run in " + config.mode() + " mode.");
        } else if (!wrkInstalled) {
            notes.add("wrk: not installed (Debian package `wrk`), so not run.");
        } else {
            notes.add(
                    String.format(
                            "wrk: `wrk -t2 -c%d -d%ds --latency` on the tier-rows URL of each query,"
                                    + " one run each, after the load loop.",
                            config.apiClients(), Math.max(1, config.apiDuration().toSeconds())));
        }
        if (damon.isPresent()) {
            notes.add(
                    damon.get().describe()
                            + ". With `--diagnostics damon` each fixed-rate load ran twice: as the"
                            + " machine is, then with every kdamond paused (its state set to off,"
                            + " and back to on right after). Its sampling stalls a process that"
                            + " churns a large heap for tens of ms about once per sampling"
                            + " interval, so the gap between the two is the machine's share of the"
                            + " tail, not the server's.");
        } else {
            notes.add(
                    "The fixed-rate tail is measured as the machine is, whatever its kernel"
                            + " does (the machine table's kernel memory monitor row);"
                            + " `--diagnostics damon` measures each fixed-rate load again with"
                            + " DAMON paused.");
        }
        notes.addAll(runNotes);
        String fixedRateText =
                fixedRates.isEmpty()
                        ? ""
                        : String.format(
                                " In each run the tier-rows URLs of %s are then also sent at a"
                                        + " fixed rate (open loop; the same warm-up, at that rate,"
                                        + " and measured time): request i is due at t0 + i / rate;"
                                        + " %d worker threads each take the next i, wait until it"
                                        + " is due and send it synchronously on its own"
                                        + " connection, and its latency runs from that intended"
                                        + " send time to the whole response read, so time spent"
                                        + " waiting for a free worker when responses fall behind"
                                        + " counts too (no coordinated omission). Requests not"
                                        + " started by the end of the measured time are not sent;"
                                        + " the achieved rate is completed requests / measured"
                                        + " time.",
                                fixedRates.entrySet().stream()
                                        .map(
                                                e ->
                                                        String.format(
                                                                "\"%s\" at %,.0f requests/s",
                                                                e.getKey(), e.getValue()))
                                        .collect(Collectors.joining(" and ")),
                                FIXED_RATE_WORKERS);
        String setup =
                String.format(
                        "%,d dense minute rows (%,d pairs × %d days, every minute) seeded with"
                                + " `MetricRows.write` into 2 shards, then hour and day compaction"
                                + " with the batch jar. The API server, %s on a loopback port,"
                                + " with token auth on (a token found in the control database"
                                + " is reused for `auth.token-cache-max-age`, 5 s) and rate"
                                + " limits off; the queries read"
                                + " workspace `%s` (%d pairs), whose attempts are `track` events"
                                + " named after loadgen's 40 event names (Zipf popularity), so"
                                + " its rows carry an event breakdown (the other workspaces'"
                                + " have one unnamed event key per minute); the event breakdown"
                                + " queries read the pair `%s` → `%s` and, for the summary, the"
                                + " 24 h before too. Closed-loop load from the"
                                + " benchmark's JVM (`LoadTarget`: HTTP/1.1 over one blocking"
                                + " keep-alive socket per client thread, a tenth of"
                                + " `java.net.http`'s CPU per request): %d concurrent clients, %.1f s warm-up then at most %.0f s or %,d requests"
                                + " per query and variant, %d run(s); every response must be 200."
                                + " Before any load the database writes back what seeding and"
                                + " compaction left in its buffer pool (%,d dirty pages, %,d left"
                                + " after %.0f s with innodb_max_dirty_pages_pct 0), so InnoDB's"
                                + " page cleaner does not share the cores with the measurement."
                                + " Before run 1 the server is warmed up once: each query's"
                                + " tier-rows URL under that load for the measured time,"
                                + " unmeasured, so its hot paths are compiled as in a"
                                + " long-running server."
                                + " Latencies are client-side, whole response read, recorded in"
                                + " HdrHistogram (3 significant digits); the closed loop's are not"
                                + " corrected for coordinated omission (it measures throughput),"
                                + " the fixed-rate ones are.%s Load"
                                + " client, server and database share the machine's %d cores.",
                        data.rows(),
                        data.pairs().size(),
                        Duration.between(data.start(), data.end()).toDays(),
                        server,
                        data.pairs().get(0).workspaceId(),
                        pairsInWorkspace,
                        data.pairs().get(0).sourceId(),
                        data.pairs().get(0).destinationId(),
                        config.apiClients(),
                        config.apiWarmup().toMillis() / 1e3,
                        config.apiDuration().toMillis() / 1e3,
                        config.apiMaxRequests(),
                        config.runs(),
                        quiet.dirtyPagesBefore(),
                        quiet.dirtyPagesAfter(),
                        quiet.seconds(),
                        fixedRateText,
                        Runtime.getRuntime().availableProcessors());
        return new Section("2. API latency", setup, figures, ratios, notes);
    }

    /** The path of {@code pair}'s series over {@code [start, end)}, then {@code more}. */
    private static String pairSeries(PairKey pair, Instant start, Instant end, String more) {
        return String.format(
                "/v1/workspaces/%s/sources/%s/destinations/%s/delivery-metrics?start=%s&end=%s%s",
                pair.workspaceId(), pair.sourceId(), pair.destinationId(), start, end, more);
    }

    private static LoadTarget request(String url, String token) {
        return LoadTarget.withBearer(url, token, REQUEST_TIMEOUT);
    }

    private HikariDataSource controlPool() {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(data.settings().get("control.jdbc-url"));
        c.setUsername(data.settings().get("control.user"));
        c.setPassword(data.settings().get("control.password"));
        c.setMaximumPoolSize(2);
        return new HikariDataSource(c);
    }

    private Map<Integer, Map<String, Instant>> progress() throws SQLException {
        Map<Integer, Map<String, Instant>> out = new HashMap<>();
        for (int shard = 0; shard < data.databases().shards().size(); shard++) {
            Map<String, Instant> tiers = new HashMap<>();
            try (Connection c = data.databases().connect(shard);
                    PreparedStatement ps = c.prepareStatement(GET_PROGRESS);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tiers.put(
                            rs.getString(1),
                            MetricRows.fromDateTime(rs.getObject(2, LocalDateTime.class)));
                }
            }
            out.put(shard, tiers);
        }
        return out;
    }

    private void setHourProgress(Instant through) throws SQLException {
        for (int shard = 0; shard < data.databases().shards().size(); shard++) {
            try (Connection c = data.databases().connect(shard);
                    PreparedStatement ps = c.prepareStatement(SET_PROGRESS)) {
                ps.setObject(1, MetricRows.toDateTime(through));
                ps.setString(2, "hour");
                ps.executeUpdate();
            }
        }
    }

    private void restore(Map<Integer, Map<String, Instant>> saved) throws SQLException {
        for (Map.Entry<Integer, Map<String, Instant>> shard : saved.entrySet()) {
            try (Connection c = data.databases().connect(shard.getKey());
                    PreparedStatement ps = c.prepareStatement(SET_PROGRESS)) {
                for (Map.Entry<String, Instant> tier : shard.getValue().entrySet()) {
                    ps.setObject(1, MetricRows.toDateTime(tier.getValue()));
                    ps.setString(2, tier.getKey());
                    ps.executeUpdate();
                }
            }
        }
    }
}
