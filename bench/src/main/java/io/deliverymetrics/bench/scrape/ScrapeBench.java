package io.deliverymetrics.bench.scrape;

import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.api.ApiEndpoint;
import io.deliverymetrics.bench.api.LoadTarget;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.ScrapeSettings;
import io.deliverymetrics.bench.internal.ControlDatabase;
import io.deliverymetrics.bench.internal.Histograms;
import io.deliverymetrics.bench.internal.ShardDatabases;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.sql.TotalsRows.PairTotals;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 8: what a Prometheus scrape of the API server costs. One workspace's pairs each have a
 * row of running totals in {@code delivery_totals}; the benchmark scrapes the workspace's own
 * exposition ({@code GET /v1/workspaces/{ws}/metrics} with its token) and the operator exposition
 * on the admin listener ({@code /metrics}), one scrape after the other, and reports per exposition
 * the latency, the body's size in both text formats and the pairs exported.
 */
public final class ScrapeBench {

    private static final Logger LOG = LoggerFactory.getLogger(ScrapeBench.class);

    private static final int SHARDS = 2;
    private static final String WORKSPACE = "ws_scrape";
    private static final long SEED = 2028;
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    /**
     * The {@code Accept} header Prometheus scrapes with (2.x): OpenMetrics first, the text format
     * as a fallback; the server answers it with OpenMetrics.
     */
    static final String PROMETHEUS_ACCEPT =
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    static final String TEXT_ACCEPT = "text/plain;version=0.0.4";
    static final String OPENMETRICS_ACCEPT = "application/openmetrics-text;version=1.0.0";

    /** One exposition's scrapes. */
    private record Scrapes(
            String name,
            Histogram latencies,
            double seconds,
            ExpositionBody text,
            ExpositionBody openMetrics,
            int textGzipBytes,
            int openMetricsGzipBytes) {}

    private final BenchConfig config;
    private final BenchInfra infra;

    public ScrapeBench(BenchConfig config, BenchInfra infra) {
        this.config = config;
        this.infra = infra;
    }

    public Section run() throws Exception {
        ScrapeSettings s = config.scrape();
        ShardDatabases databases =
                ShardDatabases.create(infra.db(), infra.names(), "bench_scrape_shard", SHARDS);
        Map<String, String> settings = new HashMap<>(databases.settings());
        settings.putAll(ControlDatabase.create(infra, "bench_scrape_control"));
        settings.put("server.migrate-on-start", "false");
        settings.put("auth.enabled", "true");
        settings.put("rate-limit.enabled", "false");
        // Back-to-back scrapes measure the exposition itself, not the workspace's row pacing.
        settings.put("query.rows-per-second-per-workspace", Integer.toString(Integer.MAX_VALUE));
        settings.put("metrics.enabled", "true");
        settings.put("metrics.max-pairs", Integer.toString(Math.max(10_000, s.pairs())));

        List<PairKey> pairs = pairs(WORKSPACE, s.pairs());
        Instant finalThrough = Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(60);
        List<PairTotals> rows = PairTotalsSeed.totals(pairs, finalThrough, SEED);
        int shard = new ShardRouter(databases.shards()).shardOf(WORKSPACE);
        long t0 = System.nanoTime();
        try (Connection c = databases.connect(shard)) {
            PairTotalsSeed.write(c, rows);
        }
        double seedSeconds = (System.nanoTime() - t0) / 1e9;
        LOG.info(
                "scrape: seeded {} delivery_totals rows in {} s",
                rows.size(),
                String.format("%.1f", seedSeconds));

        List<Scrapes> scrapes = new ArrayList<>();
        String server;
        try (ApiEndpoint api = ApiEndpoint.start(config, settings, "bench-scrape-");
                HikariDataSource control = ControlDatabase.pool(settings)) {
            server = api.describe();
            String token =
                    new TokenStore(control, new SecureRandom()).create(WORKSPACE, "bench").value();
            String workspaceUrl = api.baseUrl() + "/v1/workspaces/" + WORKSPACE + "/metrics";
            String adminUrl =
                    api.adminBaseUrl()
                                    .orElseThrow(
                                            () ->
                                                    new IllegalStateException(
                                                            "the API server has no admin"
                                                                    + " listener"))
                            + "/metrics";
            Map<String, String> auth = Map.of("Authorization", "Bearer " + token);
            scrapes.add(
                    scrape(
                            String.format("workspace exposition (%,d pairs)", s.pairs()),
                            workspaceUrl,
                            auth,
                            s));
            scrapes.add(scrape("operator exposition (admin listener)", adminUrl, Map.of(), s));
        }
        for (Scrapes x : scrapes) {
            requireAllPairs(x, s.pairs());
        }
        return section(s, scrapes, server, seedSeconds, shard);
    }

