package io.deliverymetrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.Expected;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.PrometheusServer;
import io.deliverymetrics.api.support.PrometheusServer.Sample;
import io.deliverymetrics.api.support.PrometheusServer.ScrapeJob;
import io.deliverymetrics.api.support.PrometheusServer.Series;
import io.deliverymetrics.api.support.Promtool;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.TotalsRows.PairTotals;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus scrapes one workspace's exposition every 15 s ({@code fast}) and every 60 s
 * ({@code slow}) while the test finalizes a minute of that workspace every 10 s, and its PromQL
 * answers agree with the REST API's over the same minutes: every stored sample is the running total
 * at its scrape, {@code increase()} stays within Prometheus' extrapolation of the exact count
 * (across a scrape that fails on purpose too), and {@code histogram_quantile()} falls in the
 * histogram bucket of the API's p95.
 *
 * <p>Minutes become final here faster than either job scrapes, as they do for any scraper that is
 * slower than a minute or misses a scrape, so every interval between two samples spans several
 * final minutes. Gauges of the last final minute would fail this test: a sample would be one
 * minute's count, not the running total the test knows; the minutes between two scrapes would never
 * reach Prometheus, so the difference of two samples could not equal the API's count for the
 * minutes between them; and {@code increase()} would take every drop to a smaller next minute for a
 * counter reset and add the whole value.
 *
 * <p>The data minutes lie an hour or two before the server's fixed clock, within the minute tier's
 * retention, and the pipeline's progress moves with every minute written, so the API calls them
 * complete and final when it is asked. Scrape times are real time; the test only relies on them
 * through the bounds stated at each assertion.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusScrapeITCase {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusScrapeITCase.class);

    private static final Duration MINUTE_EVERY = Duration.ofSeconds(10);
    private static final Duration FAST_INTERVAL = Duration.ofSeconds(15);
    private static final Duration SLOW_INTERVAL = Duration.ofSeconds(60);
    private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(5);
    // Every scrape stamped this long ago has finished or timed out, and its samples are stored:
    // the assertions evaluate there, so no sample can turn up after they have read the window.
    private static final Duration SETTLED = SCRAPE_TIMEOUT.plusSeconds(1);
    private static final Duration SCENARIO_DEADLINE = Duration.ofMinutes(6);
    private static final Duration POLL = Duration.ofMillis(250);

    private static final Instant HISTORY_FROM = Instant.parse("2026-11-26T09:00:00Z");
    private static final Instant LIVE_FROM = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant LIVE_UNTIL = Instant.parse("2026-11-26T11:30:00Z");

    /** Delivered attempts of one minute with latencies in [fromMs, toMs), inside one bucket. */
    private record Band(int count, long fromMs, long toMs) {}

    /**
     * One finalized stretch of minutes [from, to): its attempts, every pair's totals after it, and
     * the test's stamps just before and after the totals were written.
     */
    private record Tick(
            int index,
            Instant from,
            Instant to,
            List<DeliveryAttempt> attempts,
            Map<PairKey, DeliveryTotals> totals,
            Instant writeStarted,
            Instant writeDone) {}

    /**
     * The ticks a series' first and last samples in the window read: minutes of after + 1 …
     * through.
     */
    private record Span(int after, int through) {}

    private enum Phase {
        WARM_UP,
        FAST_REVOKED,
        RESTORED
    }

    private final TestDeployment api;
    private final String ws;
    private final String otherWs;
    private final int shard;
    // Latency bands per pair: each pair's p95 lies inside the bucket named above it, and the
    // shares below and within that bucket are far from 95 %, so no bucket boundary decides.
    private final Map<PairKey, List<Band>> profiles = new TreeMap<>();
    private final Random rnd = new Random(42);
    private final List<Tick> ticks = new ArrayList<>();

    PrometheusScrapeITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api =
                TestDeployment.start(db, names, observed, Map.of("auth.token-cache-max-age", "0s"));
        this.shard = 0;
        this.ws = api.workspaceOnShard(shard);
        this.otherWs = api.workspaceOnShard(shard);
        // p95 in (1 s, 2.5 s]: 90 % at most 1 s.
        profiles.put(
                new PairKey(ws, "src_web", "dst_amp"),
                List.of(new Band(12, 300, 450), new Band(6, 560, 900), new Band(2, 1150, 2200)));
        // p95 in (0.1 s, 0.25 s]: 85 % at most 0.1 s.
        profiles.put(
                new PairKey(ws, "src_app", "dst_wh"),
                List.of(new Band(34, 55, 95), new Band(6, 110, 240)));
        // p95 in (5 s, 10 s]: 60 % at most 5 s. Over all three pairs: 78 of 90 at most 5 s.
        profiles.put(
                new PairKey(ws, "src_app", "dst_s3"),
                List.of(new Band(18, 2600, 4800), new Band(12, 5200, 9800)));
        // Same shard, same table: only the exposition's workspace scope keeps it out.
        profiles.put(
                new PairKey(otherWs, "src_web", "dst_amp"),
                List.of(new Band(12, 300, 450), new Band(6, 560, 900), new Band(2, 1150, 2200)));
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldMatchTheApisCountsAndLatencyBucketsWhenARealPrometheusScrapesEvery15And60Seconds(
            @TempDir Path dir) {
        String fastToken = api.token(ws);
        String slowToken = api.token(ws);
        String metricsPath = "/v1/workspaces/" + ws + "/metrics";
        String target = "127.0.0.1:" + api.server().port();
        Path config =
                PrometheusServer.writeConfig(
                        dir,
                        List.of(
                                new ScrapeJob(
                                        "fast",
                                        FAST_INTERVAL,
                                        SCRAPE_TIMEOUT,
                                        metricsPath,
                                        fastToken,
                                        target),
                                new ScrapeJob(
                                        "slow",
                                        SLOW_INTERVAL,
                                        SCRAPE_TIMEOUT,
                                        metricsPath,
                                        slowToken,
                                        target)));
        Promtool.Result check = Promtool.checkConfig(config);
        assertThat(check.exitCode()).as(check.output()).isZero();
        finalizeMinutes(HISTORY_FROM, LIVE_FROM);

        Instant started = Instant.now();
        try (PrometheusServer prometheus = PrometheusServer.start(config, dir)) {
            try {
                Instant end = scrapeWhileMinutesBecomeFinal(prometheus, fastToken);
                // From Prometheus' start, before its first scrape and after the seeded history.
                long windowSeconds = Duration.between(started, end).toSeconds();
                Window w = new Window(prometheus, end, windowSeconds, slowToken);
                w.assertScrapes();
                for (String job : List.of("fast", "slow")) {
                    w.assertSamplesAreTheRunningTotals(job);
                    w.assertIncreaseWithinExtrapolationOfTheExactCount(job);
                    w.assertQuantileInTheBucketOfTheApisP95(job);
                }
                w.assertNoSeriesOfAnotherWorkspace();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(
                        e.getMessage()
                                + "\n--- prometheus log (tail) ---\n"
                                + tail(prometheus.log()),
                        e);
            }
        }
    }

    /**
     * Finalizes a minute every {@link #MINUTE_EVERY} while Prometheus scrapes; revokes the fast
     * job's token until one of its scrapes fails, then restores it; returns a settled evaluation
     * time after at least three slow scrapes and two fast ones since the failure.
     */
    private Instant scrapeWhileMinutesBecomeFinal(PrometheusServer prometheus, String fastToken) {
        Instant started = Instant.now();
        long deadline = System.nanoTime() + SCENARIO_DEADLINE.toNanos();
        Instant nextMinute = started.plus(MINUTE_EVERY);
        Phase phase = Phase.WARM_UP;
        Instant revokedAt = null;
        Instant restoredAt = null;
        while (true) {
            Instant now = Instant.now();
            if (!now.isBefore(nextMinute)) {
                Instant from = ticks.get(ticks.size() - 1).to();
                assertThat(from).as("minutes left before the fixed clock").isBefore(LIVE_UNTIL);
                finalizeMinutes(from, from.plus(Granularity.MINUTE.size()));
                nextMinute = nextMinute.plus(MINUTE_EVERY);
            }
            switch (phase) {
                case WARM_UP -> {
                    if (successfulScrapes(prometheus, "fast", started, now) >= 2) {
                        revokedAt = Instant.now();
                        api.setRevoked(fastToken, true);
                        phase = Phase.FAST_REVOKED;
                        LOG.info("revoked the fast job's token at {}", revokedAt);
                    }
                }
                case FAST_REVOKED -> {
                    if (failedScrapeSince(prometheus, "fast", revokedAt, now)) {
                        api.setRevoked(fastToken, false);
                        restoredAt = Instant.now();
                        phase = Phase.RESTORED;
                        LOG.info(
                                "a fast scrape failed; token restored after {}",
                                Duration.between(revokedAt, restoredAt));
                    }
                }
                case RESTORED -> {
                    Instant settled = now.minus(SETTLED);
                    if (settled.isAfter(restoredAt)
                            && successfulScrapes(prometheus, "fast", restoredAt, settled) >= 2
                            && successfulScrapes(prometheus, "slow", started, settled) >= 3) {
                        LOG.info(
                                "{} minutes finalized in {}; evaluating at {}",
                                ticks.size() - 1,
                                Duration.between(started, now),
                                settled);
                        return settled;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still in phase " + phase + " after " + SCENARIO_DEADLINE);
            }
            pause();
        }
    }

    /** Scrapes of {@code job} that succeeded with a sample stamped in (from, at]. */
    private static long successfulScrapes(
            PrometheusServer prometheus, String job, Instant from, Instant at) {
        long seconds = Duration.between(from, at).toSeconds();
        if (seconds < 1) {
            return 0;
        }
        return Math.round(
                prometheus
                        .scalar("sum_over_time(up{job=\"" + job + "\"}[" + seconds + "s])", at)
                        .orElse(0));
    }

    private static boolean failedScrapeSince(
            PrometheusServer prometheus, String job, Instant since, Instant at) {
        long seconds = Duration.between(since, at).toSeconds() + 1;
        return prometheus.query("up{job=\"" + job + "\"}[" + seconds + "s]", at).stream()
                .flatMap(s -> s.samples().stream())
                .anyMatch(s -> s.value() == 0 && !s.time().isBefore(since));
    }

    /**
     * Generates the attempts of the minutes [from, to) for every pair, writes their minute rows,
     * adds each minute to its pair's running totals and writes those, as the job does, and marks
     * the minutes complete and final.
     */
    private void finalizeMinutes(Instant from, Instant to) {
        List<DeliveryAttempt> attempts = new ArrayList<>();
        for (Instant m = from; m.isBefore(to); m = m.plus(Granularity.MINUTE.size())) {
            // One factor for all pairs keeps every latency share, per pair and over the pairs.
            int factor = 1 + rnd.nextInt(2);
            for (Map.Entry<PairKey, List<Band>> e : profiles.entrySet()) {
                attempts.addAll(minuteOf(e.getKey(), e.getValue(), m, factor));
            }
        }
        List<PairBucket> rows = Attempts.rows(Granularity.MINUTE, attempts);
        Map<PairKey, DeliveryTotals> totals = new TreeMap<>();
        profiles.keySet().forEach(p -> totals.put(p, totalsBefore(p)));
        for (PairBucket row : rows) {
            totals.put(row.pair(), totals.get(row.pair()).plus(row.bucket()));
        }
        api.write(Granularity.MINUTE, rows);
        Instant writeStarted = Instant.now();
        api.writeTotals(
                totals.entrySet().stream()
                        .map(e -> new PairTotals(e.getKey(), to, e.getValue()))
                        .toList());
        Instant writeDone = Instant.now();
        api.completeThrough(shard, to);
        ticks.add(
                new Tick(
                        ticks.size(),
                        from,
                        to,
                        List.copyOf(attempts),
                        Map.copyOf(totals),
                        writeStarted,
                        writeDone));
    }

    private DeliveryTotals totalsBefore(PairKey pair) {
        return ticks.isEmpty()
                ? DeliveryTotals.ZERO
                : ticks.get(ticks.size() - 1).totals().get(pair);
    }

    private List<DeliveryAttempt> minuteOf(
            PairKey pair, List<Band> bands, Instant minute, int factor) {
        List<DeliveryAttempt> out = new ArrayList<>();
        for (Band b : bands) {
            for (int i = 0; i < b.count() * factor; i++) {
                out.add(
                        attemptIn(pair, minute)
                                .latencyMs(b.fromMs() + rnd.nextLong(b.toMs() - b.fromMs()))
                                .delivered());
            }
        }
        int[] counts = {rnd.nextInt(4), rnd.nextInt(3), rnd.nextInt(2), rnd.nextInt(3)};
        Outcome[] outcomes = {
            Outcome.RETRYING, Outcome.DISCARDED, Outcome.EXPIRED, Outcome.FILTERED
        };
        for (int k = 0; k < outcomes.length; k++) {
            for (int i = 0; i < counts[k]; i++) {
                out.add(
                        attemptIn(pair, minute)
                                .latencyMs(100 + rnd.nextInt(900))
                                .errorCode("http_500")
                                .outcome(outcomes[k]));
            }
        }
        return out;
    }

    private AttemptBuilder attemptIn(PairKey pair, Instant minute) {
        return AttemptBuilder.anAttempt()
                .pair(pair.workspaceId(), pair.sourceId(), pair.destinationId())
                .at(minute.plusMillis(rnd.nextInt(60_000)));
    }

    /** What Prometheus holds at one settled evaluation time, over a window since it started. */
    private final class Window {

        private final PrometheusServer prometheus;
        private final Instant end;
        private final long seconds;
        private final String range;
        private final String token;

        Window(PrometheusServer prometheus, Instant end, long seconds, String token) {
            this.prometheus = prometheus;
            this.end = end;
            this.seconds = seconds;
            this.range = "[" + seconds + "s]";
            this.token = token;
        }

        void assertScrapes() {
            List<Sample> slow = onlySeries("up{job=\"slow\"}" + range).samples();
            assertThat(slow).as("slow scrapes").hasSizeGreaterThanOrEqualTo(3);
            assertThat(slow).as("slow scrapes").allMatch(s -> s.value() == 1);
            List<Sample> fast = onlySeries("up{job=\"fast\"}" + range).samples();
            assertThat(fast)
                    .as("fast scrapes: one failed while its token was revoked")
                    .anyMatch(s -> s.value() == 0);
            assertThat(fast.get(fast.size() - 1).value()).as("last fast scrape").isEqualTo(1);
        }

        /** Every raw sample of every pair equals the test's running total at the sample's time. */
        void assertSamplesAreTheRunningTotals(String job) {
            List<Series> series = successes(job);
            assertThat(series.stream().map(this::pairOf))
                    .as("%s: pairs of %s", job, ws)
                    .containsExactlyInAnyOrderElementsOf(
                            profiles.keySet().stream()
                                    .filter(p -> p.workspaceId().equals(ws))
                                    .toList());
            for (Series s : series) {
                PairKey pair = pairOf(s);
                for (Sample sample : s.samples()) {
                    assertThat(sample.value())
                            .as("%s: successes of %s stamped %s", job, pair, sample.time())
                            .isIn(possibleSuccesses(pair, sample.time()));
                }
            }
        }

        /**
         * {@code increase()} over the window against Δ, the last sample minus the first in it:
         * Prometheus' extrapolatedRate (promql/functions.go) stretches Δ from the sampled interval
         * towards the window's edges, by at most the distance to each edge and never below zero,
         * and never shrinks it, so Δ ≤ increase ≤ Δ · W / (t_last − t_first) for a counter without
         * resets. Δ itself is exact: the counts of the minutes finalized between the two samples,
         * which the API's summary of those minutes gives too.
         */
        void assertIncreaseWithinExtrapolationOfTheExactCount(String job) {
            Map<PairKey, Double> increase = byPair(instant("increase(" + successesOf(job) + ")"));
            for (Series s : successes(job)) {
                PairKey pair = pairOf(s);
                Sample first = s.samples().get(0);
                Sample last = s.samples().get(s.samples().size() - 1);
                double delta = last.value() - first.value();
                double sampled = (last.timestampMillis() - first.timestampMillis()) / 1000.0;
                double upper = delta * seconds / sampled;
                Span span = spanOf(s);

                assertThat(delta).as("%s: Δ of %s", job, pair).isPositive();
                assertThat(increase.get(pair))
                        .as(
                                "%s: increase of %s; Δ %s over %s s of a %s s window",
                                job, pair, delta, sampled, seconds)
                        .isBetween(delta * (1 - 1e-9), upper * (1 + 1e-9));
                assertThat((long) delta)
                        .as("%s: Δ of %s is the successes the test added in between", job, pair)
                        .isEqualTo(Expected.of(attemptsIn(pair, span)).successes());
                assertThat(summary(pair, span).get("successes").asLong())
                        .as("%s: the API's successes of %s in the minutes between", job, pair)
                        .isEqualTo((long) delta);
                // Not asserted (Prometheus cannot know it): what was added in the window itself.
                long added = successesAt(pair, end) - successesAt(pair, end.minusSeconds(seconds));
                LOG.info(
                        "{} {}: {} samples over {} s of a {} s window; Δ {} = the API's count"
                                + " of [{}, {}); increase {} ({} of Δ), bound [Δ, {}];"
                                + " added in the window {}",
                        job,
                        pair,
                        s.samples().size(),
                        sampled,
                        seconds,
                        (long) delta,
                        ticks.get(span.after() + 1).from(),
                        ticks.get(span.through()).to(),
                        increase.get(pair),
                        String.format("%+.1f %%", 100 * (increase.get(pair) / delta - 1)),
                        upper,
                        added);
            }
        }

        /**
         * {@code histogram_quantile(0.95, …)} over the window interpolates inside the bucket where
         * 95 % of the window's latencies are reached, which is the bucket that holds the API's p95
         * of the same minutes. Per pair against the summary endpoint; over all the workspace's
         * pairs against the exact p95 of the test's own latencies, as no endpoint merges pairs over
         * a range.
         */
        void assertQuantileInTheBucketOfTheApisP95(String job) {
            Map<PairKey, Span> spans = new TreeMap<>();
            for (Series s : successes(job)) {
                PairKey pair = pairOf(s);
                spans.put(pair, spanOf(s));
                double api = summary(pair, spans.get(pair)).get("latency_p95").asDouble() / 1000;
                double q =
                        p95(
                                "{job=\""
                                        + job
                                        + "\",workspace=\""
                                        + ws
                                        + "\",source=\""
                                        + pair.sourceId()
                                        + "\",destination=\""
                                        + pair.destinationId()
                                        + "\"}");
                double[] bucket = bucketOf(api);
                assertThat(q)
                        .as("%s: p95 of %s; the API's is %s s", job, pair, api)
                        .isBetween(bucket[0], bucket[1]);
                LOG.info(
                        "{} {}: histogram_quantile {} s, the API's p95 {} s, bucket ({}, {}]",
                        job,
                        pair,
                        q,
                        api,
                        bucket[0],
                        bucket[1]);
            }
            // Every series of a job comes from the same scrapes, so from the same minutes.
            assertThat(spans.values().stream().distinct())
                    .as("%s: minutes between the first and the last sample, per pair", job)
                    .hasSize(1);
            Span span = spans.values().iterator().next();
            List<DeliveryAttempt> all = new ArrayList<>();
            spans.keySet().forEach(p -> all.addAll(attemptsIn(p, span)));
            double exact = Expected.of(all).exactQuantile(0.95) / 1000.0;
            double q = p95("{job=\"" + job + "\"}");
            double[] bucket = bucketOf(exact);
            assertThat(q)
                    .as("%s: p95 over the pairs; the exact one is %s s", job, exact)
                    .isBetween(bucket[0], bucket[1]);
            LOG.info(
                    "{} all pairs: histogram_quantile {} s, exact p95 {} s, bucket ({}, {}]",
                    job,
                    q,
                    exact,
                    bucket[0],
                    bucket[1]);
        }

        private double p95(String selector) {
            String promql =
                    "histogram_quantile(0.95, sum by (le) (rate(event_delivery_latency_seconds_bucket"
                            + selector
                            + range
                            + ")))";
            return prometheus
                    .scalar(promql, end)
                    .orElseThrow(() -> new AssertionError("no value for " + promql));
        }

        private Span spanOf(Series s) {
            PairKey pair = pairOf(s);
            return new Span(
                    tickOf(pair, s.samples().get(0).value()),
                    tickOf(pair, s.samples().get(s.samples().size() - 1).value()));
        }

        void assertNoSeriesOfAnotherWorkspace() {
            assertThat(api.adminSamples().keySet())
                    .as("the other workspace's pair is in the shard's totals")
                    .anyMatch(k -> k.contains("workspace=\"" + otherWs + "\""));
            Instant start = end.minusSeconds(seconds);
            assertThat(prometheus.series("{workspace=\"" + ws + "\"}", start, end))
                    .as("series of " + ws)
                    .isNotEmpty();
            assertThat(prometheus.series("{workspace=\"" + otherWs + "\"}", start, end))
                    .as("series of " + otherWs)
                    .isEmpty();
            assertThat(instant("count({workspace=\"" + otherWs + "\"})"))
                    .as("count of " + otherWs)
                    .isEmpty();
        }

        private List<Series> successes(String job) {
            List<Series> series = prometheus.query(successesOf(job), end);
            series.forEach(
                    s -> assertThat(s.samples()).as("samples of %s", s).hasSizeGreaterThan(1));
            return series;
        }

        private String successesOf(String job) {
            return "event_delivery_successes_total{job=\""
                    + job
                    + "\",workspace=\""
                    + ws
                    + "\"}"
                    + range;
        }

        private List<Series> instant(String promql) {
            return prometheus.query(promql, end);
        }

        private Series onlySeries(String promql) {
            List<Series> result = instant(promql);
            assertThat(result).as(promql).hasSize(1);
            return result.get(0);
        }

        private Map<PairKey, Double> byPair(List<Series> vector) {
            Map<PairKey, Double> out = new TreeMap<>();
            vector.forEach(s -> out.put(pairOf(s), s.sample().value()));
            return out;
        }

        private PairKey pairOf(Series s) {
            return new PairKey(s.label("workspace"), s.label("source"), s.label("destination"));
        }

        /** The API's summary of {@code pair} over the minutes of {@code span}. */
        private JsonNode summary(PairKey pair, Span span) {
            HttpResult r =
                    api.get(
                            "/v1/workspaces/"
                                    + ws
                                    + "/delivery-metrics/summary?start="
                                    + ticks.get(span.after() + 1).from()
                                    + "&end="
                                    + ticks.get(span.through()).to()
                                    + "&source="
                                    + pair.sourceId()
                                    + "&destination="
                                    + pair.destinationId()
                                    + "&metrics=successes,latency_p95",
                            token);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("partial").asBoolean()).as(r.toString()).isFalse();
            assertThat(r.json().get("pairs")).as(r.toString()).hasSize(1);
            return r.json().get("pairs").get(0);
        }
    }

    /**
     * The successes of {@code pair} a scrape stamped {@code t} may have read. Prometheus stamps a
     * sample with the time its scrape began, and the server reads the row during the scrape, which
     * lasts at most the scrape timeout; the test knows a write's commit only to lie between its own
     * stamps around it. So a write done before {@code t} must be in the sample, one started after
     * {@code t} plus the timeout cannot be, and one in between may or may not be, however slow the
     * machine.
     */
    private List<Double> possibleSuccesses(PairKey pair, Instant t) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < ticks.size(); i++) {
            Tick tick = ticks.get(i);
            boolean laterOneSurelyIn =
                    i + 1 < ticks.size() && ticks.get(i + 1).writeDone().isBefore(t);
            boolean possiblyIn = !tick.writeStarted().isAfter(t.plus(SCRAPE_TIMEOUT));
            if (possiblyIn && !laterOneSurelyIn) {
                out.add((double) tick.totals().get(pair).successes());
            }
        }
        return out;
    }

    /** The successes of {@code pair} in the last totals written before {@code t}. */
    private long successesAt(PairKey pair, Instant t) {
        long out = 0;
        for (Tick tick : ticks) {
            if (tick.writeDone().isBefore(t)) {
                out = tick.totals().get(pair).successes();
            }
        }
        return out;
    }

    /** The tick after which {@code pair} had {@code successes}; successes grow every minute. */
    private int tickOf(PairKey pair, double successes) {
        for (Tick tick : ticks) {
            if (tick.totals().get(pair).successes() == successes) {
                return tick.index();
            }
        }
        throw new AssertionError("no total of " + pair + " was " + successes);
    }

    private List<DeliveryAttempt> attemptsIn(PairKey pair, Span span) {
        List<DeliveryAttempt> out = new ArrayList<>();
        for (Tick tick : ticks.subList(span.after() + 1, span.through() + 1)) {
            tick.attempts().stream().filter(x -> x.pair().equals(pair)).forEach(out::add);
        }
        return out;
    }

    /** The histogram bucket (lower, upper] in seconds that holds {@code seconds}. */
    private static double[] bucketOf(double seconds) {
        double lower = 0;
        for (double ms : DeliveryTotals.LATENCY_BOUNDS_MS) {
            double upper = ms / 1000.0;
            if (seconds <= upper) {
                return new double[] {lower, upper};
            }
            lower = upper;
        }
        return new double[] {lower, Double.POSITIVE_INFINITY};
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** A short pause between two polls. */
    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
