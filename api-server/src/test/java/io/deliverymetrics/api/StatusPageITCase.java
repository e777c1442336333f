package io.deliverymetrics.api;

import static io.deliverymetrics.api.support.DestinationWorld.COMPLETE;
import static io.deliverymetrics.api.support.DestinationWorld.TYPES;
import static io.deliverymetrics.api.support.Shown.assertLatency;
import static io.deliverymetrics.api.support.Shown.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.support.Browser;
import io.deliverymetrics.api.support.DestinationWorld;
import io.deliverymetrics.api.support.DestinationWorld.Figures;
import io.deliverymetrics.api.support.DestinationWorld.Verdict;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.Shown;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The dashboard's destination status in a real headless Chromium over the global rows of {@link
 * DestinationWorld} (an outage of amplitude across six workspaces, a healthy segment, braze with
 * one failing workspace, a tiny type of two): the operators' table, a type's drill-down, the public
 * view and a workspace token refused. Every status and figure checked is computed here from the
 * seeded attempts.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageITCase {

    private static final Map<String, Integer> RANK =
            Map.of("outage", 0, "degraded", 1, "operational", 2);
    private static final Map<String, String> LABEL =
            Map.of("outage", "Outage", "degraded", "Degraded", "operational", "Operational");

    /** The rate sparkline's height and its margins (charts.js): 100 % at y=4, 0 % at y=24. */
    private static final double SPARK_TOP = 4;

    private static final double SPARK_BOTTOM = 24;

    private final TestDeployment api;
    private final DestinationWorld world = new DestinationWorld();
    private Browser browser;
    private String operator;
    private String workspaceToken;

    StatusPageITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        // No live refresh during a test: it would replace the rows the test is reading.
        this.api =
                TestDeployment.start(
                        db, names, observed, Map.of("dashboard.refresh-interval", "1h"));
    }

    @BeforeAll
    void seed() {
        world.seed(api);
        world.seedShards(api);
        operator = api.operatorToken();
        workspaceToken = api.token(TYPES.get("amplitude").get(0));
        browser = Browser.start();
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(browser.consoleErrors()).as("console errors of the page").isEmpty();
    }

    @AfterAll
    void stop() {
        // The browser first, then the server; a browser that never started is skipped.
        try (TestDeployment server = api;
                Browser chromium = browser) {
            assertThat(server.base()).isNotNull();
        }
    }

    @Test
    void shouldListEveryTypeWithTheStatusAndFiguresComputedFromTheSeededAttempts() {
        browser.signIn(api.base() + "/", operator);

        List<Map<String, String>> rows = rows("status-table", TYPES.size());

        assertThat(browser.driver().getCurrentUrl()).endsWith("#/status");
        assertThat(rows).extracting(r -> r.get("type")).containsExactlyElementsOf(expectedOrder());
        for (Map<String, String> row : rows) {
            String type = row.get("type");
            Verdict v = world.expectedVerdict(type);
            Figures f = world.window(type);
            assertThat(row.get("destination_type")).as(type).isEqualTo(type);
            assertThat(row.get("data-status")).as(type).isEqualTo(v.status());
            assertThat(row.get("status")).as(type).isEqualTo(LABEL.get(v.status()));
            assertThat(row.get("since")).as(type).isEqualTo(since(v));
            assertThat(row.get("success_rate")).as(type).isEqualTo(Shown.rate(f.successRate()));
            assertLatency(row.get("latency_p95"), f.p95Ms());
            assertThat(row.get("workspaces"))
                    .as(type)
                    .isEqualTo(count(f.affectedWorkspaces()) + " / " + count(f.workspaces()));
        }
        // What the seeded attempts are for, spelled out.
        assertThat(rows.get(0))
                .containsEntry("type", "amplitude")
                .containsEntry("status", "Outage")
                .containsEntry("since", "2026-11-26 11:52 UTC")
                .containsEntry("success_rate", "0.00 %")
                .containsEntry("workspaces", "6 / 6");
        assertThat(kpi("status", "outage")).isEqualTo("1");
        assertThat(kpi("status", "types")).isEqualTo(count(TYPES.size()));
        assertThat(browser.text("#range-label"))
                .isEqualTo("status horizon 2026-11-26 11:00 → 2026-11-26 12:00 UTC");
        assertThat(browser.text("#status-spark-note")).contains("over the status horizon");
        assertThat(browser.text("#workspace")).isEqualTo("operator");
        browser.screenshot("status");
    }

    @Test
    void shouldDrawEachTypesSuccessRateOverTheHorizonAsASparkline() {
        browser.signIn(api.base() + "/", operator);
        rows("status-table", TYPES.size());

        Map<String, List<List<Double>>> lines = sparklines();

        assertThat(lines.keySet()).containsExactlyInAnyOrderElementsOf(TYPES.keySet());
        // Amplitude delivered everything until 11:50 and nothing from then on: the line starts at
        // the top and ends on the floor. Segment never failed: the line stays at the top.
        List<List<Double>> amplitude = lines.get("amplitude");
        assertThat(amplitude).hasSize(1);
        List<Double> ys = amplitude.get(0);
        assertThat(ys).hasSize(60);
        for (int minute = 0; minute < 60; minute++) {
            Instant at = COMPLETE.minus(Duration.ofMinutes(60 - minute));
            double expected = at.isBefore(DestinationWorld.OUTAGE_FROM) ? SPARK_TOP : SPARK_BOTTOM;
            assertThat(ys.get(minute)).as("amplitude at %s", at).isEqualTo(expected);
        }
        assertThat(lines.get("segment").get(0)).hasSize(60).containsOnly(SPARK_TOP);
    }

    @Test
    void shouldDrillDownIntoATypeWithItsChartsOverTheDashboardsRange() {
        browser.signIn(api.base() + "/", operator);
        rows("status-table", TYPES.size());

        browser.driver()
                .findElement(
                        By.cssSelector("tr[data-type=amplitude] td[data-col=destination_type] a"))
                .click();
        browser.untilText("#destination-title", "amplitude"::equals);
        browser.visible("#dest-rate-chart svg.chart");

        // The 1 h range ends with the server clock's minute.
        Instant end =
                TestDeployment.NOW.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        List<DeliveryAttempt> in = world.attempts("amplitude", end.minus(Duration.ofHours(1)), end);
        long successes = outcomes(in, Outcome.DELIVERED);
        long failures = outcomes(in, Outcome.DISCARDED) + outcomes(in, Outcome.EXPIRED);
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/destinations/amplitude?range=1h");
        assertThat(browser.text("#granularity")).isEqualTo("minute");
        assertThat(kpi("destination", "successes")).isEqualTo(count(successes));
        assertThat(kpi("destination", "failures")).isEqualTo(count(failures));
        assertThat(kpi("destination", "success_rate"))
                .isEqualTo(Shown.rate((double) successes / (successes + failures)));
        assertThat(kpi("destination", "workspaces")).isEqualTo("6");
        assertThat(kpi("destination", "affected_workspaces")).isEqualTo("6");
        for (String chart :
                List.of(
                        "#dest-rate-chart path[data-series=success_rate]",
                        "#dest-volume-chart path[data-series=successes]",
                        "#dest-volume-chart path[data-series=discarded]",
                        "#dest-latency-chart path[data-series=latency_p95]",
                        "#dest-workspaces-chart path[data-series=workspaces]",
                        "#dest-workspaces-chart path[data-series=affected_workspaces]")) {
            assertThat(browser.all(chart)).as(chart).hasSize(1);
        }
        // One hover target per minute of the range.
        assertThat(browser.all("#dest-workspaces-chart .hover rect")).hasSize(60);
        browser.screenshot("destination");

        // Hours: compacted hour rows of yesterday, the last two hours from minute rows.
        browser.pickRange("7d");
        browser.untilText("#granularity", "hour"::equals);
        List<DeliveryAttempt> week =
                world.attempts("amplitude", end.minus(Duration.ofDays(8)), end);
        assertThat(kpi("destination", "successes"))
                .isEqualTo(count(outcomes(week, Outcome.DELIVERED)));
        assertThat(kpi("destination", "failures"))
                .isEqualTo(
                        count(outcomes(week, Outcome.DISCARDED) + outcomes(week, Outcome.EXPIRED)));
    }

    @Test
    void shouldShowThePublicViewWithoutATokenAndOnlyTypesWithEnoughWorkspaces() {
        browser.openFresh(api.base() + "/");
        browser.visible("#public-status-link").click();

        List<Map<String, String>> rows = rows("public-table", 3);
        HttpResult open = api.get("/v1/status", null);

        int min = open.json().get("min_workspaces").asInt();
        List<String> expected =
                expectedOrder().stream().filter(t -> world.window(t).workspaces() >= min).toList();
        assertThat(expected).containsExactly("amplitude", "braze", "segment");
        assertThat(rows).extracting(r -> r.get("type")).containsExactlyElementsOf(expected);
        for (Map<String, String> row : rows) {
            String type = row.get("type");
            Verdict v = world.expectedVerdict(type);
            Figures f = world.window(type);
            assertThat(row.keySet())
                    .as("only the public columns")
                    .containsExactlyInAnyOrder(
                            "type",
                            "data-status",
                            "destination_type",
                            "status",
                            "since",
                            "success_rate",
                            "latency_p95");
            assertThat(row.get("status")).as(type).isEqualTo(LABEL.get(v.status()));
            assertThat(row.get("since")).as(type).isEqualTo(since(v));
            assertThat(row.get("success_rate")).as(type).isEqualTo(Shown.rate(f.successRate()));
            assertLatency(row.get("latency_p95"), f.p95Ms());
        }
        String page = (String) browser.script("return document.body.innerText;");
        String markup =
                (String)
                        browser.script(
                                "return document.getElementById('public-status').outerHTML;");
        assertThat(page).doesNotContain("tiny");
        for (String text : List.of(page, markup)) {
            assertThat(text).doesNotContain("ws_");
        }
        assertThat(browser.driver().findElement(By.id("login")).isDisplayed()).isFalse();
        assertThat(browser.script("return window.sessionStorage.length;")).isEqualTo(0L);
        browser.screenshot("public-status");
    }

    @Test
    void shouldShowTheApisForbiddenProblemWhenAWorkspaceTokenOpensTheOperatorPage() {
        HttpResult direct = api.get("/v1/destinations", workspaceToken);
        assertThat(direct.status()).isEqualTo(403);
        browser.signIn(api.base() + "/", workspaceToken);
        // The workspace's own overview first (its pairs are seeded on its shard).
        browser.until(d -> browser.all("#overview-table tbody tr").isEmpty() ? null : true);

        browser.script("location.hash = arguments[0];", "#/status");

        String alert = browser.untilText("#alert", t -> !t.isEmpty());
        assertThat(alert)
                .startsWith(
                        direct.json().get("title").asText()
                                + " "
                                + direct.json().get("detail").asText())
                .contains("needs an operator token");
        assertThat(browser.driver().findElement(By.id("status-page")).isDisplayed()).isFalse();
        assertThat(browser.driver().findElement(By.id("nav-status")).isDisplayed()).isFalse();
    }

    // --- expectations

    @Test
    void shouldTellAWorkspaceOnItsPairPageHowItsDestinationTypeDoesAcrossCustomers() {
        String ws = TYPES.get("amplitude").get(0);
        browser.signIn(api.base() + "/", workspaceToken);
        browser.driver().get(api.base() + "/#/pairs/src_web/dst_amplitude?range=1h");

        String banner = browser.untilText("#pair-destination-status", t -> !t.isEmpty());

        Verdict v = world.expectedVerdict("amplitude");
        Figures f = world.window("amplitude");
        assertThat(banner)
                .isEqualTo(
                        "Across all customers, amplitude is "
                                + LABEL.get(v.status())
                                + " since "
                                + since(v)
                                + ": success rate "
                                + Shown.rate(f.successRate())
                                + ", p95 \u2014. Failures of this pair may be the partner's, not"
                                + " this workspace's.");
        assertThat(
                        browser.script(
                                "return document.getElementById('pair-destination-status')"
                                        + ".dataset.status"))
                .isEqualTo(v.status());
        for (List<String> workspaces : TYPES.values()) {
            for (String other : workspaces) {
                if (!other.equals(ws)) {
                    assertThat(browser.text("body")).doesNotContain(other);
                }
            }
        }
        browser.screenshot("pair-destination-status");

        // A type too few workspaces send to: its name only.
        String tiny = TYPES.get("tiny").get(0);
        browser.signIn(api.base() + "/", api.token(tiny));
        browser.driver().get(api.base() + "/#/pairs/src_web/dst_tiny?range=1h");
        assertThat(browser.untilText("#pair-destination-status", t -> !t.isEmpty()))
                .isEqualTo(
                        "Destination type tiny: too few workspaces send to it to show how it does"
                                + " across customers.");
    }

    private static String since(Verdict v) {
        return Shown.dateTime(v.since()) + " UTC" + (v.exact() ? "" : " or earlier");
    }

    /** Outage, degraded, operational; then the most affected workspaces; then by name. */
    private List<String> expectedOrder() {
        return TYPES.keySet().stream()
                .sorted(
                        Comparator.comparing(
                                        (String t) -> RANK.get(world.expectedVerdict(t).status()))
                                .thenComparing(t -> -world.window(t).affectedWorkspaces())
                                .thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    private static long outcomes(List<DeliveryAttempt> attempts, Outcome o) {
        return attempts.stream().filter(a -> a.outcome() == o).count();
    }

    // --- page helpers

    private String kpi(String view, String id) {
        return browser.visible("#" + view + "-kpis [data-kpi=" + id + "] .kpi-value").getText();
    }

    /**
     * The rows of a status table in one snapshot, once it has {@code expected} rows and is not
     * loading: the type and status from the row's data attributes, each cell's text by its column.
     */
    @SuppressWarnings("unchecked")
    private List<Map<String, String>> rows(String table, int expected) {
        return browser.until(
                d -> {
                    List<Map<String, String>> rows =
                            (List<Map<String, String>>)
                                    browser.script(
                                            """
                                            const table = document.getElementById(arguments[0]);
                                            if (table.hidden || !document.getElementById('busy').hidden) return [];
                                            return [...table.querySelectorAll('tbody tr')].map(tr => {
                                              const row = {type: tr.dataset.type, 'data-status': tr.dataset.status};
                                              for (const td of tr.querySelectorAll('td[data-col]')) {
                                                if (td.dataset.col !== 'trend') row[td.dataset.col] = td.textContent;
                                              }
                                              return row;
                                            });""",
                                            table);
                    return rows.size() == expected ? rows : null;
                });
    }

    /** The y coordinates of each type's sparkline runs, once every sparkline has loaded. */
    @SuppressWarnings("unchecked")
    private Map<String, List<List<Double>>> sparklines() {
        Map<String, List<List<Number>>> raw =
                browser.until(
                        d ->
                                (Map<String, List<List<Number>>>)
                                        browser.script(
                                                """
                                        const cells = [...document.querySelectorAll('#status-table td[data-col=trend]')];
                                        if (cells.some(td => td.dataset.loaded !== 'true')) return null;
                                        const out = {};
                                        for (const td of cells) {
                                          out[td.closest('tr').dataset.type] = [...td.querySelectorAll('polyline')].map(l =>
                                            l.getAttribute('points').split(' ').map(p => Number(p.split(',')[1])));
                                        }
                                        return out;"""));
        // Selenium hands whole numbers back as Long, others as Double.
        Map<String, List<List<Double>>> out = new TreeMap<>();
        raw.forEach(
                (type, runs) ->
                        out.put(
                                type,
                                runs.stream()
                                        .map(run -> run.stream().map(Number::doubleValue).toList())
                                        .toList()));
        return out;
    }
}