    /** Warm-up, then the measured scrapes in Prometheus' format, then one in each text format. */
    private Scrapes scrape(String name, String url, Map<String, String> headers, ScrapeSettings s)
            throws IOException {
        LoadTarget prometheus = target(url, headers, PROMETHEUS_ACCEPT);
        Histogram latencies = Histograms.create();
        double seconds;
        try (LoadTarget.Connection http = prometheus.open()) {
            for (int i = 0; i < s.warmupScrapes(); i++) {
                require(http.send(), url);
            }
            long t0 = System.nanoTime();
            long deadline = t0 + s.maxMeasured().toNanos();
            for (int i = 0; i < s.scrapes() && System.nanoTime() < deadline; i++) {
                long start = System.nanoTime();
                LoadTarget.Response r = http.send();
                latencies.recordValue(System.nanoTime() - start);
                require(r, url);
            }
            seconds = (System.nanoTime() - t0) / 1e9;
        }
        byte[] text = once(target(url, headers, TEXT_ACCEPT));
        byte[] openMetrics = once(target(url, headers, OPENMETRICS_ACCEPT));
        Scrapes out =
                new Scrapes(
                        name,
                        latencies,
                        seconds,
                        ExpositionBody.of(text),
                        ExpositionBody.of(openMetrics),
                        gzipped(text),
                        gzipped(openMetrics));
        LOG.info(
                "scrape: {}: {} scrapes, p50 {} ms, p99 {} ms, max {} ms; {} bytes as text, {} as"
                        + " OpenMetrics",
                name,
                latencies.getTotalCount(),
                String.format("%.1f", millis(latencies, 50)),
                String.format("%.1f", millis(latencies, 99)),
                String.format("%.1f", millis(latencies, 100)),
                text.length,
                openMetrics.length);
        return out;
    }

    private static byte[] once(LoadTarget target) throws IOException {
        try (LoadTarget.Connection http = target.open()) {
            LoadTarget.Response r = http.send();
            require(r, target.uri().toString());
            return r.body();
        }
    }

    private static void require(LoadTarget.Response r, String url) {
        if (r.status() != 200) {
            throw new IllegalStateException("scrape of " + url + " answered " + r.describe());
        }
    }

    /** A figure of a cut-short or empty exposition would be meaningless. */
    private static void requireAllPairs(Scrapes x, int pairs) {
        for (ExpositionBody b : List.of(x.text(), x.openMetrics())) {
            if (b.pairsExported().orElse(-1) != pairs || b.truncated().orElse(-1) != 0) {
                throw new IllegalStateException(
                        x.name()
                                + " exported "
                                + b.pairsExported()
                                + " pairs (truncated: "
                                + b.truncated()
                                + ") of the "
                                + pairs
                                + " seeded");
            }
        }
    }

