package io.deliverymetrics.api.model;

import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SeriesPointsTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private final ObjectMapper mapper = new ObjectMapper();

    @Provide
    Arbitrary<List<Metric>> metricLists() {
        return Arbitraries.of(Metric.class).list().ofMinSize(1).ofMaxSize(16);
    }

    @Property(tries = 100)
    void shouldWriteTheSameJsonAsItsPointsMaps(
            @ForAll("metricLists") List<Metric> metrics,
            @ForAll @IntRange(min = 0, max = 40) int points,
            @ForAll @IntRange(min = -1, max = 41) int completeBuckets,
            @ForAll Random random)
            throws Exception {
        MetricBucket[] slots = new MetricBucket[points];
        for (int i = 0; i < points; i++) {
            if (random.nextInt(4) > 0) {
                slots[i] = randomBucket(random);
            }
        }
        Instant completeThrough =
                completeBuckets < 0 ? null : START.plus(MINUTE.multipliedBy(completeBuckets));
        SeriesPoints series =
                new SeriesPoints(
                        slots, START, MINUTE, completeThrough, new MetricValues(metrics), n -> {});

        List<Map<String, Object>> maps = new ArrayList<>(series);

        assertThat(mapper.writeValueAsString(series)).isEqualTo(mapper.writeValueAsString(maps));
        for (int i = 0; i < points; i++) {
            Map<String, Object> p = maps.get(i);
            assertThat(p.get("start")).isEqualTo(START.plus(MINUTE.multipliedBy(i)).toString());
            assertThat(p.get("partial")).isEqualTo(completeThrough == null || i >= completeBuckets);
            for (Metric m : metrics) {
                Object expected = m.valueOf(slots[i] == null ? new MetricBucket() : slots[i]);
                if (expected instanceof long[] a) {
                    assertThat((long[]) p.get(m.wireName())).containsExactly(a);
                } else {
                    assertThat(p.get(m.wireName())).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void shouldReportEveryWrittenPointInChunks() throws Exception {
        int points = 2 * SeriesPoints.CHUNK + 5;
        List<Long> reports = new ArrayList<>();
        SeriesPoints series =
                new SeriesPoints(
                        new MetricBucket[points],
                        START,
                        MINUTE,
                        null,
                        new MetricValues(List.of(Metric.SUCCESSES)),
                        reports::add);

        mapper.writeValueAsBytes(series);

        assertThat(reports)
                .containsExactly((long) SeriesPoints.CHUNK, (long) SeriesPoints.CHUNK, 5L);
    }

    @Test
    void shouldReportNothingWhenReadAsAList() {
        List<Long> reports = new ArrayList<>();
        SeriesPoints series =
                new SeriesPoints(
                        new MetricBucket[3],
                        START,
                        MINUTE,
                        null,
                        new MetricValues(List.of(Metric.SUCCESSES)),
                        reports::add);

        assertThat(series).hasSize(3).allSatisfy(p -> assertThat(p.get("successes")).isEqualTo(0L));
        assertThat(reports).isEmpty();
    }

    private static MetricBucket randomBucket(Random random) {
        MetricBucket b = new MetricBucket();
        int n = random.nextInt(50);
        for (int i = 0; i < n; i++) {
            Outcome o = Outcome.values()[random.nextInt(Outcome.values().length)];
            long ms = (long) Math.pow(10, random.nextDouble() * 5);
            b.add(anAttempt().attempt(1 + random.nextInt(6)).latencyMs(ms).outcome(o));
        }
        return b;
    }
}
