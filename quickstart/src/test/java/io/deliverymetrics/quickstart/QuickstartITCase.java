package io.deliverymetrics.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.core.exposition.Promtool;
import io.deliverymetrics.core.exposition.Scrape;
import io.deliverymetrics.loadgen.model.Pair;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The quickstart as a user runs it: everything starts, live minute data shows up, the demo goals
 * show the incident pair burning its error budget and the shipped alert rules would fire on the
 * demo workspace's exposition, the destination status (operators' and public) shows the status
 * incident's type down, and it all stops.
 */
class QuickstartITCase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The counters the shipped rules read. */
    private static final List<String> COUNTERS =
            List.of(
                    "event_delivery_successes_total",
                    "event_delivery_discarded_total",
                    "event_delivery_expired_total");

    /** Interval between two scrapes of the workspace exposition, as the rule test replays them. */
    private static final int SCRAPE_SECONDS = 5;

    /** Samples before the first scrape: the rules compare with the hour before the last 5 min. */
    private static final int HISTORY = 65 * 60 / SCRAPE_SECONDS;

    private static void pause(int seconds) {
        CompletableFuture.runAsync(
                        () -> {}, CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS))
                .join();
    }

    private static Map<String, JsonNode> goalsById(JsonNode body) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode g : body.path("goals")) {
            out.put(g.path("goal_id").asText(), g);
        }
        return out;
    }

    /**
     * The demo goals exist; once the incident has run, the incident pair's goal burns and the
     * healthy pair's does not; and Prometheus' rule evaluator, on series replayed from scrapes of
     * the workspace exposition, fires the shipped discard-spike alert for the incident's
     * destination and the goal's fast-burn alert for the incident pair only.
     */
    private static void checkGoalsAndAlerts(Quickstart q, String base, String token, long deadline)
            throws Exception {
        Pair incident = q.incidentPair().orElseThrow();
        Pair healthy = q.healthyPair().orElseThrow();
        String ws = q.demoWorkspace();
        String goals = base + "/v1/workspaces/" + ws + "/goals";
        String exposition = base + "/v1/workspaces/" + ws + "/metrics";
        String incidentDiscards =
                "event_delivery_discarded_total"
                        + Scrape.pairLabels(ws, incident.sourceId(), incident.destinationId());
        List<Map<String, Double>> scrapes = new ArrayList<>();
        Map<String, JsonNode> status = Map.of();
        while (true) {
            assertThat(System.nanoTime())
                    .as("the incident pair's goal burns within four more minutes: %s", status)
                    .isLessThan(deadline);
            HttpResponse<String> scrape = get(exposition, token);
            assertThat(scrape.statusCode()).isEqualTo(200);
            scrapes.add(Scrape.samples(scrape.body()));
            HttpResponse<String> r = get(goals + "/status", token);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            status = goalsById(JSON.readTree(r.body()));
            JsonNode burning = status.get(Quickstart.INCIDENT_PAIR_GOAL);
            JsonNode contrast = status.get(Quickstart.HEALTHY_PAIR_GOAL);
            if (status.size() == 4
                    && burning != null
                    && burning.path("burning").asBoolean()
                    && contrast != null
                    && contrast.path("events").asLong() > 0
                    && scrapes.get(scrapes.size() - 1).getOrDefault(incidentDiscards, 0.0) >= 10
                    && scrapes.size() >= 3) {
                break;
            }
            pause(SCRAPE_SECONDS);
        }
        HttpResponse<String> last = get(exposition, token);
        scrapes.add(Scrape.samples(last.body()));

        JsonNode list = JSON.readTree(get(goals, token).body());
        assertThat(goalsById(list).keySet())
                .containsExactlyInAnyOrder(
                        Quickstart.WORKSPACE_GOAL,
                        Quickstart.LATENCY_GOAL,
                        Quickstart.INCIDENT_PAIR_GOAL,
                        Quickstart.HEALTHY_PAIR_GOAL);
        JsonNode burning = status.get(Quickstart.INCIDENT_PAIR_GOAL);
        assertThat(burning.path("source_id").asText()).isEqualTo(incident.sourceId());
        assertThat(burning.path("destination_id").asText()).isEqualTo(incident.destinationId());
        assertThat(burning.path("alerts").path("fast_burn").asBoolean()).isTrue();
        JsonNode contrast = status.get(Quickstart.HEALTHY_PAIR_GOAL);
        assertThat(contrast.path("destination_id").asText()).isEqualTo(healthy.destinationId());
        assertThat(contrast.path("burning").asBoolean()).as("%s", contrast).isFalse();
        assertThat(contrast.path("met").asBoolean()).as("%s", contrast).isTrue();
        assertThat(status.get(Quickstart.WORKSPACE_GOAL).path("events").asLong()).isPositive();
        assertThat(q.banner()).contains("/v1/workspaces/" + ws + "/goals/status");

        // The rules need what a Prometheus scraping the demo would have: the discard spike
        // compares the last 5 minutes with the hour before, and the goal alerts read rates over
        // up to 6 hours. The demo has run for minutes, so the scrapes are replayed after an hour
        // of zeros (nothing was delivered before the demo started), 5 s apart.
        Path dir = Files.createTempDirectory("quickstart-rules-");
        try {
            Files.copy(
                    Path.of("..", "prometheus", "delivery-alerts.rules.yml"),
                    dir.resolve("delivery-alerts.rules.yml"));
            HttpResponse<String> rules = get(goals + "/rules", token);
            assertThat(rules.statusCode()).isEqualTo(200);
            Files.writeString(dir.resolve("goals.rules.yml"), rules.body(), StandardCharsets.UTF_8);
            Promtool.Result check = Promtool.checkRules(dir.resolve("goals.rules.yml"));
            assertThat(check.exitCode()).as(check.output()).isZero();

            assertThat(scrapes.get(scrapes.size() - 1))
                    .containsKey(
                            "event_delivery_successes_total"
                                    + Scrape.pairLabels(
                                            ws, healthy.sourceId(), healthy.destinationId()));
            String evalTime = (HISTORY + scrapes.size() - 1) * SCRAPE_SECONDS + "s";
            StringBuilder test = new StringBuilder();
            test.append("rule_files:\n")
                    .append("  - delivery-alerts.rules.yml\n")
                    .append("  - goals.rules.yml\n")
                    .append("evaluation_interval: ")
                    .append(SCRAPE_SECONDS)
                    .append("s\n")
                    .append("tests:\n")
                    .append("  - interval: ")
                    .append(SCRAPE_SECONDS)
                    .append("s\n")
                    .append("    input_series:\n");
            Set<String> series = new TreeSet<>();
            scrapes.forEach(
                    m ->
                            m.keySet().stream()
                                    .filter(
                                            k ->
                                                    COUNTERS.stream()
                                                            .anyMatch(c -> k.startsWith(c + "{")))
                                    .forEach(series::add));
            for (String s : series) {
                StringBuilder values = new StringBuilder("0x").append(HISTORY - 1);
                double previous = 0;
                for (Map<String, Double> m : scrapes) {
                    previous = m.getOrDefault(s, previous);
                    values.append(' ').append((long) previous);
                }
                test.append("      - series: '").append(s).append("'\n");
                test.append("        values: '").append(values).append("'\n");
            }
            test.append("    promql_expr_test:\n");
            expect(
                    test,
                    "ALERTS{alertname=\"DeliveryDiscardSpike\",destination=\""
                            + incident.destinationId()
                            + "\"}",
                    evalTime,
                    "ALERTS{alertname=\"DeliveryDiscardSpike\",alertstate=\"firing\","
                            + "severity=\"ticket\",workspace=\""
                            + ws
                            + "\",destination=\""
                            + incident.destinationId()
                            + "\"}");
            expect(
                    test,
                    "ALERTS{alertname=\"DeliveryGoalFastBurn\",goal=\""
                            + Quickstart.INCIDENT_PAIR_GOAL
                            + "\"}",
                    evalTime,
                    "ALERTS{alertname=\"DeliveryGoalFastBurn\",alertstate=\"firing\","
                            + "severity=\"page\",workspace=\""
                            + ws
                            + "\",goal=\""
                            + Quickstart.INCIDENT_PAIR_GOAL
                            + "\"}");
            expect(test, "ALERTS{goal=\"" + Quickstart.HEALTHY_PAIR_GOAL + "\"}", evalTime, null);
            Path testFile = dir.resolve("quickstart.test.yml");
            Files.writeString(testFile, test, StandardCharsets.UTF_8);
            Promtool.Result run = Promtool.testRules(testFile);
            assertThat(run.exitCode()).as(run.output() + "\n" + test).isZero();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * Within one period of the status incident and the time the pipeline needs to complete its
     * minutes, the operators' destination status reports the incident's type degraded or in an
     * outage across its workspaces, and the public status (no token) shows it too, without a
     * workspace id.
     */
    private static void checkDestinationStatus(Quickstart q, String base) throws Exception {
        String type = q.statusIncidentType().orElseThrow();
        String operator = q.operatorToken().orElseThrow();
        Set<String> down = Set.of("degraded", "outage");
        long deadline = System.nanoTime() + Duration.ofMinutes(12).toNanos();
        JsonNode operatorView = null;
        JsonNode publicView = null;
        HttpResponse<String> open = null;
        while (true) {
            assertThat(System.nanoTime())
                    .as(
                            "%s degraded or out within 12 minutes: %s / %s",
                            type, operatorView, publicView)
                    .isLessThan(deadline);
            HttpResponse<String> r = get(base + "/v1/destinations", operator);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            operatorView = byType(JSON.readTree(r.body())).get(type);
            open = get(base + "/v1/status", null);
            assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
            publicView = byType(JSON.readTree(open.body())).get(type);
            if (operatorView != null
                    && down.contains(operatorView.path("status").asText())
                    && publicView != null
                    && down.contains(publicView.path("status").asText())) {
                break;
            }
            pause(SCRAPE_SECONDS);
        }
        assertThat(operatorView.path("workspaces").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(operatorView.path("affected_workspaces").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(publicView.has("workspaces")).isFalse();
        assertThat(open.body()).doesNotContain("ws_");
        assertThat(q.banner())
                .contains(base + "/#/status")
                .contains(base + "/#/public-status")
                .contains(operator)
                .contains(type);
    }

    private static Map<String, JsonNode> byType(JsonNode body) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode t : body.path("destinations")) {
            out.put(t.path("destination_type").asText(), t);
        }
        return out;
    }

    /** A promql_expr_test: {@code expr} at {@code evalTime} is the one sample, or none if null. */
    private static void expect(StringBuilder test, String expr, String evalTime, String sample) {
        test.append("      - expr: '").append(expr).append("'\n");
        test.append("        eval_time: ").append(evalTime).append('\n');
        if (sample == null) {
            test.append("        exp_samples: []\n");
        } else {
            test.append("        exp_samples:\n");
            test.append("          - labels: '").append(sample).append("'\n");
            test.append("            value: 1\n");
        }
    }

    @Test
    void shouldServeLiveMinuteDataWithinTwoMinutesAndStopCleanly() throws Exception {
        QuickstartConfig config =
                QuickstartConfig.load(
                        Map.of(),
                        "--api.port=0",
                        "--api.admin-port=0",
                        "--flink.web-port=0",
                        "--loadgen.rate=200",
                        "--batch.management-port=0",
                        "--batch.jar=" + System.getProperty("batch.jar"));
        int port;
        String summary;
        try (Quickstart q = Quickstart.start(config)) {
            port = q.apiPort();
            assertThat(q.banner()).contains("http://localhost:" + port + "/").contains("curl");
            String token = q.demoToken().orElseThrow();
            summary =
                    "http://localhost:"
                            + port
                            + "/v1/workspaces/"
                            + q.demoWorkspace()
                            + "/delivery-metrics/summary";

            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            long successes = 0;
            while (successes == 0) {
                assertThat(System.nanoTime())
                        .as("live data within two minutes")
                        .isLessThan(deadline);
                // Poll once a second: well within the API's rate limit.
                CompletableFuture.runAsync(
                                () -> {}, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS))
                        .join();
                HttpResponse<String> r =
                        HTTP.send(
                                HttpRequest.newBuilder(URI.create(summary))
                                        .header("Authorization", "Bearer " + token)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode body = new ObjectMapper().readTree(r.body());
                successes = 0;
                for (JsonNode pair : body.path("pairs")) {
                    successes += pair.path("successes").asLong();
                }
            }
            assertThat(successes).isPositive();

            // Metrics: the public port's /metrics shows no workspace's data to anyone; the demo
            // token sees only its workspace's series; the loopback admin listener sees them all.
            String base = "http://localhost:" + port;
            HttpResponse<String> open = get(base + "/metrics", null);
            assertThat(open.statusCode()).isEqualTo(404);
            assertThat(open.body()).doesNotContain("workspace=").doesNotContain("event_delivery");
            // The expositions show final minutes only: wait for the demo workspace's first one.
            String demo = "workspace=\"" + q.demoWorkspace() + "\"";
            String adminMetrics = "http://localhost:" + q.apiAdminPort().orElseThrow() + "/metrics";
            List<String> operatorSeries = List.of();
            while (operatorSeries.stream().noneMatch(l -> l.contains(demo))) {
                assertThat(System.nanoTime())
                        .as("a final minute within two more minutes")
                        .isLessThan(deadline + Duration.ofMinutes(2).toNanos());
                CompletableFuture.runAsync(
                                () -> {}, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS))
                        .join();
                HttpResponse<String> operator = get(adminMetrics, null);
                assertThat(operator.statusCode()).isEqualTo(200);
                operatorSeries =
                        operator.body()
                                .lines()
                                .filter(l -> l.startsWith("event_delivery_successes_total{"))
                                .toList();
            }
            HttpResponse<String> own =
                    get(base + "/v1/workspaces/" + q.demoWorkspace() + "/metrics", token);
            assertThat(own.statusCode()).isEqualTo(200);
            List<String> ownSeries =
                    own.body().lines().filter(l -> l.contains("workspace=\"")).toList();
            assertThat(ownSeries).isNotEmpty().allMatch(l -> l.contains(demo));
            assertThat(operatorSeries)
                    .as("the operator sees other workspaces than the demo one")
                    .anyMatch(l -> !l.contains(demo));

            checkGoalsAndAlerts(q, base, token, deadline + Duration.ofMinutes(4).toNanos());
            checkDestinationStatus(q, base);
        }
        // Stopped: nothing listens on the API port any more.
        try {
            HTTP.send(
                    HttpRequest.newBuilder(URI.create(summary))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            throw new AssertionError("the API still answers after close()");
        } catch (ConnectException expected) {
            assertThat(expected).isNotNull();
        } catch (IOException other) {
            assertThat(other).hasRootCauseInstanceOf(ConnectException.class);
        }
    }
}