    private Section section(
            ScrapeSettings s, List<Scrapes> scrapes, String server, double seedSeconds, int shard) {
        List<Figure> figures = new ArrayList<>();
        List<Ratio> ratios = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Figure> p99s = new LinkedHashMap<>();
        for (Scrapes x : scrapes) {
            figures.add(latency(x.name() + " · p50", x.latencies(), 50));
            Figure p99 = latency(x.name() + " · p99", x.latencies(), 99);
            p99s.put(x.name(), p99);
            figures.add(p99);
            figures.add(latency(x.name() + " · max", x.latencies(), 100));
            figures.add(
                    Figure.cost(
                            x.name() + " · response size, Prometheus text",
                            "bytes",
                            List.of((double) x.text().bytes())));
            figures.add(
                    Figure.cost(
                            x.name() + " · response size, OpenMetrics",
                            "bytes",
                            List.of((double) x.openMetrics().bytes())));
            figures.add(
                    Figure.rate(
                            x.name() + " · pairs exported",
                            "pairs",
                            List.of(x.openMetrics().pairsExported().orElseThrow())));
            notes.add(
                    String.format(
                            "%s: %,d measured scrapes in %.1f s after %d unmeasured; %,d samples"
                                    + " per scrape; gzip would shrink the text body to %,d bytes"
                                    + " and the OpenMetrics body to %,d (compressed here, for"
                                    + " scale; the benchmark's client does not ask for it).",
                            x.name(),
                            x.latencies().getTotalCount(),
                            x.seconds(),
                            s.warmupScrapes(),
                            x.openMetrics().samples(),
                            x.textGzipBytes(),
                            x.openMetricsGzipBytes()));
        }
        Figure workspaceP99 = p99s.values().iterator().next();
        double goalMillis = s.goalP99().toMillis();
        ratios.add(
                new Ratio(
                        String.format(
                                "scrape: workspace exposition (%,d pairs) p99 / goal (%s)",
                                s.pairs(), describe(s.goalP99())),
                        workspaceP99,
                        Figure.cost("goal", "ms", List.of(goalMillis))));
        notes.add(
                0,
                String.format(
                        "Goal: the %,d-pair workspace scrape's p99 ≤ %s — %s (p99 %.1f ms).",
                        s.pairs(),
                        describe(s.goalP99()),
                        workspaceP99.median() <= goalMillis ? "met" : "NOT met",
                        workspaceP99.median()));
        String setup =
                String.format(
                        "One workspace (`%s`, on shard %d of %d) with %,d pairs, each a row of"
                                + " running totals in `delivery_totals` written with"
                                + " `TotalsRows.write` (%.1f s): traffic falling off with the"
                                + " pair's rank (Zipf 1.1, about 5 million events for the busiest"
                                + " pair), mostly deliveries with some retries, discards, expiries"
                                + " and filtered events, log-normal latencies around 300 ms counted"
                                + " into the 14-bound histogram by `DeliveryTotals.plus`; ids of 26"
                                + " characters. The API server, %s on a loopback port, with token"
                                + " auth on, rate limits off and `metrics.max-pairs=%d`. Per"
                                + " exposition — the workspace's `GET /v1/workspaces/%s/metrics`"
                                + " with its token, and the operator's `GET /metrics` on the admin"
                                + " listener (every workspace, each shard's health and the server's"
                                + " own metrics) — %d unmeasured scrapes, then up to %,d measured"
                                + " ones (at most %d s), one after the other on one keep-alive"
                                + " connection, with the `Accept` header Prometheus sends (so the"
                                + " server answers OpenMetrics); latency from sending the request"
                                + " to the whole body read, in HdrHistogram (3 significant"
                                + " digits). Sequential scrapes are a closed loop: nothing is"
                                + " corrected for coordinated omission, as a scraper waits for"
                                + " each scrape too. Then one scrape in each text format for the"
                                + " body sizes (uncompressed) and the pairs exported (the"
                                + " exposition's own `event_delivery_export_pairs`, which must"
                                + " equal the seeded pairs, with `event_delivery_export_truncated`"
                                + " 0). One run.",
                        WORKSPACE,
                        shard,
                        SHARDS,
                        s.pairs(),
                        seedSeconds,
                        server,
                        Math.max(10_000, s.pairs()),
                        WORKSPACE,
                        s.warmupScrapes(),
                        s.scrapes(),
                        s.maxMeasured().toSeconds());
        return new Section("8. Metrics scrape", setup, figures, ratios, notes);
    }

    private static Figure latency(String name, Histogram h, double percentile) {
        return Figure.cost(name, "ms", List.of(millis(h, percentile)));
    }

    private static double millis(Histogram h, double percentile) {
        return Histograms.at(h, percentile) / 1e6;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static int gzipped(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        }
        return out.size();
    }

    /**
     * {@code count} pairs of {@code workspace}, a grid of sources × destinations with ids of 26
     * characters, as long as the generated ids of a real integration.
     */
    static List<PairKey> pairs(String workspace, int count) {
        int destinations = (int) Math.ceil(Math.sqrt(count));
        List<PairKey> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            out.add(
                    new PairKey(
                            workspace,
                            String.format("src_%022d", k / destinations),
                            String.format("dst_%022d", k % destinations)));
        }
        return out;
    }

    private static LoadTarget target(String url, Map<String, String> headers, String accept) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Accept", accept);
        return new LoadTarget(URI.create(url), h, REQUEST_TIMEOUT);
    }
}
