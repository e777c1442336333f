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
}
