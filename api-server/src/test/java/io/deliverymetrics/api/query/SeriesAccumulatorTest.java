package io.deliverymetrics.api.query;

import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.model.GroupBy;
import io.deliverymetrics.api.model.SeriesKey;
import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SeriesAccumulatorTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final Resolution TWO_HOURS =
            new Resolution(Granularity.HOUR, START, START.plusSeconds(7200), 2);

    @Test
    void shouldRollMinuteRowsUpIntoTheirHourExactly() {
        List<DeliveryAttempt> attempts =
                Attempts.generate(
                        new Random(1),
                        new PairKey("ws", "s", "d"),
                        START,
                        START.plusSeconds(3600),
                        500);
        SeriesAccumulator acc =
                new SeriesAccumulator(TWO_HOURS, false, GroupBy.NONE, Optional.empty(), 10);

        Attempts.rows(Granularity.MINUTE, attempts).forEach(acc::accept);

        MetricBucket direct = new MetricBucket();
        attempts.forEach(direct::add);
        MetricBucket[] slots = acc.page().get(0).getValue();
        assertThat(slots[0]).isEqualTo(direct);
        assertThat(slots[1]).isNull();
    }

    @Test
    void shouldKeepTheAggregatedSeriesEvenWithoutRows() {
        SeriesAccumulator acc =
                new SeriesAccumulator(TWO_HOURS, false, GroupBy.NONE, Optional.empty(), 1);

        assertThat(acc.page()).hasSize(1);
        assertThat(acc.page().get(0).getKey()).isEqualTo(SeriesKey.ALL);
        assertThat(acc.hasMore()).isFalse();
    }

    @Test
    void shouldPageExactlyWhateverOrderTheSeriesArriveIn() {
        Random rnd = new Random(7);
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sources.add(String.format("src_%02d", i));
        }
        for (int round = 0; round < 50; round++) {
            // Rows arrive in several ordered segments, as the read plan streams them.
            List<PairBucket> rows = new ArrayList<>();
            for (int segment = 0; segment < 3; segment++) {
                List<String> some = new ArrayList<>(sources);
                Collections.shuffle(some, rnd);
                some = some.subList(0, 10 + rnd.nextInt(30));
                Collections.sort(some);
                for (String s : some) {
                    rows.add(row(s, START.plusSeconds(60L * segment)));
                }
            }
            TreeSet<String> all = new TreeSet<>();
            rows.forEach(r -> all.add(r.pair().sourceId()));
            int limit = 1 + rnd.nextInt(12);

            List<String> paged = new ArrayList<>();
            Optional<SeriesKey> after = Optional.empty();
            do {
                SeriesAccumulator acc =
                        new SeriesAccumulator(TWO_HOURS, true, GroupBy.SOURCE, after, limit);
                rows.forEach(acc::accept);
                List<Map.Entry<SeriesKey, MetricBucket[]>> page = acc.page();
                assertThat(page.size()).isLessThanOrEqualTo(limit);
                for (Map.Entry<SeriesKey, MetricBucket[]> e : page) {
                    paged.add(e.getKey().sourceId());
                    long expected =
                            rows.stream()
                                    .filter(r -> r.pair().sourceId().equals(e.getKey().sourceId()))
                                    .count();
                    assertThat(e.getValue()[0].successes()).isEqualTo(expected);
                }
                after = acc.nextCursor().map(c -> Cursor.decode(GroupBy.SOURCE, c).orElseThrow());
            } while (after.isPresent());

            assertThat(paged).containsExactlyElementsOf(all);
        }
    }

    private static PairBucket row(String source, Instant at) {
        return new PairBucket(
                new PairKey("ws", source, "dst"),
                at,
                new MetricBucket().add(anAttempt().pair("ws", source, "dst").at(at).delivered()));
    }

    private static PairBucket eventRow(String src, Instant at, String type, String name, int n) {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < n; i++) {
            var a = anAttempt().pair("ws", src, "d").at(at).eventType(type);
            b.add((name == null ? a : a.eventName(name)).delivered());
        }
        b.add(anAttempt().pair("ws", src, "d").at(at).eventType(type).discarded());
        return new PairBucket(new PairKey("ws", src, "d"), at, b);
    }

    @Test
    void shouldKeyEventSeriesByTypeOrByTypeAndNameAcrossPairs() {
        List<PairBucket> rows =
                List.of(
                        eventRow("s1", START, "track", "Order \"Completed\"", 2),
                        eventRow("s2", START.plusSeconds(60), "track", "Order \"Completed\"", 3),
                        eventRow("s2", START.plusSeconds(3600), "page", null, 1));
        SeriesAccumulator byType =
                new SeriesAccumulator(TWO_HOURS, false, GroupBy.EVENT_TYPE, Optional.empty(), 10);
        SeriesAccumulator byName =
                new SeriesAccumulator(TWO_HOURS, true, GroupBy.EVENT_NAME, Optional.empty(), 10);

        rows.forEach(byType::accept);
        rows.forEach(byName::accept);

        assertThat(byType.page())
                .extracting(Map.Entry::getKey)
                .containsExactly(SeriesKey.ofEvent("page", null), SeriesKey.ofEvent("track", null));
        MetricBucket[] track = byType.page().get(1).getValue();
        assertThat(track[0].successes()).isEqualTo(5);
        assertThat(track[0].discarded()).isEqualTo(2);
        assertThat(track[0].latencyCount()).isZero();
        assertThat(track[1]).isNull();
        // No name, the named events, and the discarded attempts without a name of each row.
        assertThat(byName.page())
                .extracting(Map.Entry::getKey)
                .containsExactly(
                        SeriesKey.ofEvent("page", null),
                        SeriesKey.ofEvent("track", null),
                        SeriesKey.ofEvent("track", "Order \"Completed\""));
        assertThat(byName.page().get(2).getValue()[0].successes()).isEqualTo(5);
    }

    @Test
    void shouldReadOnlyTheGivenSeriesForThePreviousRangeEvenWithoutRows() {
        SeriesKey track = SeriesKey.ofEvent("track", null);
        SeriesKey absent = SeriesKey.ofEvent("screen", null);
        SeriesAccumulator acc =
                new SeriesAccumulator(
                        TWO_HOURS,
                        true,
                        GroupBy.EVENT_TYPE,
                        Optional.empty(),
                        1,
                        java.util.Set.of(track, absent));

        acc.accept(eventRow("s1", START, "track", "a", 2));
        acc.accept(eventRow("s1", START, "page", "b", 4));

        assertThat(acc.page()).extracting(Map.Entry::getKey).containsExactly(absent, track);
        assertThat(acc.page().get(0).getValue()[0]).isNull();
        assertThat(acc.page().get(1).getValue()[0].successes()).isEqualTo(2);
        assertThat(acc.hasMore()).isFalse();
    }

    @Test
    void shouldMarkTheOtherEventRowAsItsOwnSeries() {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i <= MetricBucket.MAX_EVENT_KEYS; i++) {
            b.add(
                    anAttempt()
                            .pair("ws", "s", "d")
                            .at(START)
                            .eventType("track")
                            .eventName("e" + i)
                            .delivered());
        }
        SeriesAccumulator acc =
                new SeriesAccumulator(TWO_HOURS, true, GroupBy.EVENT_TYPE, Optional.empty(), 10);

        acc.accept(new PairBucket(new PairKey("ws", "s", "d"), START, b));

        assertThat(acc.page()).extracting(e -> e.getKey().isOther()).containsExactly(true, false);
        long sum = acc.page().stream().mapToLong(e -> e.getValue()[0].successes()).sum();
        assertThat(sum).isEqualTo(MetricBucket.MAX_EVENT_KEYS + 1);
    }
}
