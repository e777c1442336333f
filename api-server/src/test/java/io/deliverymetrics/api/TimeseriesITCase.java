package io.deliverymetrics.api;

import static io.deliverymetrics.api.support.Attempts.select;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.Expected;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The timeseries endpoint against real shards: every bucket, exact merges, grouping, paging. */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeseriesITCase {

    private static final Instant HOUR_START = Instant.parse("2026-11-26T11:00:00Z");
    private static final Instant HOUR_END = Instant.parse("2026-11-26T12:00:00Z");

    private final TestDeployment api;

    TimeseriesITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api = TestDeployment.start(db, names, observed, Map.of());
    }

    @BeforeAll
    void serverIsUp() {
        assertThat(api.get("/healthz", null).status()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldReturnEveryMinuteOfTheLastHourByDefaultWithZerosInTheGaps() {
        String ws = api.workspaceOnShard(0);
        PairKey pair = new PairKey(ws, "src_web", "dst_amp");
        List<DeliveryAttempt> attempts =
                Attempts.generate(
                        new Random(1),
                        pair,
                        Instant.parse("2026-11-26T11:10:00Z"),
                        Instant.parse("2026-11-26T11:20:00Z"),
                        400);
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));

        HttpResult r = api.get("/v1/workspaces/" + ws + "/delivery-metrics", api.token(ws));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode q = r.json().get("query");
        assertThat(q.get("granularity").asText()).isEqualTo("minute");
        assertThat(q.get("requested_granularity").asText()).isEqualTo("auto");
        assertThat(q.get("start").asText()).isEqualTo("2026-11-26T11:00:00Z");
        assertThat(q.get("end").asText()).isEqualTo("2026-11-26T12:00:00Z");
        assertThat(q.get("metrics")).hasSize(13);
        assertThat(r.json().get("series")).hasSize(1);
        JsonNode points = r.json().get("series").get(0).get("points");
        assertThat(points).hasSize(60);
        int nonEmpty = 0;
        for (int i = 0; i < 60; i++) {
            Instant start = HOUR_START.plus(Duration.ofMinutes(i));
            JsonNode p = points.get(i);
            assertThat(p.get("start").asText()).isEqualTo(start.toString());
            List<DeliveryAttempt> inMinute =
                    select(attempts, start, start.plusSeconds(60), a -> true);
            if (inMinute.isEmpty()) {
                Expected.assertEmpty(p);
            } else {
                nonEmpty++;
                Expected.of(inMinute).assertMatches(p);
            }
        }
        assertThat(nonEmpty).isEqualTo(10);
    }

    @Test
    void shouldMarkTheOverflowPairInSeriesAndSummaries() {
        String ws = api.workspaceOnShard(0);
        Random rnd = new Random(4);
        for (PairKey pair : List.of(new PairKey(ws, "src_web", "dst_amp"), PairKey.overflow(ws))) {
            api.write(
                    Granularity.MINUTE,
                    Attempts.rows(
                            Granularity.MINUTE,
                            Attempts.generate(
                                    rnd,
                                    pair,
                                    Instant.parse("2026-11-26T11:10:00Z"),
                                    Instant.parse("2026-11-26T11:20:00Z"),
                                    50)));
        }
        String token = api.token(ws);

        JsonNode series =
                api.get("/v1/workspaces/" + ws + "/delivery-metrics?group_by=pair", token)
                        .json()
                        .get("series");
        JsonNode pairs =
                api.get("/v1/workspaces/" + ws + "/delivery-metrics/summary", token)
                        .json()
                        .get("pairs");

        for (JsonNode list : List.of(series, pairs)) {
            assertThat(list).hasSize(2);
            for (JsonNode s : list) {
                boolean overflow = s.get("source_id").asText().equals(PairKey.OVERFLOW_ID);
                assertThat(s.has("overflow")).as(s.toString()).isEqualTo(overflow);
                if (overflow) {
                    assertThat(s.get("overflow").asBoolean()).isTrue();
                }
            }
        }
    }

    @Test
    void shouldMergeAllPairsExactlyIntoOneSeriesWithPercentilesFromMergedSketches() {
        String ws = api.workspaceOnShard(1);
        Random rnd = new Random(2);
        List<DeliveryAttempt> attempts = new ArrayList<>();
        for (String[] p :
                new String[][] {{"src_a", "dst_x"}, {"src_a", "dst_y"}, {"src_b", "dst_x"}}) {
            attempts.addAll(
                    Attempts.generate(rnd, new PairKey(ws, p[0], p[1]), HOUR_START, HOUR_END, 600));
        }
        // A fast and a slow pair in the same minute: averaging their percentiles would be wrong.
        Instant minute = Instant.parse("2026-11-26T11:30:00Z");
        for (int i = 0; i < 200; i++) {
            attempts.add(
                    io.deliverymetrics.core.model.AttemptBuilder.anAttempt()
                            .pair(ws, "src_fast", "dst_x")
                            .at(minute.plusMillis(i))
                            .latencyMs(10 + i % 7)
                            .delivered());
            attempts.add(
                    io.deliverymetrics.core.model.AttemptBuilder.anAttempt()
                            .pair(ws, "src_slow", "dst_x")
                            .at(minute.plusMillis(i))
                            .latencyMs(5_000 + i * 13)
                            .delivered());
        }
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));

        HttpResult r =
                api.get(
                        "/v1/workspaces/"
                                + ws
                                + "/delivery-metrics?start="
                                + HOUR_START
                                + "&end="
                                + HOUR_END,
                        api.token(ws));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode points = r.json().get("series").get(0).get("points");
        assertThat(points).hasSize(60);
        for (int i = 0; i < 60; i++) {
            Instant start = HOUR_START.plus(Duration.ofMinutes(i));
            Expected.of(select(attempts, start, start.plusSeconds(60), a -> true))
                    .assertMatches(points.get(i));
        }
        assertThat(r.json().get("series").get(0).has("source_id")).isFalse();
    }

    @Test
    void shouldReturnOneSeriesPerSourceDestinationOrPairWhenGrouped() {
        String ws = api.workspaceOnShard(0);
        Random rnd = new Random(3);
        List<DeliveryAttempt> attempts = new ArrayList<>();
        for (String[] p :
                new String[][] {{"src_a", "dst_x"}, {"src_a", "dst_y"}, {"src_b", "dst_x"}}) {
            attempts.addAll(
                    Attempts.generate(rnd, new PairKey(ws, p[0], p[1]), HOUR_START, HOUR_END, 300));
        }
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        String token = api.token(ws);
        String range = "&start=" + HOUR_START + "&end=" + HOUR_END + "&granularity=hour";

        JsonNode bySource = api.get(timeseries(ws) + "?group_by=source" + range, token).json();
        assertThat(bySource.get("series")).hasSize(2);
        assertThat(bySource.get("series").get(0).get("source_id").asText()).isEqualTo("src_a");
        assertThat(bySource.get("series").get(0).has("destination_id")).isFalse();
        assertThat(bySource.get("series").get(0).get("points")).hasSize(1);
        Expected.of(select(attempts, HOUR_START, HOUR_END, a -> a.sourceId().equals("src_a")))
                .assertMatches(bySource.get("series").get(0).get("points").get(0));
        Expected.of(select(attempts, HOUR_START, HOUR_END, a -> a.sourceId().equals("src_b")))
                .assertMatches(bySource.get("series").get(1).get("points").get(0));

        JsonNode byDestination =
                api.get(timeseries(ws) + "?group_by=destination" + range, token).json();
        assertThat(byDestination.get("series")).hasSize(2);
        assertThat(byDestination.get("series").get(0).get("destination_id").asText())
                .isEqualTo("dst_x");
        Expected.of(select(attempts, HOUR_START, HOUR_END, a -> a.destinationId().equals("dst_x")))
                .assertMatches(byDestination.get("series").get(0).get("points").get(0));

        JsonNode byPair = api.get(timeseries(ws) + "?group_by=pair" + range, token).json();
        assertThat(byPair.get("series")).hasSize(3);
        JsonNode second = byPair.get("series").get(1);
        assertThat(second.get("source_id").asText()).isEqualTo("src_a");
        assertThat(second.get("destination_id").asText()).isEqualTo("dst_y");
        Expected.of(
                        select(
                                attempts,
                                HOUR_START,
                                HOUR_END,
                                a ->
                                        a.sourceId().equals("src_a")
                                                && a.destinationId().equals("dst_y")))
                .assertMatches(second.get("points").get(0));
        assertThat(byPair.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void shouldFilterBySourceAndDestination() {
        String ws = api.workspaceOnShard(1);
        Random rnd = new Random(4);
        List<DeliveryAttempt> attempts = new ArrayList<>();
        for (String[] p :
                new String[][] {{"src_a", "dst_x"}, {"src_a", "dst_y"}, {"src_b", "dst_x"}}) {
            attempts.addAll(
                    Attempts.generate(rnd, new PairKey(ws, p[0], p[1]), HOUR_START, HOUR_END, 200));
        }
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        String token = api.token(ws);
        String range = "&start=" + HOUR_START + "&end=" + HOUR_END + "&granularity=hour";

        JsonNode onlyX = api.get(timeseries(ws) + "?destination=dst_x" + range, token).json();
        assertThat(onlyX.get("query").get("destination").asText()).isEqualTo("dst_x");
        Expected.of(select(attempts, HOUR_START, HOUR_END, a -> a.destinationId().equals("dst_x")))
                .assertMatches(onlyX.get("series").get(0).get("points").get(0));

        JsonNode onePair =
                api.get(timeseries(ws) + "?source=src_b&destination=dst_x" + range, token).json();
        Expected.of(select(attempts, HOUR_START, HOUR_END, a -> a.sourceId().equals("src_b")))
                .assertMatches(onePair.get("series").get(0).get("points").get(0));

        JsonNode nothing = api.get(timeseries(ws) + "?source=src_none" + range, token).json();
        Expected.assertEmpty(nothing.get("series").get(0).get("points").get(0));
    }

    @Test
    void shouldAnswerThePairShorthandLikeTheFilteredQuery() {
        String ws = api.workspaceOnShard(0);
        Random rnd = new Random(5);
        List<DeliveryAttempt> attempts = new ArrayList<>();
        attempts.addAll(
                Attempts.generate(
                        rnd, new PairKey(ws, "src_a", "dst_x"), HOUR_START, HOUR_END, 300));
        attempts.addAll(
                Attempts.generate(
                        rnd, new PairKey(ws, "src_a", "dst_y"), HOUR_START, HOUR_END, 300));
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        String token = api.token(ws);
        String range = "?start=" + HOUR_START + "&end=" + HOUR_END;

        HttpResult shorthand =
                api.get(
                        "/v1/workspaces/"
                                + ws
                                + "/sources/src_a/destinations/dst_y/delivery-metrics"
                                + range,
                        token);
        HttpResult filtered =
                api.get(timeseries(ws) + range + "&source=src_a&destination=dst_y", token);

        assertThat(shorthand.status()).as(shorthand.toString()).isEqualTo(200);
        assertThat(shorthand.json()).isEqualTo(filtered.json());
        Expected.of(
                        select(
                                attempts,
                                HOUR_START,
                                HOUR_START.plusSeconds(60),
                                a -> a.destinationId().equals("dst_y")))
                .assertMatches(shorthand.json().get("series").get(0).get("points").get(0));
    }

    @Test
    void shouldReturnOnlyTheRequestedMetrics() {
        String ws = api.workspaceOnShard(1);
        List<DeliveryAttempt> attempts =
                Attempts.generate(
                        new Random(6), new PairKey(ws, "s", "d"), HOUR_START, HOUR_END, 100);
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));

        JsonNode body =
                api.get(timeseries(ws) + "?metrics=latency_p99,successes", api.token(ws)).json();

        assertThat(body.get("query").get("metrics").toString())
                .isEqualTo("[\"successes\",\"latency_p99\"]");
        JsonNode p = body.get("series").get(0).get("points").get(0);
        List<String> fields = new ArrayList<>();
        p.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("start", "partial", "successes", "latency_p99");
    }

    @Test
    void shouldPageThroughSeriesWithTheCursor() {
        String ws = api.workspaceOnShard(0);
        Random rnd = new Random(7);
        List<DeliveryAttempt> attempts = new ArrayList<>();
        String[] sources = {"src_e", "src_c", "src_a", "src_d", "src_b"};
        for (String src : sources) {
            attempts.addAll(
                    Attempts.generate(rnd, new PairKey(ws, src, "dst"), HOUR_START, HOUR_END, 50));
        }
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        String token = api.token(ws);

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            String url =
                    timeseries(ws)
                            + "?group_by=pair&granularity=hour&limit=2"
                            + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResult r = api.get(url, token);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            pageSizes.add(r.json().get("series").size());
            for (JsonNode s : r.json().get("series")) {
                seen.add(s.get("source_id").asText());
                Expected.of(
                                select(
                                        attempts,
                                        HOUR_START,
                                        HOUR_END,
                                        a -> a.sourceId().equals(s.get("source_id").asText())))
                        .assertMatches(s.get("points").get(0));
            }
            cursor =
                    r.json().get("next_cursor").isNull()
                            ? null
                            : r.json().get("next_cursor").asText();
        } while (cursor != null);

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(seen).containsExactly("src_a", "src_b", "src_c", "src_d", "src_e");
    }

    @Test
    void shouldReadEachWorkspaceFromTheShardItIsRoutedTo() {
        String onShard0 = api.workspaceOnShard(0);
        String onShard1 = api.workspaceOnShard(1);
        Random rnd = new Random(8);
        List<DeliveryAttempt> a0 =
                Attempts.generate(rnd, new PairKey(onShard0, "s", "d"), HOUR_START, HOUR_END, 100);
        List<DeliveryAttempt> a1 =
                Attempts.generate(rnd, new PairKey(onShard1, "s", "d"), HOUR_START, HOUR_END, 150);
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, a0));
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, a1));
        // Rows of shard 1's workspace stored on shard 0 by mistake must not be served.
        api.inTransaction(
                0,
                c ->
                        io.deliverymetrics.sql.MetricRows.write(
                                c,
                                Granularity.MINUTE,
                                Attempts.rows(
                                        Granularity.MINUTE,
                                        a0.stream().map(a -> retarget(a, onShard1)).toList())));
        String range = "?granularity=hour&start=" + HOUR_START + "&end=" + HOUR_END;

        JsonNode r0 = api.get(timeseries(onShard0) + range, api.token(onShard0)).json();
        JsonNode r1 = api.get(timeseries(onShard1) + range, api.token(onShard1)).json();

        Expected.of(a0).assertMatches(r0.get("series").get(0).get("points").get(0));
        Expected.of(a1).assertMatches(r1.get("series").get(0).get("points").get(0));
    }

    private static DeliveryAttempt retarget(DeliveryAttempt a, String ws) {
        return new DeliveryAttempt(
                ws,
                a.sourceId(),
                a.destinationId(),
                a.eventId(),
                a.attempt(),
                a.outcome(),
                a.errorCode(),
                a.receivedAt(),
                a.completedAt());
    }

    static String timeseries(String ws) {
        return "/v1/workspaces/" + ws + "/delivery-metrics";
    }
}
