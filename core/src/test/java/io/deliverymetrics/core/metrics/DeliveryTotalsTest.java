package io.deliverymetrics.core.metrics;

import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeliveryTotalsTest {

    private static final double[] BOUNDS = DeliveryTotals.LATENCY_BOUNDS_MS;

    /**
     * Latencies at least 3 % away from every bound, so the sketch cannot put them on the wrong
     * side.
     */
    private static long latencyAwayFromBounds(Random rnd) {
        while (true) {
            long ms = (long) Math.exp(rnd.nextDouble() * Math.log(400_000));
            boolean clear = true;
            for (double b : BOUNDS) {
                clear &= Math.abs(ms - b) > 0.03 * b;
            }
            if (clear) {
                return ms;
            }
        }
    }

    private static List<List<DeliveryAttempt>> minutes(Random rnd, int count) {
        Outcome[] outcomes = Outcome.values();
        List<List<DeliveryAttempt>> out = new ArrayList<>();
        for (int m = 0; m < count; m++) {
            List<DeliveryAttempt> minute = new ArrayList<>();
            int n = rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                Outcome o = outcomes[rnd.nextInt(outcomes.length)];
                minute.add(
                        anAttempt()
                                .event("e" + m + "_" + i)
                                .latencyMs(latencyAwayFromBounds(rnd))
                                .errorCode("http_500")
                                .build(o));
            }
            out.add(minute);
        }
        return out;
    }

    private static MetricBucket bucketOf(List<DeliveryAttempt> attempts) {
        MetricBucket b = new MetricBucket();
        attempts.forEach(b::add);
        return b;
    }

    @Test
    void shouldAddUpFinalMinutesToTheCountsAndHistogramOfTheirAttempts() {
        Random rnd = new Random(17);
        List<List<DeliveryAttempt>> minutes = minutes(rnd, 40);

        DeliveryTotals totals = DeliveryTotals.ZERO;
        for (List<DeliveryAttempt> minute : minutes) {
            totals = totals.plus(bucketOf(minute));
        }

        long[] count = new long[Outcome.values().length];
        long latencyCount = 0;
        long latencySum = 0;
        long[] atMost = new long[BOUNDS.length];
        for (List<DeliveryAttempt> minute : minutes) {
            for (DeliveryAttempt a : minute) {
                count[a.outcome().ordinal()]++;
                if (a.outcome() == Outcome.DELIVERED) {
                    long ms = a.completedAt().toEpochMilli() - a.receivedAt().toEpochMilli();
                    latencyCount++;
                    latencySum += ms;
                    for (int i = 0; i < BOUNDS.length; i++) {
                        if (ms <= BOUNDS[i]) {
                            atMost[i]++;
                        }
                    }
                }
            }
        }
        assertThat(totals.successes()).isEqualTo(count[Outcome.DELIVERED.ordinal()]);
        assertThat(totals.retried()).isEqualTo(count[Outcome.RETRYING.ordinal()]);
        assertThat(totals.discarded()).isEqualTo(count[Outcome.DISCARDED.ordinal()]);
        assertThat(totals.expired()).isEqualTo(count[Outcome.EXPIRED.ordinal()]);
        assertThat(totals.filtered()).isEqualTo(count[Outcome.FILTERED.ordinal()]);
        assertThat(totals.latencyCount()).isEqualTo(latencyCount);
        assertThat(totals.latencySumMs()).isEqualTo(latencySum);
        assertThat(totals.latencyAtMost()).containsExactly(atMost);
        assertThat(latencyCount).isPositive();
    }

    @Test
    void shouldGiveTheSameTotalsWhetherMinutesAreAddedOneByOneOrMergedFirst() {
        Random rnd = new Random(5);
        List<List<DeliveryAttempt>> minutes = minutes(rnd, 30);

        DeliveryTotals oneByOne = DeliveryTotals.ZERO;
        MetricBucket merged = new MetricBucket();
        for (List<DeliveryAttempt> minute : minutes) {
            oneByOne = oneByOne.plus(bucketOf(minute));
            merged.merge(bucketOf(minute));
        }

        assertThat(oneByOne).isEqualTo(DeliveryTotals.ZERO.plus(merged));
    }

    @Test
    void shouldCountLatenciesByTheValueOfTheirSketchBinWithinOnePercentOfABound() {
        MetricBucket b = new MetricBucket();
        b.add(anAttempt().event("a").latencyMs(0).delivered());
        b.add(anAttempt().event("b").latencyMs(9).delivered());
        b.add(anAttempt().event("c").latencyMs(11).delivered());
        b.add(anAttempt().event("d").latencyMs(400_000).delivered());
        b.add(anAttempt().event("e").latencyMs(10).delivered());

        long[] le = b.latencyCountsAtMost(new double[] {10, 100, 300_000});

        // 0 and 9 are below 10 ms; 10 ms itself lies within the bound's 1 % and may go either way.
        assertThat(le[0]).isBetween(2L, 3L);
        assertThat(le[1]).isEqualTo(4);
        assertThat(le[2]).isEqualTo(4);
        assertThat(b.latencyCount()).isEqualTo(5);
    }

    @Test
    void shouldRoundTripThroughItsArrayFormAndNeverShareItsHistogram() {
        DeliveryTotals t =
                DeliveryTotals.ZERO.plus(
                        bucketOf(
                                List.of(
                                        anAttempt().event("a").latencyMs(40).delivered(),
                                        anAttempt().event("b").errorCode("x").discarded())));

        long[] le = t.latencyAtMost();
        le[0] = 99;

        assertThat(DeliveryTotals.fromArray(t.toArray())).isEqualTo(t);
        assertThat(t.latencyAtMost()[0]).isZero();
        assertThat(t.latencyAtMost()[2]).isEqualTo(1);
        assertThatThrownBy(() -> new DeliveryTotals(0, 0, 0, 0, 0, 0, 0, new long[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
