package io.deliverymetrics.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The quickstart as a user runs it: everything starts, live minute data shows up, and it all stops.
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
