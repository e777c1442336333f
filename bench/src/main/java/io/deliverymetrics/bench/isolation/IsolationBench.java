package io.deliverymetrics.bench.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.http.ApiProblem;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.api.ApiDataset;
import io.deliverymetrics.bench.api.ApiEndpoint;
import io.deliverymetrics.bench.api.LoadTarget;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.Diagnostic;
import io.deliverymetrics.bench.config.IsolationSettings;
import io.deliverymetrics.bench.diagnostics.KernelMemoryMonitor;
import io.deliverymetrics.bench.internal.MachineCpu;
import io.deliverymetrics.bench.internal.QuietDatabase;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.bench.report.MachineInfo;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.ShardRouter;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 7: how far one workspace's expensive queries slow down another workspace on the same
 * shard. The quiet workspace B's 1 h pair series is measured under a closed loop alone, then while
 * the noisy workspace A's clients, more of them than its query budget admits, send the most
 * expensive series query the API answers ({@link NoisyQuery}): once with the server's default
 * {@code query.max-concurrent-per-workspace}, {@code query.parallel-per-workspace} and row pacing,
 * once with a budget so large that it never refuses, waits or paces, to show what the budget buys.
 */
public final class IsolationBench {

    private static final Logger LOG = LoggerFactory.getLogger(IsolationBench.class);

    static final String NOISY = "ws_noisy";
    static final String QUIET_PREFIX = "ws_quiet";

    /** Timeout of every request. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    /** Dirty buffer-pool pages (16 KiB each) left when the database counts as quiet. */
    private static final long QUIET_DIRTY_PAGES = 100;

    /** Longest wait for a quiet database after seeding. */
    private static final Duration QUIET_TIMEOUT = Duration.ofMinutes(10);

    /** Tries at a page of A's query that fits the response-size cap. */
    private static final int MAX_PROBES = 8;

    private static final String TOO_LARGE = ApiProblem.TYPE_PREFIX + "response-too-large";

    /** The goal for B's p99 during A's saturation over B's p99 alone, with the budget. */
    private static final double GOAL_P99_RATIO = 1.5;

    /**
     * A server configuration the incident runs under; with {@code damonPaused} measured while the
     * kernel's DAMON is paused ({@code --diagnostics damon}).
     */
    private record Variant(String label, Map<String, String> overrides, boolean damonPaused) {}

    /** What one variant measured, and the machine's busy cores in its two windows. */
    private record Outcome(
            Variant variant,
            TenantClients.Window quietAlone,
            TenantClients.Window quietDuring,
            TenantClients.Window noisyDuring,
            double busyCoresAlone,
            double busyCoresDuring) {}

    /** A's query that fits, the size of its answer and the pages tried before it. */
    private record Fitted(NoisyQuery query, int bytes, List<String> tried) {}

    private final BenchConfig config;
    private final BenchInfra infra;
    private final ObjectMapper json = new ObjectMapper();

    public IsolationBench(BenchConfig config, BenchInfra infra) {
        this.config = config;
        this.infra = infra;
    }

