package io.deliverymetrics.api;

import static io.deliverymetrics.api.TimeseriesITCase.timeseries;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hour and day series union compacted rows with rows computed on the fly from finer tiers for the
 * buckets compaction has not produced yet. Shard 0's compaction has reached 09:00 on 26 Nov for
 * hours and 25 Nov for days.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealtimeUnionITCase {

    private static final Instant HOURS_COMPACTED_THROUGH = Instant.parse("2026-11-26T09:00:00Z");
    private static final Instant DAYS_COMPACTED_THROUGH = Instant.parse("2026-11-25T00:00:00Z");

    private final TestDeployment api;

    RealtimeUnionITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api = TestDeployment.start(db, names, observed, Map.of());
    }

    @BeforeEach
    void compactionProgress() {
        api.compactedThrough(0, Granularity.HOUR, HOURS_COMPACTED_THROUGH);
        api.compactedThrough(0, Granularity.DAY, DAYS_COMPACTED_THROUGH);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldAnswerAnHourQueryAcrossCompactedAndUncompactedHoursAsIfComputedFromMinuteRowsOnly() {
        String ws = api.workspaceOnShard(0);
        Instant start = Instant.parse("2026-11-26T06:00:00Z");
        Instant end = Instant.parse("2026-11-26T12:00:00Z");
        List<DeliveryAttempt> attempts = twoPairs(ws, start, end, 21);
        // What the pipeline and compaction would have stored: every minute, and the hours before
        // compacted_through.
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        api.write(
                Granularity.HOUR,
                Attempts.rows(
                        Granularity.HOUR,
                        select(attempts, start, HOURS_COMPACTED_THROUGH, a -> true)));
        String url = timeseries(ws) + "?granularity=hour&start=" + start + "&end=" + end;
        String token = api.token(ws);

        HttpResult union = api.get(url, token);
        api.clearCompactedThrough(0, Granularity.HOUR);
        HttpResult minuteRowsOnly = api.get(url, token);

        assertThat(union.status()).as(union.toString()).isEqualTo(200);
        assertThat(union.json().get("series")).isEqualTo(minuteRowsOnly.json().get("series"));
        assertPerBucket(union.json(), attempts, start, Duration.ofHours(1), 6);
    }

    @Test
    void shouldReadCompactedHoursFromHourRowsAndTheRestFromMinuteRows() {
        String ws = api.workspaceOnShard(0);
        Instant start = Instant.parse("2026-11-26T06:00:00Z");
        Instant end = Instant.parse("2026-11-26T12:00:00Z");
        List<DeliveryAttempt> attempts = twoPairs(ws, start, end, 22);
        // Each part exists in one tier only, so the answer is right only if both are read.
        api.write(
                Granularity.HOUR,
                Attempts.rows(
                        Granularity.HOUR,
                        select(attempts, start, HOURS_COMPACTED_THROUGH, a -> true)));
        api.write(
                Granularity.MINUTE,
                Attempts.rows(
                        Granularity.MINUTE,
                        select(attempts, HOURS_COMPACTED_THROUGH, end, a -> true)));

        HttpResult r =
                api.get(
                        timeseries(ws)
                                + "?granularity=hour&group_by=pair&start="
                                + start
                                + "&end="
                                + end,
                        api.token(ws));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode series = r.json().get("series");
        assertThat(series).hasSize(2);
        for (JsonNode s : series) {
            String src = s.get("source_id").asText();
            for (int i = 0; i < 6; i++) {
                Instant h = start.plus(Duration.ofHours(i));
                Expected.of(
                                select(
                                        attempts,
                                        h,
                                        h.plus(Duration.ofHours(1)),
                                        a -> a.sourceId().equals(src)))
                        .assertMatches(s.get("points").get(i));
            }
        }
    }

    @Test
    void shouldNotCountMinutesTwiceWhenTheirHourIsAlreadyCompacted() {
        String ws = api.workspaceOnShard(0);
        Instant start = Instant.parse("2026-11-23T00:00:00Z");
        Instant end = Instant.parse("2026-11-26T12:00:00Z");
        List<DeliveryAttempt> attempts = twoPairs(ws, start, end, 23);
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        api.write(
                Granularity.HOUR,
                Attempts.rows(
                        Granularity.HOUR,
                        select(attempts, start, HOURS_COMPACTED_THROUGH, a -> true)));
        api.write(
                Granularity.DAY,
                Attempts.rows(
                        Granularity.DAY,
                        select(attempts, start, DAYS_COMPACTED_THROUGH, a -> true)));

        HttpResult r =
                api.get(
                        timeseries(ws) + "?granularity=day&start=" + start + "&end=" + end,
                        api.token(ws));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("query").get("end").asText()).isEqualTo("2026-11-27T00:00:00Z");
        assertPerBucket(r.json(), attempts, start, Duration.ofDays(1), 4);
    }

    @Test
    void shouldBuildDaysFromDayRowsThenHourRowsThenMinuteRows() {
        String ws = api.workspaceOnShard(0);
        Instant start = Instant.parse("2026-11-23T00:00:00Z");
        Instant end = Instant.parse("2026-11-26T12:00:00Z");
        List<DeliveryAttempt> attempts = twoPairs(ws, start, end, 24);
        api.write(
                Granularity.DAY,
                Attempts.rows(
                        Granularity.DAY,
                        select(attempts, start, DAYS_COMPACTED_THROUGH, a -> true)));
        api.write(
                Granularity.HOUR,
                Attempts.rows(
                        Granularity.HOUR,
                        select(
                                attempts,
                                DAYS_COMPACTED_THROUGH,
                                HOURS_COMPACTED_THROUGH,
                                a -> true)));
        api.write(
                Granularity.MINUTE,
                Attempts.rows(
                        Granularity.MINUTE,
                        select(attempts, HOURS_COMPACTED_THROUGH, end, a -> true)));

        HttpResult r =
                api.get(
                        timeseries(ws) + "?granularity=day&start=" + start + "&end=" + end,
                        api.token(ws));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertPerBucket(r.json(), attempts, start, Duration.ofDays(1), 4);
    }

    private static List<DeliveryAttempt> twoPairs(
            String ws, Instant start, Instant end, long seed) {
        Random rnd = new Random(seed);
        List<DeliveryAttempt> attempts = new ArrayList<>();
        attempts.addAll(
                Attempts.generate(rnd, new PairKey(ws, "src_a", "dst_x"), start, end, 1500));
        attempts.addAll(
                Attempts.generate(rnd, new PairKey(ws, "src_b", "dst_x"), start, end, 1500));
        return attempts;
    }

    private static void assertPerBucket(
            JsonNode body,
            List<DeliveryAttempt> attempts,
            Instant start,
            Duration size,
            int buckets) {
        JsonNode points = body.get("series").get(0).get("points");
        assertThat(points).hasSize(buckets);
        for (int i = 0; i < buckets; i++) {
            Instant b = start.plus(size.multipliedBy(i));
            assertThat(points.get(i).get("start").asText()).isEqualTo(b.toString());
            Expected.of(select(attempts, b, b.plus(size), a -> true)).assertMatches(points.get(i));
        }
    }
}
