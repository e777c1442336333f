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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The quickstart as a user runs it: everything starts, live minute data shows up, and it all stops.
 */
class QuickstartITCase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldServeLiveMinuteDataWithinTwoMinutesAndStopCleanly() throws Exception {
        QuickstartConfig config =
                QuickstartConfig.load(
                        Map.of(),
                        "--api.port=0",
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