    public Section run() throws Exception {
        IsolationSettings s = config.isolation();
        String loadBefore = MachineInfo.loadAverage();
        SameShardWorkspaces ws =
                SameShardWorkspaces.pick(
                        new ShardRouter(ApiDataset.SHARDS, Map.of()), NOISY, QUIET_PREFIX);
        List<PairKey> quietPairs = pairs(ws.quiet(), s.quietPairs());
        List<PairKey> pairs = new ArrayList<>(pairs(ws.noisy(), s.noisyPairs()));
        pairs.addAll(quietPairs);
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        LOG.info(
                "isolation: seeding {} pairs of {} and {} of {} (both on shard {}) x {} days of"
                        + " minute rows",
                s.noisyPairs(),
                ws.noisy(),
                s.quietPairs(),
                ws.quiet(),
                ws.shard(),
                s.days());
        ApiDataset data = ApiDataset.seed(infra, "bench_isolation", pairs, s.days(), end);
        double seedSeconds = data.rows() / data.rowsPerSecond();
        LOG.info(
                "isolation: seeded {} minute rows in {} s",
                data.rows(),
                String.format("%.1f", seedSeconds));
        if (!ws.sameShardIn(new ShardRouter(data.databases().shards()))) {
            throw new IllegalStateException(
                    ws.noisy() + " and " + ws.quiet() + " are not both on shard " + ws.shard());
        }

        Map<String, String> settings = new HashMap<>(data.settings());
        settings.put("server.migrate-on-start", "false");
        settings.put("auth.enabled", "true");
        settings.put("rate-limit.enabled", "false");
        settings.putAll(s.serverOverrides());
        ApiConfig shipped = ApiConfig.withOverrides(settings);
        int budget = shipped.query().maxConcurrentPerWorkspace();
        String rows = String.format("%,d", shipped.query().rowsPerSecondPerWorkspace());
        NoisyQuery noisy =
                NoisyQuery.largest(
                        ws.noisy(),
                        end,
                        Duration.ofDays(s.days()),
                        shipped.tiers(),
                        shipped.query(),
                        s.noisyPairs());
        PairKey quietPair = quietPairs.get(0);
        String quietPath =
                String.format(
                        "/v1/workspaces/%s/sources/%s/destinations/%s/delivery-metrics?start=%s&end=%s",
                        quietPair.workspaceId(),
                        quietPair.sourceId(),
                        quietPair.destinationId(),
                        end.minus(Duration.ofHours(1)),
                        end);
        String budgetLabel =
                "budget "
                        + budget
                        + " queries ("
                        + shipped.query().parallelPerWorkspace()
                        + " at a time), "
                        + rows
                        + " rows/s";
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant(budgetLabel, Map.of(), false));
        variants.add(
                new Variant(
                        "budget off",
                        Map.of(
                                "query.max-concurrent-per-workspace",
                                Integer.toString(s.unboundedBudget()),
                                "query.parallel-per-workspace",
                                Integer.toString(s.unboundedBudget()),
                                "query.rows-per-second-per-workspace",
                                Integer.toString(Integer.MAX_VALUE)),
                        false));
        Optional<KernelMemoryMonitor> damon =
                config.diagnostic(Diagnostic.DAMON)
                        ? Optional.of(KernelMemoryMonitor.system())
                        : Optional.empty();
        if (damon.isPresent()) {
            // The same incident with the machine's page-out stalls out of B's tail.
            variants.add(new Variant(budgetLabel + " · DAMON paused", Map.of(), true));
        }

