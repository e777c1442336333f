package io.deliverymetrics.api;

import static io.deliverymetrics.api.support.Attempts.select;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.Browser;
import io.deliverymetrics.api.support.Expected;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.metrics.DeliveryTotals;
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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
        attempts.addAll(Attempts.generate(new Random(7), on(FLAKY), FROM, TO, 600));
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
        Expected all = Expected.of(attempts);
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
        browser.openFresh(api.base() + "/");
        browser.visible("#token-input").sendKeys(tokenValue);
        browser.driver().findElement(By.cssSelector("#login-form button[type=submit]")).click();
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
        browser.driver()
                .findElement(By.cssSelector("#ranges [data-range='" + range + "']"))
                .click();
        browser.until(
                d ->
                        d.getCurrentUrl().endsWith("range=" + range)
                                && !d.findElement(By.id("busy")).isDisplayed());
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
                        return [...document.querySelectorAll('#error-table tbody tr')].map(tr => {
                          const row = {};
                          for (const td of tr.querySelectorAll('td[data-col]')) row[td.dataset.col] = td.innerText.trim();
                          return row;
                        });""");
    }

    private String kpi(String view, String id) {
        return browser.visible("#" + view + "-kpis [data-kpi=" + id + "] .kpi-value").getText();
    }

    private Instant shownRangeEnd() {
        String label = browser.text("#range-label");
        String end = label.substring(label.indexOf('→') + 2, label.length() - " UTC".length());
        return LocalDateTime.parse(end, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))
                .toInstant(ZoneOffset.UTC);
    }

    // --- what the page should show, formatted as the page formats it

    private static String count(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    private static String rate(long successes, long terminal) {
        double r = (double) successes / terminal;
        return String.format(Locale.ROOT, "%.2f %%", Math.floor(r * 10000 + 1e-9) / 100);
    }

    private static String share(long n, long of) {
        return String.format(Locale.ROOT, "%.1f %%", (double) n / of * 100);
    }

    /** A shown latency ("812 ms" or "6.54 s") is the exact quantile within the sketch's 1 %. */
    private static void assertLatency(String shown, long exactMs) {
        double ms;
        double rounding;
        if (shown.endsWith(" ms")) {
            ms = Double.parseDouble(shown.substring(0, shown.length() - 3));
            rounding = 0.5;
        } else {
            assertThat(shown).endsWith(" s");
            ms = Double.parseDouble(shown.substring(0, shown.length() - 2)) * 1000;
            rounding = 5;
        }
        assertThat(ms)
                .as("%s vs exact %d ms", shown, exactMs)
                .isCloseTo(exactMs, within(exactMs * 0.01 + rounding));
    }
}
