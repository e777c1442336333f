package io.deliverymetrics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.metrics.EventKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The event breakdown ({@code group_by=event_type|event_name}) and the previous comparable range,
 * against values computed straight from the attempts. Minute rows cover everything; hour rows the
 * hours before 09:00 on 26 Nov and day rows the days before 25 Nov, which is how far compaction has
 * got, so hour and day answers need the real-time union.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventBreakdownITCase {

    private static final Instant FROM = Instant.parse("2026-11-24T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-26T12:00:00Z");
    private static final Instant HOURS_COMPACTED_THROUGH = Instant.parse("2026-11-26T09:00:00Z");
    private static final Instant DAYS_COMPACTED_THROUGH = Instant.parse("2026-11-25T00:00:00Z");

    /** Event (type, name) pairs, names as a stream may send them. */
    private static final String[][] EVENTS = {
        {"track", "Order \"Completed\""},
        {"track", "C:\\dir\\file \\u0041"},
        {"track", "\uD83D\uDE80 launch \u65E5\u672C caf\u00E9"},
        {"track", "line\nbreak\ttab"},
        {"page", null},
        {"identify", "plain"},
        {"page", "</script><b onclick=x>"},
    };

    private static final String[] PAIR_A = {"src_web", "dst_amp"};
    private static final String[] PAIR_B = {"src_app", "dst_braze"};

    private final TestDeployment api;
    private final String ws;
    private final String wsOther;
    private final String wsCapped;
    private final List<DeliveryAttempt> attempts = new ArrayList<>();
    private final List<DeliveryAttempt> capped = new ArrayList<>();
    private String token;

    EventBreakdownITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api = TestDeployment.start(db, names, observed, Map.of());
        this.ws = api.workspaceOnShard(0);
        this.wsOther = api.workspaceOnShard(0);
        this.wsCapped = api.workspaceOnShard(0);
    }

    @BeforeAll
    void seed() {
        Random rnd = new Random(29);
        for (String[] pair : List.of(PAIR_A, PAIR_B)) {
            long span = TO.toEpochMilli() - FROM.toEpochMilli();
            for (int i = 0; i < 4000; i++) {
                Instant at = FROM.plusMillis((long) (rnd.nextDouble() * span));
                String[] event = EVENTS[rnd.nextInt(EVENTS.length)];
                attempts.add(attempt(ws, pair, at, event[0], event[1], outcome(rnd)));
            }
        }
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        api.write(
                Granularity.HOUR,
                Attempts.rows(
                        Granularity.HOUR,
                        Attempts.select(attempts, FROM, HOURS_COMPACTED_THROUGH, a -> true)));
        api.write(
                Granularity.DAY,
                Attempts.rows(
                        Granularity.DAY,
                        Attempts.select(attempts, FROM, DAYS_COMPACTED_THROUGH, a -> true)));
        // A minute with more distinct names than a bucket keeps: the rest is the "*" row.
        Instant minute = Instant.parse("2026-11-26T11:30:00Z");
        for (int i = 0; i < MetricBucket.MAX_EVENT_KEYS + 25; i++) {
            for (int k = 0; k <= i % 3; k++) {
                capped.add(
                        attempt(
                                wsCapped,
                                PAIR_A,
                                minute.plusMillis(i * 10L + k),
                                "track",
                                "event " + i,
                                k == 0 ? Outcome.DELIVERED : Outcome.DISCARDED));
            }
        }
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, capped));
        api.compactedThrough(0, Granularity.HOUR, HOURS_COMPACTED_THROUGH);
        api.compactedThrough(0, Granularity.DAY, DAYS_COMPACTED_THROUGH);
        api.completeThrough(0, Instant.parse("2026-11-26T11:59:00Z"));
        token = api.token(ws);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private static DeliveryAttempt attempt(
            String ws, String[] pair, Instant at, String type, String name, Outcome o) {
        AttemptBuilder b = AttemptBuilder.anAttempt().pair(ws, pair[0], pair[1]).at(at);
        b = b.eventType(type);
        if (name != null) {
            b = b.eventName(name);
        }
        return b.outcome(o);
    }

    private static Outcome outcome(Random rnd) {
        double u = rnd.nextDouble();
        return u < 0.70
                ? Outcome.DELIVERED
                : u < 0.82
                        ? Outcome.RETRYING
                        : u < 0.90
                                ? Outcome.DISCARDED
                                : u < 0.95 ? Outcome.EXPIRED : Outcome.FILTERED;
    }

    // ---- series

    @Test
    void shouldSplitMinuteSeriesByEventNameAsTheAttemptsSayAndSumToThePair() {
        Instant start = Instant.parse("2026-11-26T10:00:00Z");
        Instant end = Instant.parse("2026-11-26T12:00:00Z");
        String range = "?start=" + start + "&end=" + end;

        HttpResult r =
                api.get(TimeseriesITCase.timeseries(ws) + range + "&group_by=event_name", token);
        HttpResult all = api.get(TimeseriesITCase.timeseries(ws) + range, token);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("query").get("granularity").asText()).isEqualTo("minute");
        assertThat(r.json().get("query").get("group_by").asText()).isEqualTo("event_name");
        assertThat(r.json().get("query").get("metrics"))
                .extracting(JsonNode::asText)
                .containsExactly(
                        "successes", "retried", "discarded", "expired", "filtered", "success_rate");
        assertSeries(r.json(), attempts, start, end, Granularity.MINUTE, true, a -> true);
        assertSumsToThePair(r.json(), all.json());
        // The last minute is after complete_through, as on every other series.
        JsonNode points = r.json().get("series").get(0).get("points");
        assertThat(points.get(points.size() - 1).get("partial").asBoolean()).isTrue();
        assertThat(points.get(0).get("partial").asBoolean()).isFalse();
    }

    @Test
    void shouldServeHourSeriesByEventTypeFromHourRowsAndUncompactedMinutes() {
        Instant start = Instant.parse("2026-11-25T00:00:00Z");
        Instant end = Instant.parse("2026-11-26T12:00:00Z");
        String url =
                TimeseriesITCase.timeseries(ws)
                        + "?granularity=hour&start="
                        + start
                        + "&end="
                        + end;

        HttpResult r = api.get(url + "&group_by=event_type", token);
        HttpResult all = api.get(url, token);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("series")).hasSize(3);
        assertSeries(r.json(), attempts, start, end, Granularity.HOUR, false, a -> true);
        assertSumsToThePair(r.json(), all.json());
    }

    @Test
    void shouldServeDaySeriesByEventNameFromDayHourAndMinuteRows() {
        Instant start = Instant.parse("2026-11-24T00:00:00Z");
        Instant end = Instant.parse("2026-11-27T00:00:00Z");
        String url =
                TimeseriesITCase.timeseries(ws)
                        + "?granularity=day&start="
                        + start
                        + "&end="
                        + end
                        + "&source="
                        + PAIR_B[0];

        HttpResult r = api.get(url + "&group_by=event_name", token);
        HttpResult all = api.get(url, token);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertSeries(
                r.json(),
                attempts,
                start,
                end,
                Granularity.DAY,
                true,
                a -> a.sourceId().equals(PAIR_B[0]));
        assertSumsToThePair(r.json(), all.json());
    }

    @Test
    void shouldSplitOnePairsSeriesOnThePairShorthand() {
        Instant start = Instant.parse("2026-11-26T06:00:00Z");
        Instant end = Instant.parse("2026-11-26T12:00:00Z");
        String url =
                "/v1/workspaces/"
                        + ws
                        + "/sources/"
                        + PAIR_A[0]
                        + "/destinations/"
                        + PAIR_A[1]
                        + "/delivery-metrics?granularity=hour&start="
                        + start
                        + "&end="
                        + end;

        HttpResult r = api.get(url + "&group_by=event_name", token);
        HttpResult all = api.get(url, token);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertSeries(
                r.json(),
                attempts,
                start,
                end,
                Granularity.HOUR,
                true,
                a -> a.sourceId().equals(PAIR_A[0]));
        assertSumsToThePair(r.json(), all.json());
        assertThat(api.get(url + "&group_by=pair", token).status()).isEqualTo(400);
    }

    @Test
    void shouldPageThroughEventNamesWithCursorsThatCarryTheNamesExactly() {
        String range =
                "?start=2026-11-26T06:00:00Z&end=2026-11-26T12:00:00Z&group_by=event_name&limit=2";
        List<EventKey> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            HttpResult r =
                    api.get(
                            TimeseriesITCase.timeseries(ws)
                                    + range
                                    + (cursor == null ? "" : "&cursor=" + cursor),
                            token);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("series").size()).isBetween(1, 2);
            r.json().get("series").forEach(s -> seen.add(keyOf(s)));
            cursor =
                    r.json().get("next_cursor").isNull()
                            ? null
                            : r.json().get("next_cursor").asText();
            if (cursor == null) {
                break;
            }
            assertThat(cursor).matches("[A-Za-z0-9_-]+");
        }
        Set<EventKey> all = new HashSet<>();
        for (String[] e : EVENTS) {
            all.add(new EventKey(e[0], e[1]));
        }
        assertThat(seen).containsExactlyElementsOf(new java.util.TreeSet<>(all));
    }

    @Test
    void shouldMakeTheOtherRowASeriesOfItsOwnMarkedOther() {
        String capToken = api.token(wsCapped);
        String range = "?start=2026-11-26T11:00:00Z&end=2026-11-26T12:00:00Z";

        HttpResult byName =
                api.get(summary(wsCapped) + range + "&group_by=event_name&limit=1000", capToken);
        HttpResult byType =
                api.get(
                        TimeseriesITCase.timeseries(wsCapped) + range + "&group_by=event_type",
                        capToken);
        HttpResult pair = api.get(summary(wsCapped) + range, capToken);

        assertThat(byName.status()).as(byName.toString()).isEqualTo(200);
        JsonNode events = byName.json().get("events");
        assertThat(events).hasSize(MetricBucket.MAX_EVENT_KEYS + 1);
        JsonNode other = events.get(0);
        assertThat(other.get("event_type").asText()).isEqualTo(EventKey.OTHER_TYPE);
        assertThat(other.get("event_name").isNull()).isTrue();
        assertThat(other.get("other").asBoolean()).isTrue();
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).has("other")).isFalse();
        }
        for (String f : List.of("successes", "discarded")) {
            long sum = 0;
            for (JsonNode e : events) {
                sum += e.get(f).asLong();
            }
            assertThat(sum).as(f).isEqualTo(pair.json().get("pairs").get(0).get(f).asLong());
        }
        JsonNode typeSeries = byType.json().get("series");
        assertThat(typeSeries)
                .extracting(s -> s.get("event_type").asText())
                .containsExactly("*", "track");
        assertThat(typeSeries.get(0).get("other").asBoolean()).isTrue();
        assertThat(typeSeries.get(1).has("other")).isFalse();
        assertThat(typeSeries.get(1).has("event_name")).isFalse();
    }

    // ---- the previous comparable range

    @Test
    void shouldCompareEachEventWithThePreviousRangeOnTheSummary() {
        Instant start = Instant.parse("2026-11-26T11:00:00Z");
        Instant end = Instant.parse("2026-11-26T12:00:00Z");

        HttpResult r =
                api.get(
                        summary(ws)
                                + "?start="
                                + start
                                + "&end="
                                + end
                                + "&group_by=event_name&compare=previous",
                        token);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().has("pairs")).isFalse();
        assertThat(r.json().get("previous_range").get("start").asText())
                .isEqualTo("2026-11-26T10:00:00Z");
        assertThat(r.json().get("previous_range").get("end").asText()).isEqualTo(start.toString());
        Instant prevStart = Instant.parse("2026-11-26T10:00:00Z");
        Map<EventKey, long[]> now = totals(attempts, start, end, true, a -> true);
        Map<EventKey, long[]> before = totals(attempts, prevStart, start, true, a -> true);
        assertThat(r.json().get("events")).hasSize(now.size());
        for (JsonNode e : r.json().get("events")) {
            EventKey key = keyOf(e);
            assertCounters(e, now.get(key), key.toString());
            assertCounters(
                    e.get("previous"), before.getOrDefault(key, new long[5]), key + " before");
            assertChange(e, e.get("previous"), e.get("change"));
        }
    }

    @Test
    void shouldCompareEventTypesWithThePreviousRangeOnTheSameTierThroughTheUnion() {
        // Hours: the range from hour rows and uncompacted minutes, the previous one from hour rows.
        Instant start = Instant.parse("2026-11-25T12:00:00Z");
        Instant end = Instant.parse("2026-11-26T12:00:00Z");
        Instant prevStart = Instant.parse("2026-11-24T12:00:00Z");

        HttpResult series =
                api.get(
                        TimeseriesITCase.timeseries(ws)
                                + "?granularity=hour&start="
                                + start
                                + "&end="
                                + end
                                + "&group_by=event_type&compare=previous&metrics=successes,expired,success_rate",
                        token);
        HttpResult sum =
                api.get(
                        summary(ws)
                                + "?granularity=hour&start="
                                + start
                                + "&end="
                                + end
                                + "&compare=previous",
                        token);

        assertThat(series.status()).as(series.toString()).isEqualTo(200);
        assertThat(series.json().get("previous_range").get("start").asText())
                .isEqualTo(prevStart.toString());
        Map<EventKey, long[]> now = totals(attempts, start, end, false, a -> true);
        Map<EventKey, long[]> before = totals(attempts, prevStart, start, false, a -> true);
        for (JsonNode s : series.json().get("series")) {
            EventKey key = keyOf(s);
            long[] n = now.get(key);
            long[] b = before.get(key);
            assertThat(s.get("total").get("successes").asLong()).isEqualTo(n[0]);
            assertThat(s.get("total").get("expired").asLong()).isEqualTo(n[3]);
            assertThat(s.get("previous").get("successes").asLong()).isEqualTo(b[0]);
            assertThat(s.get("previous").get("expired").asLong()).isEqualTo(b[3]);
            assertThat(s.get("total").has("retried")).isFalse();
            assertChange(s.get("total"), s.get("previous"), s.get("change"));
            assertThat(s.get("change").get("success_rate").get("absolute").asDouble())
                    .isCloseTo(rate(n) - rate(b), within(1e-9));
        }
        // The summary by pair compares too: each pair with its previous range.
        assertThat(sum.status()).as(sum.toString()).isEqualTo(200);
        for (JsonNode p : sum.json().get("pairs")) {
            String src = p.get("source_id").asText();
            long[] n = sumOf(totals(attempts, start, end, false, a -> a.sourceId().equals(src)));
            long[] b =
                    sumOf(totals(attempts, prevStart, start, false, a -> a.sourceId().equals(src)));
            assertCounters(p, n, src);
            assertCounters(p.get("previous"), b, src + " before");
            assertChange(p, p.get("previous"), p.get("change"));
            assertThat(p.get("previous").has("latency_p95")).isTrue();
        }
    }

    // ---- errors and isolation

    @Test
    void shouldRefuseLatencyAndAttemptMetricsAndUnknownGroupingsNamingTheParameter() {
        String base = TimeseriesITCase.timeseries(ws) + "?group_by=event_type";

        HttpResult latency = api.get(base + "&metrics=successes,latency_p95", token);
        HttpResult attemptsMetric =
                api.get(summary(ws) + "?group_by=event_name&metrics=successes_by_attempt", token);
        HttpResult badGroup = api.get(TimeseriesITCase.timeseries(ws) + "?group_by=event", token);
        HttpResult compareWithoutEvents =
                api.get(TimeseriesITCase.timeseries(ws) + "?group_by=pair&compare=previous", token);

        assertThat(latency.status()).isEqualTo(400);
        assertThat(latency.contentType()).startsWith("application/problem+json");
        assertThat(invalidNames(latency)).containsExactly("metrics");
        assertThat(latency.json().get("invalid_params").get(0).get("reason").asText())
                .contains("latency_p95", "outcome counters");
        assertThat(invalidNames(attemptsMetric)).containsExactly("metrics");
        assertThat(invalidNames(badGroup)).containsExactly("group_by");
        assertThat(invalidNames(compareWithoutEvents)).containsExactly("compare");
    }

    @Test
    void shouldRefuseAnotherWorkspacesToken() {
        String other = api.token(wsOther);
        String pairUrl =
                "/v1/workspaces/"
                        + ws
                        + "/sources/"
                        + PAIR_A[0]
                        + "/destinations/"
                        + PAIR_A[1]
                        + "/delivery-metrics?group_by=event_name";

        for (String url :
                List.of(
                        TimeseriesITCase.timeseries(ws) + "?group_by=event_name",
                        pairUrl,
                        summary(ws) + "?group_by=event_type&compare=previous")) {
            HttpResult r = api.get(url, other);
            assertThat(r.status()).as(url).isEqualTo(403);
            assertThat(r.raw().body()).doesNotContain("Order");
        }
    }

    // ---- expectations, computed from the attempts alone

    private static String summary(String ws) {
        return "/v1/workspaces/" + ws + "/delivery-metrics/summary";
    }

    private static List<String> invalidNames(HttpResult r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        List<String> names = new ArrayList<>();
        r.json().get("invalid_params").forEach(p -> names.add(p.get("name").asText()));
        return names;
    }

    private static EventKey keyOf(JsonNode s) {
        JsonNode name = s.get("event_name");
        return new EventKey(
                s.get("event_type").asText(), name == null || name.isNull() ? null : name.asText());
    }

    private static int index(Outcome o) {
        return switch (o) {
            case DELIVERED -> 0;
            case RETRYING -> 1;
            case DISCARDED -> 2;
            case EXPIRED -> 3;
            case FILTERED -> 4;
        };
    }

    private static EventKey eventOf(DeliveryAttempt a, boolean byName) {
        String type = a.eventType() == null ? "unknown" : a.eventType();
        return new EventKey(type, byName ? a.eventName() : null);
    }

    /** Outcome counters per event over [from, to). */
    private static Map<EventKey, long[]> totals(
            List<DeliveryAttempt> as,
            Instant from,
            Instant to,
            boolean byName,
            Predicate<DeliveryAttempt> filter) {
        Map<EventKey, long[]> out = new TreeMap<>();
        for (DeliveryAttempt a : Attempts.select(as, from, to, filter)) {
            out.computeIfAbsent(eventOf(a, byName), k -> new long[5])[index(a.outcome())]++;
        }
        return out;
    }

    private static long[] sumOf(Map<EventKey, long[]> m) {
        long[] s = new long[5];
        for (long[] c : m.values()) {
            for (int i = 0; i < 5; i++) {
                s[i] += c[i];
            }
        }
        return s;
    }

    private static double rate(long[] c) {
        long terminal = c[0] + c[2] + c[3];
        return terminal == 0 ? Double.NaN : (double) c[0] / terminal;
    }

    private static void assertCounters(JsonNode p, long[] c, String what) {
        String[] names = {"successes", "retried", "discarded", "expired", "filtered"};
        for (int i = 0; i < 5; i++) {
            assertThat(p.get(names[i]).asLong()).as(what + " " + names[i]).isEqualTo(c[i]);
        }
        if (c[0] + c[2] + c[3] == 0) {
            assertThat(p.get("success_rate").isNull()).as(what + " success_rate").isTrue();
        } else {
            assertThat(p.get("success_rate").asDouble())
                    .as(what + " success_rate")
                    .isCloseTo(rate(c), within(1e-12));
        }
    }

    /** Each metric's change is current − previous, and relative to previous unless it is 0. */
    private static void assertChange(JsonNode current, JsonNode previous, JsonNode change) {
        change.fields()
                .forEachRemaining(
                        e -> {
                            JsonNode c = current.get(e.getKey());
                            JsonNode p = previous.get(e.getKey());
                            JsonNode abs = e.getValue().get("absolute");
                            JsonNode rel = e.getValue().get("relative");
                            if (c.isNull() || p.isNull()) {
                                assertThat(abs.isNull()).isTrue();
                                assertThat(rel.isNull()).isTrue();
                                return;
                            }
                            assertThat(abs.asDouble())
                                    .as(e.getKey())
                                    .isCloseTo(c.asDouble() - p.asDouble(), within(1e-9));
                            if (p.asDouble() == 0) {
                                assertThat(rel.isNull()).as(e.getKey()).isTrue();
                            } else {
                                assertThat(rel.asDouble())
                                        .as(e.getKey())
                                        .isCloseTo(
                                                (c.asDouble() - p.asDouble()) / p.asDouble(),
                                                within(1e-9));
                            }
                        });
    }

    /** Every series, every point: the counters of its event in its bucket, from the attempts. */
    private static void assertSeries(
            JsonNode body,
            List<DeliveryAttempt> as,
            Instant start,
            Instant end,
            Granularity g,
            boolean byName,
            Predicate<DeliveryAttempt> filter) {
        Map<EventKey, Map<Instant, long[]>> expected = new TreeMap<>();
        for (DeliveryAttempt a : Attempts.select(as, start, end, filter)) {
            expected.computeIfAbsent(eventOf(a, byName), k -> new TreeMap<>())
                    .computeIfAbsent(g.floor(a.completedAt()), k -> new long[5])[
                    index(a.outcome())]++;
        }
        JsonNode series = body.get("series");
        List<EventKey> keys = new ArrayList<>();
        series.forEach(s -> keys.add(keyOf(s)));
        assertThat(keys).containsExactlyElementsOf(expected.keySet());
        Duration size = g.size();
        for (JsonNode s : series) {
            EventKey key = keyOf(s);
            assertThat(s.has("event_name")).isEqualTo(byName);
            assertThat(s.has("source_id")).isFalse();
            JsonNode points = s.get("points");
            assertThat(points.size())
                    .isEqualTo((int) (Duration.between(start, end).toMillis() / size.toMillis()));
            for (int i = 0; i < points.size(); i++) {
                Instant bucket = start.plus(size.multipliedBy(i));
                assertThat(points.get(i).get("start").asText()).isEqualTo(bucket.toString());
                assertCounters(
                        points.get(i),
                        expected.get(key).getOrDefault(bucket, new long[5]),
                        key + " at " + bucket);
            }
        }
    }

    /** The event series of each bucket add up to the unsplit series' counters. */
    private static void assertSumsToThePair(JsonNode byEvent, JsonNode all) {
        JsonNode total = all.get("series").get(0).get("points");
        for (String f : List.of("successes", "retried", "discarded", "expired", "filtered")) {
            for (int i = 0; i < total.size(); i++) {
                long sum = 0;
                for (JsonNode s : byEvent.get("series")) {
                    sum += s.get("points").get(i).get(f).asLong();
                }
                assertThat(sum).as(f + " at " + i).isEqualTo(total.get(i).get(f).asLong());
            }
        }
    }
}
