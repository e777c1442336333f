package io.deliverymetrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.Browser;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.PairPage;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The built-in dashboard in a real headless Chromium, fed ids and error codes that contain markup:
 * the page must show them as text and never parse them as HTML.
 *
 * <p>The rows are written straight into the shard tables, because the record parser would reject
 * such ids; the database and the JSON endpoints pass them through unchanged, so escaping is the
 * page's job alone. The page's Content-Security-Policy would already stop the inline handlers of
 * the payloads from running, so the tests also look for the elements the payloads would create:
 * those appear whenever data reaches an HTML sink, whatever the policy.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardInjectionITCase {

    private static final Instant FROM = Instant.parse("2026-11-26T11:10:00Z");
    private static final Instant COMPLETE_THROUGH = Instant.parse("2026-11-26T11:58:00Z");

    private static final String MARKUP_SOURCE = "\"><svg onload=window.__pwned=2>";
    private static final String MARKUP_DESTINATION = "<img src=x onerror=window.__pwned=1>";
    private static final String MARKUP_CODE = "<img src=x onerror=window.__pwned=3>";

    /** An event name and a destination's message with markup, a quote, a backslash and an emoji. */
    private static final String MARKUP_NAME =
            "<img src=x onerror=window.__pwned=4> Order \"Completed\" C:\\tmp \uD83D\uDED2";

    /** A destination type with markup, written straight into the global rows. */
    private static final String MARKUP_TYPE = "<img src=x onerror=window.__pwned=6>";

    private static final String MARKUP_MESSAGE =
            "<img src=x onerror=window.__pwned=5>{\"error\":\"it's \\\"bad\\\"\"} \uD83D\uDEA6";

    /** Elements and attributes that a payload parsed as HTML would leave in the page. */
    private static final String INJECTED_ELEMENTS =
            """
            return {
              img: document.querySelectorAll('img').length,
              handlers: document.querySelectorAll('[onload], [onerror]').length,
              foreignSvg: document.querySelectorAll('svg:not(.chart):not(.sparkline)').length,
              inIdCells: document.querySelectorAll(
                  'td[data-col=source] a *, td[data-col=destination] *, td[data-col=error_code] *,'
                  + ' td[data-col=event_name] *, td[data-col=event] *, td[data-col=error_message] *,'
                  + ' td[data-col=destination_type] a *, #destination-title *,'
                  + ' #pair-title *, #alert *:not(#alert-title):not(#alert-detail)').length,
            };""";

    private static final Map<String, Long> NOTHING_INJECTED =
            Map.of("img", 0L, "handlers", 0L, "foreignSvg", 0L, "inIdCells", 0L);

    private final TestDeployment api;
    private final String ws;
    private final PairKey marked;
    private final PairKey plain;
    private Browser browser;
    private String token;

    DashboardInjectionITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        // No live refresh during a test: it would replace the elements the test is reading.
        this.api =
                TestDeployment.start(
                        db, names, observed, Map.of("dashboard.refresh-interval", "1h"));
        this.ws = api.workspaceOnShard(0);
        this.marked = new PairKey(ws, MARKUP_SOURCE, MARKUP_DESTINATION);
        this.plain = new PairKey(ws, "src_app", "dst_hooks");
    }

    @BeforeAll
    void seed() {
        List<DeliveryAttempt> attempts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            attempts.add(at(marked, FROM.plusSeconds(i * 30L)).delivered());
            attempts.add(at(plain, FROM.plusSeconds(i * 30L)).delivered());
        }
        // A failure flags the row, so its "attention" badge sits next to the markup source.
        attempts.add(
                at(marked, FROM.plusSeconds(90)).errorCode(MARKUP_CODE).outcome(Outcome.EXPIRED));
        for (int i = 0; i < 3; i++) {
            attempts.add(
                    at(plain, FROM.plus(Duration.ofMinutes(5 + i)))
                            .event("evt_markup_" + i)
                            .eventType("track")
                            .eventName(MARKUP_NAME)
                            .errorMessage(MARKUP_MESSAGE)
                            .errorCode(MARKUP_CODE)
                            .outcome(Outcome.DISCARDED));
        }
        attempts.add(
                at(plain, FROM.plus(Duration.ofMinutes(9)))
                        .errorCode("http_500")
                        .outcome(Outcome.DISCARDED));
        // MetricRows, as the streaming job writes them: no parser on the way.
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        api.completeThrough(0, COMPLETE_THROUGH);
        seedMarkupType();
        token = api.token(ws);
        browser = Browser.start();
    }

    /** One minute row of a destination type with markup, as the job would write it. */
    private void seedMarkupType() {
        Instant minute = COMPLETE_THROUGH.minus(Duration.ofMinutes(1));
        TypeBucket row =
                new TypeBucket(MARKUP_TYPE, minute, new MetricBucket(), new DistinctContributors());
        for (int i = 0; i < 3; i++) {
            DeliveryAttempt a = at(plain, minute.plusSeconds(i)).delivered();
            row.bucket().add(a);
            row.contributors().add(a.pair(), false);
        }
        api.writeGlobal(Granularity.MINUTE, List.of(row));
        api.globalCompleteThrough(COMPLETE_THROUGH);
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

    private static AttemptBuilder at(PairKey p, Instant t) {
        return AttemptBuilder.anAttempt()
                .pair(p.workspaceId(), p.sourceId(), p.destinationId())
                .at(t);
    }

    @Test
    void shouldHandMarkupInStoredIdsAndErrorCodesToThePageUnchangedAsJsonStrings() {
        String range = "?start=2026-11-26T11:00:00Z&end=2026-11-26T12:00:00Z";

        HttpResult summary =
                api.get("/v1/workspaces/" + ws + "/delivery-metrics/summary" + range, token);
        HttpResult errors =
                api.get(
                        "/v1/workspaces/"
                                + ws
                                + "/delivery-errors"
                                + range
                                + "&source="
                                + plain.sourceId()
                                + "&destination="
                                + plain.destinationId(),
                        token);
        HttpResult drillDown =
                api.get(
                        "/v1/workspaces/"
                                + ws
                                + "/sources/"
                                + encode(MARKUP_SOURCE)
                                + "/destinations/"
                                + encode(MARKUP_DESTINATION)
                                + "/delivery-metrics"
                                + range,
                        token);

        assertThat(summary.status()).as(summary.toString()).isEqualTo(200);
        assertThat(summary.contentType()).startsWith("application/json");
        assertThat(summary.json().get("pairs"))
                .extracting(
                        p -> p.get("source_id").asText() + " > " + p.get("destination_id").asText())
                .containsExactlyInAnyOrder(
                        MARKUP_SOURCE + " > " + MARKUP_DESTINATION, "src_app > dst_hooks");
        assertThat(errors.status()).as(errors.toString()).isEqualTo(200);
        assertThat(errors.contentType()).startsWith("application/json");
        assertThat(errorCodes(errors.json())).containsExactly(MARKUP_CODE, "http_500");
        assertThat(drillDown.status())
                .as("the API refuses such ids in a path, so the page cannot drill down")
                .isEqualTo(400);
    }

    @Test
    void shouldRenderMarkupInIdsAndErrorCodesAsTextAndRunNothing() {
        signIn();

        WebElement row = overviewRow(MARKUP_DESTINATION);

        assertThat(row.findElement(By.cssSelector("td[data-col=source] a")).getText())
                .isEqualTo(MARKUP_SOURCE);
        assertThat(row.findElement(By.cssSelector("td[data-col=destination]")).getText())
                .isEqualTo(MARKUP_DESTINATION);
        assertThat(row.getAttribute("data-source")).isEqualTo(MARKUP_SOURCE);
        assertNothingRanOrWasInjected();
        browser.screenshot("injection-overview");

        openPair(plain);
        browser.visible("#error-table");

        assertThat(errorTableCodes()).containsExactly(MARKUP_CODE, "http_500");
        assertThat(browser.all("#error-table tbody tr").get(0).getAttribute("data-error-code"))
                .isEqualTo(MARKUP_CODE);
        assertNothingRanOrWasInjected();
        browser.screenshot("injection-error-code");
    }

    @Test
    void shouldShowMarkupInEventNamesAndErrorMessagesByteExactAsTextAndRunNothing() {
        signIn();
        openPair(plain);

        List<Map<String, String>> events = PairPage.eventRows(browser);
        List<Map<String, String>> samples = PairPage.openSamples(browser, "discarded", MARKUP_CODE);

        Map<String, String> named =
                events.stream()
                        .filter(r -> MARKUP_NAME.equals(r.get("name")))
                        .findFirst()
                        .orElseThrow();
        assertThat(named.get("event_name")).isEqualTo(MARKUP_NAME);
        assertThat(named.get("failures")).isEqualTo("3");
        assertThat(samples).hasSize(3);
        assertThat(samples)
                .allSatisfy(
                        s -> {
                            assertThat(s.get("error_message")).isEqualTo(MARKUP_MESSAGE);
                            assertThat(s.get("event")).isEqualTo("track · " + MARKUP_NAME);
                        });
        assertThat(samples)
                .extracting(s -> s.get("event_id"))
                .containsExactlyInAnyOrder("evt_markup_0", "evt_markup_1", "evt_markup_2");
        assertNothingRanOrWasInjected();
        browser.screenshot("injection-event-name-and-message");
    }

    @Test
    void shouldShowTheProblemWithoutRunningAnythingWhenAPairWithMarkupIdsIsOpened() {
        signIn();
        WebElement link = overviewRow(MARKUP_DESTINATION).findElement(By.cssSelector("a"));

        assertThat(link.getAttribute("href"))
                .as("the ids travel percent-encoded in the link")
                .contains("#/pairs/%22%3E%3Csvg%20onload%3Dwindow.__pwned%3D2%3E/%3Cimg%20src");
        link.click();

        String alert = browser.untilText("#alert", t -> !t.isEmpty());
        assertThat(alert).startsWith("Invalid request parameters ");
        assertThat(browser.driver().findElement(By.id("pair")).isDisplayed()).isFalse();
        assertNothingRanOrWasInjected();
    }

    @Test
    void shouldRenderMarkupInADestinationTypeAsTextOnTheStatusPageAndRunNothing() {
        browser.signIn(api.base() + "/", api.operatorToken());

        WebElement row =
                browser.until(
                        d ->
                                d.findElements(By.cssSelector("#status-table tbody tr")).stream()
                                        .filter(WebElement::isDisplayed)
                                        .filter(
                                                r ->
                                                        MARKUP_TYPE.equals(
                                                                r.getAttribute("data-type")))
                                        .findFirst()
                                        .orElse(null));

        WebElement link = row.findElement(By.cssSelector("td[data-col=destination_type] a"));
        assertThat(link.getText()).isEqualTo(MARKUP_TYPE);
        assertThat(link.getAttribute("href"))
                .as("the type travels percent-encoded in the link")
                .endsWith(
                        "#/destinations/%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D6%3E?range=1h");
        assertNothingRanOrWasInjected();

        link.click();

        String alert = browser.untilText("#alert", t -> !t.isEmpty());
        assertThat(alert).startsWith("Invalid request parameters ");
        assertThat(browser.driver().findElement(By.id("destination")).isDisplayed()).isFalse();
        assertNothingRanOrWasInjected();
    }

    @Test
    void shouldServeThePageAndItsScriptsWithHeadersThatForbidInlineScriptAndSniffing() {
        for (String path :
                List.of(
                        "/",
                        "/app.js",
                        "/api.js",
                        "/dom.js",
                        "/overview.js",
                        "/pair.js",
                        "/goals.js",
                        "/charts.js",
                        "/format.js",
                        "/status.js",
                        "/destination.js")) {
            HttpResponse<String> r = api.getText(path, null);

            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy"))
                    .as("%s Content-Security-Policy", path)
                    .hasValueSatisfying(
                            csp ->
                                    assertThat(csp)
                                            .contains("script-src 'self'")
                                            .doesNotContain("unsafe-inline", "unsafe-eval"));
            assertThat(r.headers().firstValue("X-Content-Type-Options"))
                    .as("%s X-Content-Type-Options", path)
                    .hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy"))
                    .as("%s Referrer-Policy", path)
                    .hasValueSatisfying(v -> assertThat(v).isNotBlank());
        }
    }

    // --- page helpers

    private void signIn() {
        browser.signIn(api.base() + "/", token);
    }

    /** The overview row of {@code destination}, once the table shows both pairs. */
    private WebElement overviewRow(String destination) {
        return browser.until(
                d -> {
                    List<WebElement> rows =
                            d.findElements(By.cssSelector("#overview-table tbody tr"));
                    if (rows.size() != 2 || !rows.get(0).isDisplayed()) {
                        return null;
                    }
                    return rows.stream()
                            .filter(r -> destination.equals(r.getAttribute("data-destination")))
                            .findFirst()
                            .orElse(null);
                });
    }

    private void openPair(PairKey p) {
        overviewRow(p.destinationId()).findElement(By.cssSelector("td[data-col=source] a")).click();
        browser.untilText("#pair-title", t -> t.equals(p.sourceId() + " → " + p.destinationId()));
    }

    private List<String> errorTableCodes() {
        return browser.all("#error-table > tbody > tr > td[data-col=error_code]").stream()
                .map(WebElement::getText)
                .toList();
    }

    private void assertNothingRanOrWasInjected() {
        assertThat(browser.script("return typeof window.__pwned;"))
                .as("window.__pwned set by a payload")
                .isEqualTo("undefined");
        assertThat(browser.script(INJECTED_ELEMENTS))
                .as("elements and handlers created from data")
                .isEqualTo(NOTHING_INJECTED);
    }

    private static List<String> errorCodes(JsonNode body) {
        return StreamSupport.stream(body.get("errors").spliterator(), false)
                .map(e -> e.get("error_code").asText())
                .toList();
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