        List<Outcome> outcomes = new ArrayList<>();
        Fitted fitted = null;
        String server = null;
        QuietDatabase.Result quiet;
        try (HikariDataSource control = controlPool(data)) {
            TokenStore tokens = new TokenStore(control, new SecureRandom());
            String noisyToken = tokens.create(ws.noisy(), "bench").value();
            String quietToken = tokens.create(ws.quiet(), "bench").value();
            quiet = QuietDatabase.await(control, QUIET_DIRTY_PAGES, QUIET_TIMEOUT);
            LOG.info(
                    "isolation: database quiet after {} s ({} -> {} dirty buffer-pool pages)",
                    String.format("%.1f", quiet.seconds()),
                    quiet.dirtyPagesBefore(),
                    quiet.dirtyPagesAfter());
            for (Variant v : variants) {
                Map<String, String> serverSettings = new HashMap<>(settings);
                serverSettings.putAll(v.overrides());
                try (ApiEndpoint api = endpoint(serverSettings)) {
                    server = api.describe();
                    if (fitted == null) {
                        fitted =
                                fit(
                                        api.baseUrl(),
                                        noisyToken,
                                        noisy,
                                        shipped.query().maxResponseBytes());
                    }
                    LoadTarget quietTarget = target(api.baseUrl() + quietPath, quietToken);
                    LoadTarget noisyTarget =
                            target(api.baseUrl() + fitted.query().path(), noisyToken);
                    if (v.damonPaused()) {
                        try (KernelMemoryMonitor.Pause paused = damon.orElseThrow().pause()) {
                            outcomes.add(measure(v, quietTarget, noisyTarget, s));
                        }
                    } else {
                        outcomes.add(measure(v, quietTarget, noisyTarget, s));
                    }
                }
            }
        }
        return section(
                s,
                ws,
                quietPair,
                data,
                seedSeconds,
                shipped,
                fitted,
                outcomes,
                server,
                quiet,
                loadBefore,
                MachineInfo.loadAverage());
    }

    /**
     * A's largest query, its page shrunk while the server answers 422 {@code response-too-large}
     * (the answer says by how much).
     */
    private Fitted fit(String base, String token, NoisyQuery largest, int maxResponseBytes)
            throws IOException {
        NoisyQuery q = largest;
        List<String> tried = new ArrayList<>();
        for (int i = 0; i < MAX_PROBES; i++) {
            LoadTarget.Response r;
            try (LoadTarget.Connection c = target(base + q.path(), token).open()) {
                r = c.send();
            }
            if (r.status() == 200) {
                LOG.info(
                        "isolation: A's query: {} ({} bytes)",
                        q.describe(),
                        String.format("%,d", r.body().length));
                return new Fitted(q, r.body().length, tried);
            }
            JsonNode problem = r.status() == 422 ? json.readTree(r.body()) : null;
            if (problem == null || !TOO_LARGE.equals(problem.path("type").asText())) {
                throw new IllegalStateException(
                        "A's query " + q.path() + " was answered " + r.describe());
            }
            long bytes = problem.path("response_bytes").asLong();
            NoisyQuery next = q.shrunk(bytes, maxResponseBytes);
            LOG.info(
                    "isolation: limit {} would answer {} bytes, over {}; trying limit {}",
                    q.limit(),
                    String.format("%,d", bytes),
                    String.format("%,d", maxResponseBytes),
                    next.limit());
            tried.add(String.format("limit %d (%,d bytes)", q.limit(), bytes));
            q = next;
        }
        throw new IllegalStateException(
                "no page of A's query within "
                        + maxResponseBytes
                        + " bytes after "
                        + MAX_PROBES
                        + " tries: "
                        + tried);
    }

    /**
     * On a fresh server: the incident unmeasured (warm-up), B alone, then B while A saturates its
     * budget.
     */
    private Outcome measure(Variant v, LoadTarget quiet, LoadTarget noisy, IsolationSettings s)
            throws IOException, InterruptedException {
        // One request each first, so that the tokens are cached: a fresh server looks up every
        // request's token until one lookup has cached it, and charges each lookup against the
        // address's failed-authentication allowance (auth.failure-burst) until it succeeds.
        prime(quiet);
        prime(noisy);
        try (TenantClients a = TenantClients.start(noisy, s.noisyClients(), true);
                TenantClients b = quietClients(quiet, s)) {
            pause(s.serverWarmup());
            LOG.info(
                    "isolation, {}: warm-up: B {}; A {}",
                    v.label(),
                    b.endWindow().counts().describe(),
                    a.endWindow().counts().describe());
        }

        TenantClients.Window alone;
        double busyAlone;
        try (TenantClients b = quietClients(quiet, s)) {
            pause(s.settle());
            b.beginWindow();
            double cpu0 = MachineCpu.busySeconds();
            pause(s.measured());
            alone = b.endWindow();
            busyAlone = (MachineCpu.busySeconds() - cpu0) / alone.seconds();
        }
        StatusCounts aloneCounts = alone.counts();
        if (aloneCounts.answered() != aloneCounts.total() || aloneCounts.total() == 0) {
            throw new IllegalStateException(
                    "B's query alone, "
                            + v.label()
                            + ", was not always answered with 200: "
                            + aloneCounts.describe());
        }

        TenantClients.Window quietDuring;
        TenantClients.Window noisyDuring;
        double busyDuring;
        try (TenantClients a = TenantClients.start(noisy, s.noisyClients(), true);
                TenantClients b = quietClients(quiet, s)) {
            pause(s.settle());
            a.beginWindow();
            b.beginWindow();
            double cpu0 = MachineCpu.busySeconds();
            pause(s.measured());
            quietDuring = b.endWindow();
            noisyDuring = a.endWindow();
            busyDuring = (MachineCpu.busySeconds() - cpu0) / quietDuring.seconds();
        }
        LOG.info(
                "isolation, {}: B p99 {} ms alone, {} ms during A's saturation; B {}; A {}",
                v.label(),
                String.format("%.1f", TenantClients.Window.millis(alone.all(), 99)),
                String.format("%.1f", TenantClients.Window.millis(quietDuring.all(), 99)),
                quietDuring.counts().describe(),
                noisyDuring.counts().describe());
        return new Outcome(v, alone, quietDuring, noisyDuring, busyAlone, busyDuring);
    }

    private static TenantClients quietClients(LoadTarget quiet, IsolationSettings s) {
        return TenantClients.paced(quiet, s.quietClients(), s.quietRatePerClient());
    }

    private static void prime(LoadTarget target) throws IOException {
        try (LoadTarget.Connection c = target.open()) {
            LoadTarget.Response r = c.send();
            if (r.status() != 200) {
                throw new IllegalStateException(target.uri() + " was answered " + r.describe());
            }
        }
    }

    private static void pause(Duration d) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(d.toNanos());
    }

    private Section section(
            IsolationSettings s,
            SameShardWorkspaces ws,
            PairKey quietPair,
            ApiDataset data,
            double seedSeconds,
            ApiConfig shipped,
            Fitted fitted,
            List<Outcome> outcomes,
            String server,
            QuietDatabase.Result quiet,
            String loadBefore,
            String loadAfter) {
        String quietName = "B, 1 h pair series";
        String noisyName = "A, " + fitted.query().describe();
        List<Figure> figures = new ArrayList<>();
        List<Ratio> ratios = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Figure> duringP99s = new ArrayList<>();
        for (Outcome o : outcomes) {
            String label = o.variant().label();
            Histogram alone = o.quietAlone().all();
            Histogram during = o.quietDuring().all();
            String aloneKey = quietName + " · alone · " + label;
            String duringKey = quietName + " · during A's saturation · " + label;
            figures.add(latency(aloneKey + " · p50", alone, 50));
            Figure aloneP99 = latency(aloneKey + " · p99", alone, 99);
            figures.add(aloneP99);
            figures.add(
                    Figure.rate(
                            aloneKey + " · throughput",
                            "requests/s",
                            List.of(o.quietAlone().perSecond(alone.getTotalCount()))));
            figures.add(latency(duringKey + " · p50", during, 50));
            Figure duringP99 = latency(duringKey + " · p99", during, 99);
            figures.add(duringP99);
            duringP99s.add(duringP99);
            figures.add(
                    Figure.rate(
                            duringKey + " · throughput",
                            "requests/s",
                            List.of(o.quietDuring().perSecond(during.getTotalCount()))));
            StatusCounts quietCounts = o.quietDuring().counts();
            if (quietCounts.total() > quietCounts.answered()) {
                figures.add(
                        Figure.cost(
                                duringKey + " · non-200 responses",
                                "responses",
                                List.of((double) (quietCounts.total() - quietCounts.answered()))));
            }

            StatusCounts noisyCounts = o.noisyDuring().counts();
            String noisyKey = noisyName + " · " + label;
            figures.add(
                    Figure.rate(
                            noisyKey + " · 200 responses",
                            "responses",
                            List.of((double) noisyCounts.answered())));
            if (noisyCounts.refusedByBudget() > 0) {
                figures.add(
                        Figure.cost(
                                noisyKey + " · 429 responses (query budget)",
                                "responses",
                                List.of((double) noisyCounts.refusedByBudget())));
            }
            if (noisyCounts.other() > 0) {
                figures.add(
                        Figure.cost(
                                noisyKey + " · other responses (see the notes)",
                                "responses",
                                List.of((double) noisyCounts.other())));
            }
            figures.add(
                    Figure.rate(
                            noisyKey + " · throughput (200 responses)",
                            "requests/s",
                            List.of(o.noisyDuring().perSecond(noisyCounts.answered()))));
            if (noisyCounts.answered() > 0) {
                figures.add(
                        latency(
                                noisyKey + " · p50 of 200 responses",
                                o.noisyDuring().of(ResponseKind.OK),
                                50));
            }

            ratios.add(
                    new Ratio(
                            "B p99 during A's saturation / B p99 alone, "
                                    + label
                                    + (o.variant().overrides().isEmpty()
                                            ? String.format(" (goal ≤ %.1f)", GOAL_P99_RATIO)
                                            : ""),
                            duringP99,
                            aloneP99));
            notes.add(
                    String.format(
                            "%s: B alone %,d responses in %.1f s (%s); B during A's saturation"
                                    + " %,d in %.1f s (%s); A during the same window: %s. Machine"
                                    + " CPU busy: %s cores alone, %s during (of %d).",
                            label,
                            alone.getTotalCount(),
                            o.quietAlone().seconds(),
                            o.quietAlone().counts().describe(),
                            during.getTotalCount(),
                            o.quietDuring().seconds(),
                            quietCounts.describe(),
                            noisyCounts.describe(),
                            cores(o.busyCoresAlone()),
                            cores(o.busyCoresDuring()),
                            Runtime.getRuntime().availableProcessors()));
        }
        if (duringP99s.size() == 2) {
            ratios.add(
                    new Ratio(
                            "B p99 during A's saturation, "
                                    + outcomes.get(1).variant().label()
                                    + " / "
                                    + outcomes.get(0).variant().label(),
                            duringP99s.get(1),
                            duringP99s.get(0)));
        }
        notes.add(
                String.format(
                        "A's query: `%s`, a %,d-byte answer (the cap is %,d bytes)%s.",
                        fitted.query().path(),
                        fitted.bytes(),
                        shipped.query().maxResponseBytes(),
                        fitted.tried().isEmpty()
                                ? ""
                                : "; answered 422 response-too-large before: "
                                        + String.join(", ", fitted.tried())));
        notes.add(
                String.format(
                        "Seeding: %,d minute rows in %.1f s (%,.0f rows/s, 2 writer threads on"
                                + " shard %d).",
                        data.rows(), seedSeconds, data.rowsPerSecond(), ws.shard()));
        if (!s.serverOverrides().isEmpty()) {
            notes.add(
                    "API server settings changed from the defaults in both variants: "
                            + new TreeMap<>(s.serverOverrides())
                            + ".");
        }
        notes.add(
                "Load average (1/5/15 min) at the start of this benchmark: "
                        + loadBefore
                        + "; at its end: "
                        + loadAfter
                        + ".");

        String setup =
                String.format(
                        "Two workspaces the shard router sends to the same shard (%d of %d), so"
                                + " they share its connection pool (`pool.max-size` %d) and its"
                                + " database: A `%s` with %,d pairs and B `%s` with %,d, a dense"
                                + " minute row for every pair and every minute of %d day(s) (%,d"
                                + " rows, `MetricRows.write`; no hour or day rows, both queries"
                                + " read minute rows). The API server, %s, on a loopback port,"
                                + " token auth on, rate limits off; a fresh server per variant."
                                + " B's query, the 1 h series of one pair (`%s/%s`, auto"
                                + " granularity: minute), is sent by %d clients at %.0f requests/s"
                                + " each on a fixed schedule (open loop: a request's latency runs"
                                + " from when it was due, so a late start counts), what a few"
                                + " dashboards send within the per-token rate limit. A's"
                                + " query is the most expensive series query the server answers"
                                + " with 200: minute granularity over the longest range"
                                + " `query.max-points` (%,d) allows, every metric, `group_by=pair`"
                                + " with as many pairs per page as `query.max-page-points` (%,d)"
                                + " and `query.max-response-bytes` (%,d) let in (the shard still"
                                + " reads all %,d pairs' rows of the range for every request, the"
                                + " server decodes the page's); %d"
                                + " clients, more than the budget, each sending it in a closed"
                                + " loop that honours `Retry-After` (1 s after the budget's 429),"
                                + " as a client that follows the server's advice does. Per"
                                + " variant: both loads together"
                                + " for %.0f s unmeasured (the server's JIT warm-up), then B alone"
                                + " (%.1f s to settle, then %.0f s measured), then A and B together"
                                + " (the same). Variants: the server's default"
                                + " `query.max-concurrent-per-workspace` (%d),"
                                + " `query.parallel-per-workspace` (%d: A's admitted queries take"
                                + " turns at every 1,024 rows or points) and"
                                + " `query.rows-per-second-per-workspace` (%,d rows/s, A's queries"
                                + " wait while they read faster), then %d, %d and no row pacing:"
                                + " the"
                                + " first shows the incident with the budget, the second what the"
                                + " budget buys. Latencies are client-side (send"
                                + " to whole response read), every response of the window"
                                + " whatever its status, recorded in HdrHistogram (3 significant"
                                + " digits; a percentile is the value at that rank, to 0.1 %%)."
                                + " Before any load the database writes back what seeding left in"
                                + " its buffer pool (%,d dirty pages, %,d left after %.0f s). One"
                                + " run; load client, server and database share the machine's %d"
                                + " cores.",
                        ws.shard(),
                        ApiDataset.SHARDS,
                        shipped.pool().maxSize(),
                        ws.noisy(),
                        s.noisyPairs(),
                        ws.quiet(),
                        s.quietPairs(),
                        s.days(),
                        data.rows(),
                        server,
                        quietPair.sourceId(),
                        quietPair.destinationId(),
                        s.quietClients(),
                        s.quietRatePerClient(),
                        shipped.tiers().maxPoints(),
                        shipped.query().maxPagePoints(),
                        shipped.query().maxResponseBytes(),
                        s.noisyPairs(),
                        s.noisyClients(),
                        s.serverWarmup().toMillis() / 1e3,
                        s.settle().toMillis() / 1e3,
                        s.measured().toMillis() / 1e3,
                        shipped.query().maxConcurrentPerWorkspace(),
                        shipped.query().parallelPerWorkspace(),
                        shipped.query().rowsPerSecondPerWorkspace(),
                        s.unboundedBudget(),
                        s.unboundedBudget(),
                        quiet.dirtyPagesBefore(),
                        quiet.dirtyPagesAfter(),
                        quiet.seconds(),
                        Runtime.getRuntime().availableProcessors());
        return new Section("7. Isolation", setup, figures, ratios, notes);
    }

    private static Figure latency(String name, Histogram h, double percentile) {
        return Figure.cost(name, "ms", List.of(TenantClients.Window.millis(h, percentile)));
    }

    private static String cores(double busy) {
        return Double.isFinite(busy) ? String.format("%.2f", busy) : "n/a";
    }

    /** {@code count} pairs of {@code workspace}, a grid of sources × destinations. */
    static List<PairKey> pairs(String workspace, int count) {
        int destinations = (int) Math.ceil(Math.sqrt(count));
        List<PairKey> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            out.add(
                    new PairKey(
                            workspace, "src_" + (k / destinations), "dst_" + (k % destinations)));
        }
        return out;
    }

    private ApiEndpoint endpoint(Map<String, String> settings) throws Exception {
        if (config.apiInProcess()) {
            return ApiEndpoint.inProcess(settings);
        }
        return ApiEndpoint.process(
                config.apiJar(), settings, Files.createTempDirectory("bench-isolation-"));
    }

    private static LoadTarget target(String url, String token) {
        return LoadTarget.withBearer(url, token, REQUEST_TIMEOUT);
    }

    private static HikariDataSource controlPool(ApiDataset data) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(data.settings().get("control.jdbc-url"));
        c.setUsername(data.settings().get("control.user"));
        c.setPassword(data.settings().get("control.password"));
        c.setMaximumPoolSize(2);
        return new HikariDataSource(c);
    }
}
