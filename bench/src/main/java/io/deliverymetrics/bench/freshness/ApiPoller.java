package io.deliverymetrics.bench.freshness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.core.model.PairKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the per-pair minute series of the polled pairs over HTTP, as any API client would, and
 * records what each response showed for each measured minute: the attempt count (the five outcome
 * counters add up to one per attempt record), {@code partial} and whether the response's {@code
 * final_through} had passed the minute, with the time the response arrived on the producer's clock.
 */
final class ApiPoller {

    private static final String COUNTERS = "successes,retried,discarded,expired,filtered";
    private static final String[] COUNTER_FIELDS = COUNTERS.split(",");

    /**
     * What one response showed for one measured minute of one pair.
     *
     * @param atMs when the response had arrived, on the producer's clock
     * @param isFinal whether the response's {@code final_through} was at or after the minute's end
     */
    record Observation(
            int pair, int minute, long atMs, long count, boolean partial, boolean isFinal) {}

    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final List<HttpRequest> requests = new ArrayList<>();
    private final long firstMinuteMs;
    private final int minutes;
    private long requestsSent;
    private long failures;
    private String firstFailure;

    /**
     * @param tokens a token of each polled pair's workspace, in pair order
     */
    ApiPoller(
            Clock clock,
            String baseUrl,
            List<PairKey> pairs,
            List<String> tokens,
            Instant firstMinute,
            int minutes) {
        this.clock = clock;
        this.firstMinuteMs = firstMinute.toEpochMilli();
        this.minutes = minutes;
        Instant end = firstMinute.plus(Duration.ofMinutes(minutes));
        for (int i = 0; i < pairs.size(); i++) {
            PairKey p = pairs.get(i);
            String url =
                    String.format(
                            "%s/v1/workspaces/%s/sources/%s/destinations/%s/delivery-metrics"
                                    + "?start=%s&end=%s&granularity=minute&metrics=%s",
                            baseUrl,
                            p.workspaceId(),
                            p.sourceId(),
                            p.destinationId(),
                            firstMinute,
                            end,
                            COUNTERS);
            requests.add(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + tokens.get(i))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build());
        }
    }

    /** Polls every pair once and adds what it saw to {@code out}. */
    void round(List<Observation> out) throws InterruptedException {
        for (int pair = 0; pair < requests.size(); pair++) {
            requestsSent++;
            HttpResponse<byte[]> response;
            try {
                response = http.send(requests.get(pair), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                fail("request failed: " + e);
                continue;
            }
            long at = clock.millis();
            if (response.statusCode() != 200) {
                fail(
                        "HTTP "
                                + response.statusCode()
                                + ": "
                                + new String(response.body(), StandardCharsets.UTF_8));
                continue;
            }
            JsonNode root;
            try {
                root = json.readTree(response.body());
            } catch (IOException e) {
                fail("unreadable response: " + e);
                continue;
            }
            JsonNode finalNode = root.path("final_through");
            long finalThroughMs =
                    finalNode.isTextual()
                            ? Instant.parse(finalNode.asText()).toEpochMilli()
                            : Long.MIN_VALUE;
            JsonNode series = root.path("series");
            if (series.size() != 1) {
                fail("expected one series, got " + series.size());
                continue;
            }
            for (JsonNode point : series.get(0).path("points")) {
                long start = Instant.parse(point.path("start").asText()).toEpochMilli();
                long minute = (start - firstMinuteMs) / 60_000;
                if (start < firstMinuteMs || minute >= minutes) {
                    continue;
                }
                long count = 0;
                for (String f : COUNTER_FIELDS) {
                    count += point.path(f).asLong();
                }
                out.add(
                        new Observation(
                                pair,
                                (int) minute,
                                at,
                                count,
                                point.path("partial").asBoolean(),
                                finalThroughMs >= start + 60_000));
            }
        }
    }

    private void fail(String what) {
        failures++;
        if (firstFailure == null) {
            firstFailure = what;
        }
    }

    long requestsSent() {
        return requestsSent;
    }

    long failures() {
        return failures;
    }

    String firstFailure() {
        return firstFailure;
    }
}
