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
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

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

    private final EmbeddedMariaDb db;
    private final UniqueNames names;
    private final ObservedResponses observed;
    private final TestDeployment api;
    private final String ws;
    private final List<DeliveryAttempt> attempts = new ArrayList<>();
    private Browser browser;
    private String token;
    private String emptyToken;

    DashboardITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.db = db;
        this.names = names;
        this.observed = observed;
        this.api = TestDeployment.start(db, names, observed, Map.of());
        this.ws = api.workspaceOnShard(0);
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
        browser = Browser.start();
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
                                                           problem: tr.classList.contains('problem') ? 'yes' : 'no'};
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
