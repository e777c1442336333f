package io.deliverymetrics.api;

import static io.deliverymetrics.api.support.Attempts.select;
import static io.deliverymetrics.api.support.Shown.assertLatency;
import static io.deliverymetrics.api.support.Shown.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.Browser;
import io.deliverymetrics.api.support.Expected;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.PairPage;
import io.deliverymetrics.api.support.Shown;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.metrics.ErrorSamples;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.TotalsRows;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The built-in dashboard in a real headless Chromium against a real server: every number checked
 * here is computed independently from the seeded attempts, and compared with what the page shows.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardITCase {

    private static final Instant FROM = Instant.parse("2026-11-26T11:10:00Z");
    private static final Instant TO = Instant.parse("2026-11-26T11:50:00Z");
    private static final Instant COMPLETE_THROUGH = Instant.parse("2026-11-26T11:58:00Z");

    private static final PairKey HEALTHY = pair("src_app", "dst_warehouse");
    private static final PairKey FLAKY = pair("src_web", "dst_amplitude");
    private static final PairKey SLOW = pair("src_web", "dst_slow");

    /** The flaky pair's attempts before {@link #FROM}: the previous range of the 1 h view. */
    private static final Instant PREVIOUS_FROM = Instant.parse("2026-11-26T10:10:00Z");

    private static final Instant PREVIOUS_TO = Instant.parse("2026-11-26T10:50:00Z");

    /** (event type, event name) of the flaky pair's events, most frequent first. */
    private static final String[][] EVENTS = {
        {"track", "Order Completed"},
        {"track", "Checkout Started"},
        {"identify", null},
        {"page", "Home"},
        {"track", "Product Viewed"}
    };

    /** What the destination answered to the flaky pair's failed attempts. */
    private static final String[] MESSAGES = {
        "{\"error\":\"invalid value for $.properties.currency\"}",
        "upstream timed out after 30 s",
        "429 Too Many Requests: retry after 2 s",
        null
    };

    /** Goals are evaluated over windows that end at the start of the server clock's minute. */
    private static final Instant GOAL_END = TestDeployment.NOW.truncatedTo(ChronoUnit.MINUTES);

    private static final double PAIR_TARGET = 0.99;
    private static final double WORKSPACE_TARGET = 0.9;
    private static final long P95_TARGET_MS = 2_000;
    private static final long LAG_TARGET_S = 300;

    /** In the goals workspace: half its events discarded in the last 30 minutes. */
    private static final PairKey BURNING = pair("src_web", "dst_braze");

    /** In the goals workspace: one event in 200 discarded all along. */
    private static final PairKey STEADY = pair("src_app", "dst_s3");

    /**
     * Run before the page's own scripts: counts the page's requests in flight and holds each answer
     * for 1 s, so that requests queue whenever the page sends more than it lets run.
     */
    private static final String HELD_FETCH =
            """
            window.__fetches = {active: 0, max: 0, urls: []};
            const fetchNow = window.fetch.bind(window);
            window.fetch = async (input, init) => {
              const f = window.__fetches;
              f.active++;
              f.max = Math.max(f.max, f.active);
              f.urls.push(String(input));
              try {
                const answer = await fetchNow(input, init);
                await new Promise(done => setTimeout(done, 1000));
                return answer;
              } finally {
                f.active--;
              }
            };""";

    private final EmbeddedMariaDb db;
    private final UniqueNames names;
    private final ObservedResponses observed;
    private final TestDeployment api;
    private final String ws;
    private final String goalsWs;
    private final List<DeliveryAttempt> attempts = new ArrayList<>();
    private final List<DeliveryAttempt> goalAttempts = new ArrayList<>();
    private Browser browser;
    private String token;
    private String emptyToken;
    private String goalsToken;

    DashboardITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.db = db;
        this.names = names;
        this.observed = observed;
        this.api = TestDeployment.start(db, names, observed, Map.of());
        this.ws = api.workspaceOnShard(0);
        this.goalsWs = api.workspaceOnShard(0);
    }

    private static PairKey pair(String src, String dst) {
        return new PairKey("placeholder", src, dst);
    }

    @BeforeAll
    void seed() {
        attempts.addAll(healthy(on(HEALTHY)));
        attempts.addAll(
                labelled(
                        Attempts.generate(new Random(7), on(FLAKY), FROM, TO, 600),
                        "evt_",
                        EVENTS.length));
        // The last event kind is new in the current range: it has no relative change.
        attempts.addAll(
                labelled(
                        Attempts.generate(
                                new Random(11), on(FLAKY), PREVIOUS_FROM, PREVIOUS_TO, 300),
                        "prev_",
                        EVENTS.length - 1));
        attempts.addAll(slow(on(SLOW)));
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        api.completeThrough(0, COMPLETE_THROUGH);
        token = api.token(ws);
        emptyToken = api.token(api.workspaceOnShard(1));
        seedGoals();
        browser = Browser.start();
    }

    /**
     * A workspace of two pairs over the 8 hours before {@link #GOAL_END}, each with a 24 h
     * success-rate goal of its own (one burning its budget, one not), a p95 goal on the burning
     * pair's destination, and a success-rate and a data-lag goal of the workspace.
     */
    private void seedGoals() {
        PairKey burning = onGoals(BURNING);
        PairKey steady = onGoals(STEADY);
        goalAttempts.addAll(baseline(burning));
        goalAttempts.addAll(baseline(steady));
        for (int i = 0; i < 300; i++) {
            AttemptBuilder a =
                    at(burning, GOAL_END.minus(Duration.ofMinutes(30)).plusSeconds(6L * i))
                            .latencyMs(400);
            goalAttempts.add(i % 2 == 0 ? a.errorCode("http_503").discarded() : a.delivered());
        }
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, goalAttempts));
        // Running totals, as the job writes them: goals may only name pairs that have them.
        List<TotalsRows.PairTotals> totals = new ArrayList<>();
        for (PairKey p : List.of(burning, steady)) {
            MetricBucket b = new MetricBucket();
            goalAttempts.stream().filter(a -> a.pair().equals(p)).forEach(b::add);
            totals.add(new TotalsRows.PairTotals(p, COMPLETE_THROUGH, DeliveryTotals.ZERO.plus(b)));
        }
        api.writeTotals(totals);
        goalsToken = api.token(goalsWs);
        putGoal("braze_checkout", successRateGoal(PAIR_TARGET, BURNING));
        putGoal("s3_export", successRateGoal(PAIR_TARGET, STEADY));
        putGoal(
                "braze_p95",
                "{\"kind\":\"latency_p95\",\"target\":"
                        + P95_TARGET_MS
                        + ",\"window\":\"6h\",\"destination_id\":\""
                        + BURNING.destinationId()
                        + "\"}");
        putGoal(
                "all_deliveries",
                "{\"kind\":\"success_rate\",\"target\":"
                        + WORKSPACE_TARGET
                        + ",\"window\":\"24h\"}");
        putGoal("freshness", "{\"kind\":\"data_lag\",\"target\":" + LAG_TARGET_S + "}");
    }

    private static String successRateGoal(double target, PairKey p) {
        return "{\"kind\":\"success_rate\",\"target\":"
                + target
                + ",\"window\":\"24h\",\"source_id\":\""
                + p.sourceId()
                + "\",\"destination_id\":\""
                + p.destinationId()
                + "\",\"description\":\"<b>events</b> & more\"}";
    }

    private void putGoal(String id, String body) {
        HttpResult r =
                api.send(
                        HttpRequest.newBuilder(
                                        api.base()
                                                .resolve(
                                                        "/v1/workspaces/"
                                                                + goalsWs
                                                                + "/goals/"
                                                                + id))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + goalsToken)
                                .PUT(HttpRequest.BodyPublishers.ofString(body))
                                .build());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /** 2,000 events over the 8 hours before {@link #GOAL_END}: one in 200 discarded. */
    private static List<DeliveryAttempt> baseline(PairKey p) {
        List<DeliveryAttempt> out = new ArrayList<>();
        Instant from = GOAL_END.minus(Duration.ofHours(8));
        for (int i = 0; i < 2_000; i++) {
            AttemptBuilder a =
                    at(p, from.plusMillis(i * Duration.ofHours(8).toMillis() / 2_000))
                            .latencyMs(200 + i % 300);
            out.add(i % 200 == 7 ? a.errorCode("http_400").discarded() : a.delivered());
        }
        return out;
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(browser.consoleErrors()).as("console errors of the page").isEmpty();
    }

    @AfterAll
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            api.close();
        }
    }

    private PairKey on(PairKey p) {
        return new PairKey(ws, p.sourceId(), p.destinationId());
    }

    private PairKey onGoals(PairKey p) {
        return new PairKey(goalsWs, p.sourceId(), p.destinationId());
    }

    /**
     * The attempts as the sender labels them: event ids {@code prefix + i}, one of the first {@code
     * kinds} of {@link #EVENTS} (half the first, a quarter the second, …) and a message on
     * failures.
     */
    private static List<DeliveryAttempt> labelled(
            List<DeliveryAttempt> generated, String prefix, int kinds) {
        List<DeliveryAttempt> out = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            DeliveryAttempt a = generated.get(i);
            String[] event = EVENTS[Math.min(kinds - 1, Integer.numberOfTrailingZeros(i + 1))];
            out.add(
                    AttemptBuilder.anAttempt()
                            .pair(a.workspaceId(), a.sourceId(), a.destinationId())
                            .event(prefix + i)
                            .attempt(a.attempt())
                            .at(a.completedAt())
                            .latencyMs(Duration.between(a.receivedAt(), a.completedAt()).toMillis())
                            .eventType(event[0])
                            .eventName(event[1])
                            .errorCode(a.errorCode())
                            .errorMessage(
                                    a.outcome().isFailure() ? MESSAGES[i % MESSAGES.length] : null)
                            .outcome(a.outcome()));
        }
        return out;
    }

    /** 500 fast deliveries, 2 discarded and 3 retried attempts: 99.60 % success. */
    private static List<DeliveryAttempt> healthy(PairKey p) {
        List<DeliveryAttempt> out = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            out.add(
                    at(p, FROM.plusMillis(i * 4_800L))
                            .attempt(i % 7 == 0 ? 2 : 1)
                            .latencyMs(50 + (i * 37L) % 400)
                            .delivered());
        }
        for (int i = 0; i < 2; i++) {
            out.add(
                    at(p, FROM.plus(Duration.ofMinutes(10 + 10 * i)))
                            .errorCode("http_400")
                            .outcome(Outcome.DISCARDED));
        }
        for (int i = 0; i < 3; i++) {
            out.add(
                    at(p, FROM.plus(Duration.ofMinutes(5 + 7 * i)))
                            .errorCode("http_503")
                            .outcome(Outcome.RETRYING));
        }
        return out;
    }

    /** 200 deliveries of 5.5 to 9 s and one expired event: 99.50 % success, p95 above 5 s. */
    private static List<DeliveryAttempt> slow(PairKey p) {
        List<DeliveryAttempt> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            out.add(
                    at(p, FROM.plusMillis(i * 12_000L))
                            .latencyMs(5_500 + (i * 17L) % 3_500)
                            .delivered());
        }
        out.add(
                at(p, FROM.plus(Duration.ofMinutes(30)))
                        .errorCode("timeout")
                        .outcome(Outcome.EXPIRED));
        return out;
    }

    private static AttemptBuilder at(PairKey p, Instant t) {
        return AttemptBuilder.anAttempt()
                .pair(p.workspaceId(), p.sourceId(), p.destinationId())
                .at(t);
    }

    private Expected expected(PairKey p, Instant from, Instant to) {
        PairKey k = on(p);
        return Expected.of(
                select(
                        attempts,
                        from,
                        to,
                        a ->
                                a.sourceId().equals(k.sourceId())
                                        && a.destinationId().equals(k.destinationId())));
    }

    @Test
    void shouldServeThePageAndTellItWhetherItNeedsATokenAndWhichWorkspaceTheTokenReads() {
        HttpResponse<String> page = api.getText("/", null);
        HttpResult config = api.get("/dashboard-config", null);
        HttpResult me = api.get("/v1/whoami", token);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\">");
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().get("auth_enabled").asBoolean()).isTrue();
        assertThat(config.json().get("server_time").asText())
                .isEqualTo(TestDeployment.NOW.toString());
        assertThat(config.json().get("success_rate_threshold").asDouble()).isEqualTo(0.99);
        assertThat(config.json().get("latency_p95_threshold_ms").asLong()).isEqualTo(5000);
        assertThat(config.json().get("refresh_seconds").asDouble()).isEqualTo(10);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("workspace_id").asText()).isEqualTo(ws);
        assertThat(me.json().get("token_id").asText())
                .isEqualTo(token.substring(0, token.indexOf('.')));
        assertThat(api.get("/v1/whoami", null).status()).isEqualTo(401);
    }

    @Test
    void shouldAskForATokenThenListEveryPairWithTotalsComputedFromTheAttempts() {
        signIn(token);

        List<Map<String, String>> rows = overviewRows(3);

        assertThat(rows)
                .extracting(r -> r.get("source") + ">" + r.get("destination"))
                .containsExactly(
                        "src_app>dst_warehouse", "src_web>dst_amplitude", "src_web>dst_slow");
        for (Map<String, String> row : rows) {
            PairKey p = pair(row.get("source"), row.get("destination"));
            Expected e = expected(p, FROM, TO);
            assertThat(row.get("successes"))
                    .as("successes of %s", p)
                    .isEqualTo(count(e.successes()));
            assertThat(row.get("failures"))
                    .as("failures of %s", p)
                    .isEqualTo(count(e.discarded() + e.expired()));
            assertThat(row.get("success_rate"))
                    .as("success rate of %s", p)
                    .isEqualTo(rate(e.successes(), e.successes() + e.discarded() + e.expired()));
            assertLatency(row.get("latency_p95"), e.exactQuantile(0.95));
        }
        assertThat(rows).extracting(r -> r.get("problem")).containsExactly("no", "yes", "yes");
        assertThat(browser.all("#overview-table tbody svg.sparkline polyline")).hasSize(3);
        Expected all = Expected.of(select(attempts, FROM, TO, a -> true));
        assertThat(kpi("overview", "successes")).isEqualTo(count(all.successes()));
        assertThat(kpi("overview", "failures")).isEqualTo(count(all.discarded() + all.expired()));
        assertThat(kpi("overview", "problems")).isEqualTo("2");
        assertThat(browser.text("#granularity")).isEqualTo("minute");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(token);
        assertThat(browser.script("return window.sessionStorage.getItem('delivery-metrics.token')"))
                .isEqualTo(token);
        browser.screenshot("overview");
    }

    @Test
    void shouldSortPairsByTheClickedColumn() {
        signIn(token);
        overviewRows(3);

        sortBy("successes");
        List<String> descending = overviewSources();
        sortBy("successes");
        List<String> ascending = overviewSources();

        assertThat(descending).containsExactly("dst_warehouse", "dst_amplitude", "dst_slow");
        assertThat(ascending).containsExactly("dst_slow", "dst_amplitude", "dst_warehouse");
        assertThat(
                        browser.driver()
                                .findElement(By.cssSelector("th[data-col=successes]"))
                                .getAttribute("aria-sort"))
                .isEqualTo("ascending");
    }

    @Test
    void shouldDrillDownIntoAPairWithItsChartsAndErrorBreakdown() {
        signIn(token);
        overviewRows(3);

        browser.driver()
                .findElement(
                        By.cssSelector("tr[data-destination=dst_amplitude] td[data-col=source] a"))
                .click();
        browser.untilText("#pair-title", t -> t.equals("src_web → dst_amplitude"));
        browser.visible("#error-table");

        Expected e = expected(FLAKY, FROM, TO);
        long failures = e.discarded() + e.expired();
        assertThat(kpi("pair", "successes")).isEqualTo(count(e.successes()));
        assertThat(kpi("pair", "failures")).isEqualTo(count(failures));
        assertThat(kpi("pair", "success_rate"))
                .isEqualTo(rate(e.successes(), e.successes() + failures));
        assertThat(kpi("pair", "retried")).isEqualTo(count(e.retried()));
        assertLatency(kpi("pair", "latency_p95"), e.exactQuantile(0.95));
        assertLatency(kpi("pair", "latency_p99"), e.exactQuantile(0.99));

        long allFailures = e.retried() + failures;
        Map<String, String> shownCounts = new HashMap<>();
        Map<String, String> shownShares = new HashMap<>();
        for (Map<String, String> row : errorRows()) {
            String key = row.get("outcome") + "/" + row.get("error_code");
            shownCounts.put(key, row.get("count"));
            shownShares.put(key, row.get("share"));
        }
        Map<String, String> expectedCounts = new HashMap<>();
        Map<String, String> expectedShares = new HashMap<>();
        e.errors()
                .forEach(
                        (key, n) -> {
                            expectedCounts.put(key, count(n));
                            expectedShares.put(key, share(n, allFailures));
                        });
        assertThat(shownCounts).isEqualTo(expectedCounts);
        assertThat(shownShares).isEqualTo(expectedShares);

        assertThat(browser.text("#granularity")).isEqualTo("minute");
        assertThat(browser.all("#outcome-chart path.area")).hasSize(5);
        assertThat(browser.all("#latency-chart path.line")).hasSize(3);
        assertThat(browser.all("#attempt-chart rect.bar")).hasSize(10);
        Instant end = shownRangeEnd();
        assertThat(
                        browser.driver()
                                .findElement(By.cssSelector("#outcome-chart svg"))
                                .getAttribute("data-partial-buckets"))
                .as("buckets ending after complete_through are marked partial")
                .isEqualTo(Long.toString(Duration.between(COMPLETE_THROUGH, end).toMinutes()));
        assertThat(browser.visible("#partial-note").getText()).contains("partial");
        assertThat(browser.text("#refresh-note")).contains("live", "10 s");
        browser.screenshot("pair");
    }

    @Test
    void shouldBreakThePairsFailuresDownByEventAgainstThePreviousRangeAndShowAReasonsSamples() {
        signIn(token);
        overviewRows(3);
        openPair(FLAKY);
        Instant start = shownRangeStart();
        Instant end = shownRangeEnd();
        Instant previousStart = start.minus(Duration.between(start, end));
        PairKey k = on(FLAKY);
        Predicate<DeliveryAttempt> flaky = a -> a.pair().equals(k);
        List<DeliveryAttempt> now = select(attempts, start, end, flaky);
        List<DeliveryAttempt> before = select(attempts, previousStart, start, flaky);
        assertThat(before).as("the previous range has attempts to compare with").isNotEmpty();

        List<Map<String, String>> shown = PairPage.eventRows(browser);

        assertThat(shown).isEqualTo(expectedEventRows(now, before));

        // The reason with the most failed attempts, whose ten samples are a choice among them.
        Map<String, List<DeliveryAttempt>> byReason = new HashMap<>();
        for (DeliveryAttempt a : now) {
            if (a.outcome().isFailure()) {
                byReason.computeIfAbsent(reasonOf(a), r -> new ArrayList<>()).add(a);
            }
        }
        String reason =
                byReason.entrySet().stream()
                        .max(Map.Entry.comparingByValue(Comparator.comparingInt(List::size)))
                        .orElseThrow()
                        .getKey();
        List<DeliveryAttempt> failed = byReason.get(reason);
        assertThat(failed).as("more failed attempts than samples").hasSizeGreaterThan(10);
        String outcome = reason.substring(0, reason.indexOf('/'));
        String code = reason.substring(reason.indexOf('/') + 1);

        List<Map<String, String>> samples = PairPage.openSamples(browser, outcome, code);

        assertThat(PairPage.reasonCell(browser, outcome, code, "count"))
                .isEqualTo(count(failed.size()));
        assertThat(samples).isEqualTo(expectedSamples(failed));
        browser.screenshot("pair-investigate");
    }

    @Test
    void shouldLabelTheOtherRowThatCountsTheEventsBeyondTheNamesABucketKeeps() {
        String busyWs = api.workspaceOnShard(0);
        PairKey busy = new PairKey(busyWs, "src_app", "dst_busy");
        Instant minute = Instant.parse("2026-11-26T11:30:00Z");
        List<DeliveryAttempt> seeded = new ArrayList<>();
        // As many names as a bucket keeps, two attempts each, first; then names of one attempt:
        // a bucket keeps the names with the most attempts, so these are counted under other.
        for (int i = 0; i < MetricBucket.MAX_EVENT_KEYS; i++) {
            String name = String.format(Locale.ROOT, "Kept %03d", i);
            seeded.add(at(busy, minute).event("kept_" + i).eventName(name).delivered());
            AttemptBuilder second = at(busy, minute).event("kept_" + i).attempt(2).eventName(name);
            seeded.add(i % 50 == 0 ? second.errorCode("http_400").discarded() : second.delivered());
        }
        for (int i = 0; i < 7; i++) {
            seeded.add(
                    at(busy, minute.plusSeconds(30))
                            .event("rare_" + i)
                            .eventName("Rare " + i)
                            .errorCode("timeout")
                            .expired());
        }
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, seeded));
        Map<String, Long> attemptsByName = new HashMap<>();
        seeded.forEach(a -> attemptsByName.merge(a.eventName(), 1L, Long::sum));
        List<DeliveryAttempt> folded =
                seeded.stream().filter(a -> attemptsByName.get(a.eventName()) == 1).toList();
        long pairFailures = seeded.stream().filter(DashboardITCase::failed).count();
        long otherFailures = folded.stream().filter(DashboardITCase::failed).count();
        signIn(api.token(busyWs));
        overviewRows(1);
        openPair(busy);

        List<Map<String, String>> rows = PairPage.eventRows(browser);

        assertThat(rows).hasSize(MetricBucket.MAX_EVENT_KEYS + 1);
        Map<String, String> other = rows.get(0);
        assertThat(other.get("other")).isEqualTo("yes");
        assertThat(other.get("event_type")).isEqualTo("other");
        assertThat(other.get("event_name")).isEqualTo("all other event names");
        assertThat(other.get("attempts")).isEqualTo(count(folded.size()));
        assertThat(other.get("failures")).isEqualTo(count(otherFailures));
        assertThat(other.get("share")).isEqualTo(percent((double) otherFailures / pairFailures));
        assertThat(other.get("change")).isEqualTo(signed(otherFailures));
        assertThat(other.get("change_relative")).as("nothing before").isEqualTo("\u2014");
        assertThat(rows.subList(1, rows.size()))
                .allSatisfy(r -> assertThat(r.get("other")).isEqualTo("no"));
    }

    @Test
    void shouldKeepAtMostThreeRequestsInFlightAndNeverStartTheQueuedOnesOfAPageLeftEarly() {
        ChromeDriver chrome = (ChromeDriver) browser.driver();
        Map<String, Object> wrapper =
                chrome.executeCdpCommand(
                        "Page.addScriptToEvaluateOnNewDocument", Map.of("source", HELD_FETCH));
        try {
            signIn(token);
            overviewRows(3);
            untilIdle();
            browser.script("window.__fetches.max = 0; window.__fetches.urls = [];");

            openPair(FLAKY);
            PairPage.eventRows(browser);
            untilIdle();
            Map<?, ?> pairLoad = (Map<?, ?>) browser.script("return window.__fetches;");

            assertThat(((List<?>) pairLoad.get("urls")).size())
                    .as("requests of the pair page")
                    .isGreaterThanOrEqualTo(5);
            assertThat(((Number) pairLoad.get("max")).intValue())
                    .as("most requests in flight at once")
                    .isEqualTo(3);

            browser.driver().findElement(By.id("back")).click();
            overviewRows(3);
            untilIdle();
            browser.script("window.__fetches.max = 0; window.__fetches.urls = [];");
            browser.script("location.hash = arguments[0];", "#/pairs/src_web/dst_amplitude");
            // Its first three requests are held in flight; the others wait in the queue.
            browser.until(
                    d ->
                            ((Number) browser.script("return window.__fetches.urls.length;"))
                                                    .intValue()
                                            >= 3
                                    ? true
                                    : null);
            browser.script("location.hash = arguments[0];", "#/?range=1h");
            overviewRows(3);
            untilIdle();
            Map<?, ?> left = (Map<?, ?>) browser.script("return window.__fetches;");

            assertThat((List<?>) left.get("urls"))
                    .as("the left page's queued event breakdown never started")
                    .noneMatch(u -> u.toString().contains("group_by=event_name"));
            assertThat(((Number) left.get("max")).intValue()).isLessThanOrEqualTo(3);
            assertThat(browser.driver().findElement(By.id("alert")).isDisplayed()).isFalse();
        } finally {
            chrome.executeCdpCommand(
                    "Page.removeScriptToEvaluateOnNewDocument",
                    Map.of("identifier", wrapper.get("identifier")));
        }
    }

    /** Until no request is in flight and the page says it is not loading. */
    private void untilIdle() {
        browser.until(
                d ->
                        Boolean.TRUE.equals(
                                        browser.script(
                                                "return window.__fetches.active === 0"
                                                        + " && document.getElementById('busy').hidden;"))
                                ? true
                                : null);
    }

    @Test
    void shouldPickCoarserBucketsForLongerRangesAndKeepTheTotals() {
        signIn(token);
        overviewRows(3);
        openPair(HEALTHY);
        Expected e = expected(HEALTHY, FROM, TO);

        pickRange("7d");
        browser.untilText("#granularity", "hour"::equals);
        assertThat(kpi("pair", "successes")).isEqualTo(count(e.successes()));
        browser.screenshot("pair-7d");

        pickRange("30d");
        browser.untilText("#granularity", "hour"::equals);
        browser.untilText("#range-label", t -> t.startsWith("2026-10-27"));
        assertThat(kpi("pair", "successes")).isEqualTo(count(e.successes()));

        pickRange("24h");
        browser.untilText("#range-label", t -> t.startsWith("2026-11-25"));
        assertThat(browser.text("#granularity")).isEqualTo("minute");
        assertThat(kpi("pair", "successes")).isEqualTo(count(e.successes()));

        pickRange("10m");
        String empty = browser.untilText("#pair-empty", t -> !t.isEmpty());
        assertThat(empty).startsWith("No deliveries from src_app to dst_warehouse");
        assertThat(browser.driver().findElement(By.id("pair-charts")).isDisplayed()).isFalse();
    }

    @Test
    void shouldShowAFixedCustomRange() {
        signIn(token);
        overviewRows(3);
        openPair(FLAKY);
        Instant from = Instant.parse("2026-11-26T11:20:00Z");
        Instant to = Instant.parse("2026-11-26T11:40:00Z");

        browser.driver().findElement(By.cssSelector("#ranges [data-range=custom]")).click();
        browser.visible("#custom-range");
        browser.script(
                "document.getElementById('custom-start').value = arguments[0];"
                        + "document.getElementById('custom-end').value = arguments[1];",
                "2026-11-26T11:20",
                "2026-11-26T11:40");
        browser.driver().findElement(By.cssSelector("#custom-range button[type=submit]")).click();

        browser.untilText("#range-label", t -> t.equals("2026-11-26 11:20 → 2026-11-26 11:40 UTC"));
        Expected e = expected(FLAKY, from, to);
        assertThat(kpi("pair", "successes")).isEqualTo(count(e.successes()));
        assertThat(kpi("pair", "failures")).isEqualTo(count(e.discarded() + e.expired()));
        assertThat(browser.text("#refresh-note")).startsWith("fixed range");
        assertThat(browser.driver().findElement(By.id("partial-note")).isDisplayed()).isFalse();
    }

    @Test
    void shouldShowTheEmptyStateOfAWorkspaceWithoutDeliveries() {
        signIn(emptyToken);

        String message = browser.untilText("#overview-empty", t -> !t.isEmpty());

        assertThat(message).startsWith("No deliveries in workspace ");
        assertThat(browser.driver().findElement(By.id("overview-table")).isDisplayed()).isFalse();
        assertThat(kpi("overview", "pairs")).isEqualTo("0");
        browser.screenshot("empty");
    }

    @Test
    void shouldShowTheServersProblemDetailForAnInvalidToken() {
        signIn("dm_0123456789abcdef.this-secret-is-wrong");

        String error = browser.untilText("#login-error", t -> !t.isEmpty());

        assertThat(error).isEqualTo("Unauthorized: the token is invalid or has been revoked");
        assertThat(browser.script("return window.sessionStorage.getItem('delivery-metrics.token')"))
                .as("a rejected token is forgotten")
                .isNull();
        browser.screenshot("invalid-token");
    }

    @Test
    void shouldShowTheProblemDetailWhenTheRangeCannotBeServed() {
        String start = "2020-01-01T00:00:00Z";
        String end = "2020-01-02T00:00:00Z";
        HttpResult direct =
                api.get(
                        "/v1/workspaces/"
                                + ws
                                + "/delivery-metrics/summary?start="
                                + start
                                + "&end="
                                + end,
                        token);
        assertThat(direct.status()).isEqualTo(422);
        signIn(token);
        overviewRows(3);

        browser.driver().navigate().to(api.base() + "/#/?start=" + start + "&end=" + end);

        String alert = browser.untilText("#alert", t -> !t.isEmpty());
        assertThat(alert)
                .isEqualTo(
                        direct.json().get("title").asText()
                                + " "
                                + direct.json().get("detail").asText());
        assertThat(browser.driver().findElement(By.id("overview")).isDisplayed()).isFalse();
        browser.screenshot("range-error");
    }

    @Test
    void shouldWorkWithoutATokenWhenAuthIsDisabledAndRefreshLiveRanges() {
        try (TestDeployment open =
                TestDeployment.start(
                        db,
                        names,
                        observed,
                        Map.of("auth.enabled", "false", "dashboard.refresh-interval", "1s"))) {
            String openWs = open.workspaceOnShard(1);
            PairKey p = new PairKey(openWs, "src_web", "dst_amp");
            List<DeliveryAttempt> seeded = new ArrayList<>(liveAttempts(p, 0, 40));
            open.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, seeded));
            open.completeThrough(1, COMPLETE_THROUGH);

            browser.openFresh(open.base() + "/");
            browser.visible("#workspace-input").sendKeys(openWs);
            assertThat(browser.driver().findElement(By.id("token-field")).isDisplayed()).isFalse();
            browser.driver().findElement(By.cssSelector("#login-form button[type=submit]")).click();
            browser.untilText("tr[data-destination=dst_amp] td[data-col=successes]", "40"::equals);

            // The streaming job rewrites the minute rows: the next refresh shows the new totals.
            seeded.addAll(liveAttempts(p, 40, 25));
            open.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, seeded));

            browser.untilText("tr[data-destination=dst_amp] td[data-col=successes]", "65"::equals);
        }
    }

    private static List<DeliveryAttempt> liveAttempts(PairKey p, int first, int n) {
        List<DeliveryAttempt> out = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            out.add(at(p, Instant.parse("2026-11-26T11:40:00Z").plusSeconds(i)).delivered());
        }
        return out;
    }

    @Test
    void shouldPutThePairWhoseGoalBurnsItsBudgetFirstMarkedAndSummariseTheGoals() {
        Predicate<DeliveryAttempt> burning = of(BURNING);
        Predicate<DeliveryAttempt> steady = of(STEADY);
        assertThat(burns(burning, PAIR_TARGET)).as("the seeded incident burns").isTrue();
        assertThat(burns(steady, PAIR_TARGET)).isFalse();
        assertThat(burns(a -> true, WORKSPACE_TARGET)).isFalse();
        Map<String, Boolean> met = new HashMap<>();
        met.put("braze_checkout", rateMet(burning, PAIR_TARGET));
        met.put("s3_export", rateMet(steady, PAIR_TARGET));
        met.put("all_deliveries", rateMet(a -> true, WORKSPACE_TARGET));
        met.put("braze_p95", exactP95(BURNING.destinationId()) <= P95_TARGET_MS);
        met.put(
                "freshness",
                Duration.between(COMPLETE_THROUGH, TestDeployment.NOW).toSeconds() <= LAG_TARGET_S);
        signIn(goalsToken);

        List<Map<String, String>> rows = overviewRows(2);

        // By source, src_app would come first: the burning pair is put before it.
        assertThat(rows)
                .extracting(r -> r.get("source") + ">" + r.get("destination"))
                .containsExactly("src_web>dst_braze", "src_app>dst_s3");
        assertThat(rows).extracting(r -> r.get("burning")).containsExactly("yes", "no");
        assertThat(rows.get(0).get("goals")).isEqualTo("BURNING braze_checkout");
        assertThat(List.of("s3_export", "all_deliveries", "freshness"))
                .as("the seeded goals of the steady pair are met")
                .allMatch(met::get);
        assertThat(rows.get(1).get("goals")).isEqualTo("3 of 3 met");
        browser.screenshot("goals-overview");
        for (int click = 0; click < 2; click++) {
            sortBy("successes");
            assertThat(overviewRows(2).get(0).get("destination"))
                    .as("the burning pair stays first whatever the sort")
                    .isEqualTo(BURNING.destinationId());
        }
        long metCount = met.values().stream().filter(m -> m).count();
        assertThat(kpi("overview", "goals_met")).isEqualTo(metCount + " of " + met.size());
        assertThat(kpi("overview", "goals_burning")).isEqualTo("1");
        Map<String, Map<String, String>> goals = goalRows();
        assertThat(goals).containsOnlyKeys(met.keySet());
        assertThat(goals.get("braze_checkout").get("state")).isEqualTo("BURNING");
        met.forEach(
                (id, m) -> {
                    if (!id.equals("braze_checkout")) {
                        assertThat(goals.get(id).get("state"))
                                .as(id)
                                .isEqualTo(m ? "met" : "not met");
                    }
                });
        assertBudget(goals.get("braze_checkout").get("budget"), remaining(burning, PAIR_TARGET));
        assertBudget(goals.get("s3_export").get("budget"), remaining(steady, PAIR_TARGET));
        assertBudget(
                goals.get("all_deliveries").get("budget"), remaining(a -> true, WORKSPACE_TARGET));
        assertThat(goals.get("braze_checkout").get("scope")).isEqualTo("src_web → dst_braze");
        assertThat(goals.get("braze_p95").get("scope")).isEqualTo("destination dst_braze");
        assertThat(goals.get("freshness").get("value"))
                .isEqualTo(
                        Math.round(
                                        Duration.between(COMPLETE_THROUGH, TestDeployment.NOW)
                                                        .toMillis()
                                                / 1e3)
                                + " s");
        assertThat(browser.all("#overview-goals b")).as("descriptions stay text").isEmpty();
    }

    @Test
    void shouldDrawThePairsGoalLinesOnItsChartsAndShowTheErrorBudgetLeft() {
        signIn(goalsToken);
        overviewRows(2);
        openPair(BURNING);
        browser.visible("#rate-goals [data-goal=braze_checkout]");

        assertThat(goalLines("rate-chart"))
                .as("its own goal and the workspace's, not another pair's")
                .containsOnlyKeys("braze_checkout", "all_deliveries");
        assertGoalLine("rate-chart", "braze_checkout", PAIR_TARGET);
        assertGoalLine("rate-chart", "all_deliveries", WORKSPACE_TARGET);
        assertThat(goalLines("latency-chart")).containsOnlyKeys("braze_p95");
        assertGoalLine("latency-chart", "braze_p95", P95_TARGET_MS);
        assertThat(browser.text("#rate-chart text.goal-label[data-goal=braze_checkout]"))
                .isEqualTo("braze_checkout ≥ 99.00 %");
        assertThat(browser.text("#latency-chart text.goal-label[data-goal=braze_p95]"))
                .isEqualTo("braze_p95 p95 ≤ 2.00 s");

        WebElement own = browser.visible("#rate-goals [data-goal=braze_checkout]");
        assertBudget(
                own.findElement(By.cssSelector(".budget-remaining")).getText(),
                remaining(of(BURNING), PAIR_TARGET));
        assertThat(own.findElement(By.cssSelector(".goal-state")).getText())
                .isEqualTo("BURNING fast burn" + (slowBurns(of(BURNING)) ? ", slow burn" : ""));
        WebElement workspace = browser.visible("#rate-goals [data-goal=all_deliveries]");
        assertBudget(
                workspace.findElement(By.cssSelector(".budget-remaining")).getText(),
                remaining(a -> true, WORKSPACE_TARGET));
        assertThat(workspace.findElement(By.cssSelector(".goal-state")).getText())
                .isEqualTo("not burning");
        assertLatency(
                browser.text("#latency-goals [data-goal=braze_p95] .goal-value"),
                exactP95(BURNING.destinationId()));
        browser.screenshot("goals-pair");

        browser.driver().findElement(By.id("back")).click();
        browser.visible("#overview-table");
        openPair(STEADY);
        WebElement steady = browser.visible("#rate-goals [data-goal=s3_export]");

        assertBudget(
                steady.findElement(By.cssSelector(".budget-remaining")).getText(),
                remaining(of(STEADY), PAIR_TARGET));
        assertThat(steady.findElement(By.cssSelector(".goal-state")).getText())
                .isEqualTo("not burning");
        assertThat(goalLines("rate-chart")).containsOnlyKeys("s3_export", "all_deliveries");
        assertGoalLine("rate-chart", "s3_export", PAIR_TARGET);
        assertThat(goalLines("latency-chart")).isEmpty();
        assertThat(browser.driver().findElement(By.id("latency-goals")).isDisplayed()).isFalse();
    }

    // --- goals computed from the seeded attempts

    private Predicate<DeliveryAttempt> of(PairKey p) {
        return a -> a.pair().equals(onGoals(p));
    }

    /** Events (delivered, discarded, expired) and failures in the window before the goal end. */
    private long[] events(Predicate<DeliveryAttempt> scope, Duration window) {
        long events = 0;
        long failures = 0;
        for (DeliveryAttempt a : select(goalAttempts, GOAL_END.minus(window), GOAL_END, scope)) {
            if (a.outcome() == Outcome.DELIVERED) {
                events++;
            } else if (a.outcome() == Outcome.DISCARDED || a.outcome() == Outcome.EXPIRED) {
                events++;
                failures++;
            }
        }
        return new long[] {events, failures};
    }

    private double burnRate(Predicate<DeliveryAttempt> scope, Duration window, double target) {
        long[] c = events(scope, window);
        return c[0] == 0 ? 0 : ((double) c[1] / c[0]) / (1 - target);
    }

    /** The SRE workbook's alerts: 1 h and 5 min above 14.4, or 6 h and 30 min above 6. */
    private boolean burns(Predicate<DeliveryAttempt> scope, double target) {
        boolean fast =
                burnRate(scope, Duration.ofHours(1), target) > 14.4
                        && burnRate(scope, Duration.ofMinutes(5), target) > 14.4;
        return fast || slowBurns(scope, target);
    }

    private boolean slowBurns(Predicate<DeliveryAttempt> scope) {
        return slowBurns(scope, PAIR_TARGET);
    }

    private boolean slowBurns(Predicate<DeliveryAttempt> scope, double target) {
        return burnRate(scope, Duration.ofHours(6), target) > 6
                && burnRate(scope, Duration.ofMinutes(30), target) > 6;
    }

    /** The share of the 24 h error budget left: 1 − failures ÷ ((1 − target) × events). */
    private double remaining(Predicate<DeliveryAttempt> scope, double target) {
        long[] c = events(scope, Duration.ofHours(24));
        return 1 - c[1] / ((1 - target) * c[0]);
    }

    private boolean rateMet(Predicate<DeliveryAttempt> scope, double target) {
        long[] c = events(scope, Duration.ofHours(24));
        return (double) (c[0] - c[1]) / c[0] >= target;
    }

    /** The exact p95 latency of the destination's deliveries over the 6 h before the goal end. */
    private long exactP95(String destination) {
        return Expected.of(
                        select(
                                goalAttempts,
                                GOAL_END.minus(Duration.ofHours(6)),
                                GOAL_END,
                                a -> a.destinationId().equals(destination)))
                .exactQuantile(0.95);
    }

    /** "-595.7 %": the share computed here, to the one decimal shown. */
    private static void assertBudget(String shown, double remaining) {
        assertThat(shown).endsWith(" %");
        assertThat(Double.parseDouble(shown.substring(0, shown.length() - 2)))
                .as("%s vs %f", shown, remaining)
                .isCloseTo(remaining * 100, within(0.05 + 1e-9));
    }

    /** The goal lines of a chart: goal id → the value the line says it marks. */
    private Map<String, Double> goalLines(String chart) {
        Map<String, Double> out = new HashMap<>();
        for (WebElement line : browser.all("#" + chart + " line.goal-line")) {
            out.put(
                    line.getAttribute("data-goal"),
                    Double.parseDouble(line.getAttribute("data-value")));
        }
        return out;
    }

    /** The goal's line is horizontal, at the height of {@code value} on the chart's own axis. */
    private void assertGoalLine(String chart, String goal, double value) {
        WebElement svg = browser.driver().findElement(By.cssSelector("#" + chart + " svg"));
        WebElement line =
                svg.findElement(By.cssSelector("line.goal-line[data-goal='" + goal + "']"));
        double yMin = Double.parseDouble(svg.getAttribute("data-y-min"));
        double yMax = Double.parseDouble(svg.getAttribute("data-y-max"));
        double top = Double.parseDouble(svg.getAttribute("data-plot-top"));
        double height = Double.parseDouble(svg.getAttribute("data-plot-height"));
        double expectedY = top + height - (value - yMin) / (yMax - yMin) * height;
        assertThat(Double.parseDouble(line.getAttribute("data-value"))).isEqualTo(value);
        assertThat(Double.parseDouble(line.getAttribute("y1")))
                .as("%s on %s", goal, chart)
                .isCloseTo(expectedY, within(0.01));
        assertThat(line.getAttribute("y2")).isEqualTo(line.getAttribute("y1"));
        assertThat(value).isBetween(yMin, yMax);
    }

    /** The overview's goals table: goal id → column → text. */
    @SuppressWarnings("unchecked")
    private Map<String, Map<String, String>> goalRows() {
        browser.visible("#goals-table");
        return (Map<String, Map<String, String>>)
                browser.script(
                        """
                        const out = {};
                        for (const tr of document.querySelectorAll('#goals-table tbody tr')) {
                          const row = {};
                          for (const td of tr.querySelectorAll('td[data-col]')) row[td.dataset.col] = td.innerText.trim();
                          out[tr.dataset.goal] = row;
                        }
                        return out;""");
    }

    // --- page helpers

    private void signIn(String tokenValue) {
        browser.signIn(api.base() + "/", tokenValue);
    }

    private void openPair(PairKey p) {
        browser.driver()
                .findElement(
                        By.cssSelector(
                                "tr[data-destination="
                                        + p.destinationId()
                                        + "] td[data-col=source] a"))
                .click();
        browser.untilText("#pair-title", t -> t.equals(p.sourceId() + " → " + p.destinationId()));
    }

    private void pickRange(String range) {
        browser.pickRange(range);
    }

    private void sortBy(String column) {
        browser.driver().findElement(By.cssSelector("th[data-col=" + column + "] button")).click();
    }

    /** The overview table in one snapshot (a refresh may replace it at any time). */
    @SuppressWarnings("unchecked")
    private List<Map<String, String>> overviewRows(int expected) {
        return browser.until(
                d -> {
                    List<Map<String, String>> rows =
                            (List<Map<String, String>>)
                                    browser.script(
                                            """
                                            const table = document.getElementById('overview-table');
                                            if (table.hidden) return [];
                                            return [...table.querySelectorAll('tbody tr')].map(tr => {
                                              const row = {source: tr.dataset.source,
                                                           destination: tr.dataset.destination,
                                                           problem: tr.classList.contains('problem') ? 'yes' : 'no',
                                                           burning: tr.classList.contains('burning') ? 'yes' : 'no'};
                                              for (const td of tr.querySelectorAll('td[data-col]')) {
                                                if (td.dataset.col !== 'source') row[td.dataset.col] = td.innerText.trim();
                                              }
                                              return row;
                                            });""");
                    return rows.size() == expected ? rows : null;
                });
    }

    private List<String> overviewSources() {
        return overviewRows(3).stream().map(r -> r.get("destination")).toList();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, String>> errorRows() {
        return (List<Map<String, String>>)
                browser.script(
                        """
                        return [...document.querySelectorAll('#error-table > tbody > tr[data-outcome]')].map(tr => {
                          const row = {};
                          for (const td of tr.querySelectorAll('td[data-col]')) row[td.dataset.col] = td.innerText.trim();
                          return row;
                        });""");
    }

    private String kpi(String view, String id) {
        return browser.visible("#" + view + "-kpis [data-kpi=" + id + "] .kpi-value").getText();
    }

    private Instant shownRangeStart() {
        String label = browser.text("#range-label");
        return LocalDateTime.parse(
                        label.substring(0, label.indexOf(" →")),
                        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))
                .toInstant(ZoneOffset.UTC);
    }

    private Instant shownRangeEnd() {
        String label = browser.text("#range-label");
        String end = label.substring(label.indexOf('→') + 2, label.length() - " UTC".length());
        return LocalDateTime.parse(end, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))
                .toInstant(ZoneOffset.UTC);
    }

    // --- the failures by event and the samples, computed from the seeded attempts

    private static boolean failed(DeliveryAttempt a) {
        return a.outcome() == Outcome.DISCARDED || a.outcome() == Outcome.EXPIRED;
    }

    private static String reasonOf(DeliveryAttempt a) {
        return a.outcome().wireName() + "/" + (a.errorCode() == null ? "unknown" : a.errorCode());
    }

    /** (event type, event name) → {attempts, failures}. */
    private static Map<List<String>, long[]> byEvent(List<DeliveryAttempt> attempts) {
        Map<List<String>, long[]> out = new HashMap<>();
        for (DeliveryAttempt a : attempts) {
            long[] c =
                    out.computeIfAbsent(
                            Arrays.asList(a.eventType(), a.eventName()), e -> new long[2]);
            c[0]++;
            c[1] += failed(a) ? 1 : 0;
        }
        return out;
    }

    /**
     * The failures-by-event table as the page should show it: by failures, then attempts, then type
     * and name (no name first); shares of the pair's failures; changes against the previous range,
     * relative only where it had failures.
     */
    private static List<Map<String, String>> expectedEventRows(
            List<DeliveryAttempt> now, List<DeliveryAttempt> before) {
        Map<List<String>, long[]> current = byEvent(now);
        Map<List<String>, long[]> previous = byEvent(before);
        long pairFailures = now.stream().filter(DashboardITCase::failed).count();
        Comparator<String> nullsFirst = Comparator.nullsFirst(Comparator.naturalOrder());
        List<Map<String, String>> rows = new ArrayList<>();
        current.entrySet().stream()
                .sorted(
                        Comparator.comparing(
                                        (Map.Entry<List<String>, long[]> e) -> -e.getValue()[1])
                                .thenComparing(e -> -e.getValue()[0])
                                .thenComparing(e -> e.getKey().get(0), nullsFirst)
                                .thenComparing(e -> e.getKey().get(1), nullsFirst))
                .forEach(
                        e -> {
                            String type = e.getKey().get(0);
                            String name = e.getKey().get(1);
                            long failures = e.getValue()[1];
                            long was = previous.getOrDefault(e.getKey(), new long[2])[1];
                            Map<String, String> row = new HashMap<>();
                            row.put("type", type);
                            row.put("name", name);
                            row.put("other", "no");
                            row.put("event_type", type);
                            row.put("event_name", name == null ? "no name" : name);
                            row.put("attempts", count(e.getValue()[0]));
                            row.put("failures", count(failures));
                            row.put("share", percent((double) failures / pairFailures));
                            row.put("change", signed(failures - was));
                            row.put(
                                    "change_relative",
                                    was == 0
                                            ? "\u2014"
                                            : signedPercent((double) (failures - was) / was));
                            rows.add(row);
                        });
        return rows;
    }

    /** The reason's ten failed attempts of smallest unsigned hash of (event id, attempt). */
    private static List<Map<String, String>> expectedSamples(List<DeliveryAttempt> failed) {
        return failed.stream()
                .sorted(
                        Comparator.comparing(
                                (DeliveryAttempt a) -> ErrorSamples.hash(a.eventId(), a.attempt()),
                                Long::compareUnsigned))
                .limit(ErrorSamples.MAX_SAMPLES)
                .map(
                        a ->
                                Map.of(
                                        "event_id", a.eventId(),
                                        "attempt", Integer.toString(a.attempt()),
                                        "outcome", a.outcome().wireName(),
                                        "completed_at", a.completedAt().toString(),
                                        "event",
                                                a.eventName() == null
                                                        ? a.eventType()
                                                        : a.eventType() + " · " + a.eventName(),
                                        "error_message",
                                                a.errorMessage() == null
                                                        ? "no message"
                                                        : a.errorMessage()))
                .toList();
    }

    /** A share to one decimal as the page rounds it (the double's exact value, half up). */
    private static String percent(double share) {
        return new BigDecimal(share * 100).setScale(1, RoundingMode.HALF_UP) + " %";
    }

    private static String signed(long n) {
        return n > 0 ? "+" + count(n) : n < 0 ? "\u2212" + count(-n) : "0";
    }

    private static String signedPercent(double r) {
        String text = percent(Math.abs(r));
        return r > 0 ? "+" + text : r < 0 ? "\u2212" + text : text;
    }

    // --- what the page should show, formatted as the page formats it

    private static String rate(long successes, long terminal) {
        return Shown.rate((double) successes / terminal);
    }

    private static String share(long n, long of) {
        return String.format(Locale.ROOT, "%.1f %%", (double) n / of * 100);
    }
}
