package io.deliverymetrics.core.metrics;

import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricBucketTest {

    @Test
    void shouldStartEmptyWithUndefinedRatesAndLatencies() {
        MetricBucket b = new MetricBucket();

        assertThat(b.isEmpty()).isTrue();
        assertThat(b.successRate()).isNaN();
        assertThat(b.latencyAvgMs()).isNaN();
        assertThat(b.latencyQuantileMs(0.5)).isNaN();
        assertThat(b.successesByAttempt()).containsOnly(0L).hasSize(10);
        assertThat(b.errors()).isEmpty();
    }

    @Test
    void shouldCountEveryRetryingAttemptOfTheSameEvent() {
        MetricBucket b = new MetricBucket();
        for (int attempt = 1; attempt <= 3; attempt++) {
            b.add(anAttempt().event("msg_1").attempt(attempt).errorCode("http_503").retrying());
        }

        assertThat(b.retried()).isEqualTo(3);
        assertThat(b.successes()).isZero();
        assertThat(b.errors()).containsExactly(Map.entry(key(Outcome.RETRYING, "http_503"), 3L));
    }

    @Test
    void shouldCountEachTerminalOutcomeOncePerEvent() {
        MetricBucket b = new MetricBucket();
        b.add(anAttempt().event("e1").delivered());
        b.add(anAttempt().event("e2").delivered());
        b.add(anAttempt().event("e3").errorCode("bad_request").discarded());
        b.add(anAttempt().event("e4").errorCode("timeout").expired());
        b.add(anAttempt().event("e5").expired());
        b.add(anAttempt().event("e6").filtered());

        assertThat(b.successes()).isEqualTo(2);
        assertThat(b.discarded()).isEqualTo(1);
        assertThat(b.expired()).isEqualTo(2);
        assertThat(b.filtered()).isEqualTo(1);
        assertThat(b.retried()).isZero();
        assertThat(b.isEmpty()).isFalse();
    }

    @Test
    void shouldRecordLatencyForDeliveredAttemptsOnly() {
        MetricBucket b = new MetricBucket();
        b.add(anAttempt().latencyMs(200).delivered());
        b.add(anAttempt().latencyMs(600).delivered());
        b.add(anAttempt().latencyMs(99_999).discarded());
        b.add(anAttempt().latencyMs(88_888).expired());
        b.add(anAttempt().latencyMs(77_777).retrying());
        b.add(anAttempt().latencyMs(66_666).filtered());

        assertThat(b.latencyCount()).isEqualTo(2);
        assertThat(b.latencySumMs()).isEqualTo(800);
        assertThat(b.latencyMaxMs()).isEqualTo(600);
        assertThat(b.latencyAvgMs()).isEqualTo(400.0);
    }

    @Test
    void shouldCountSuccessesByAttemptWithTenAndAboveInTheLastSlot() {
        MetricBucket b = new MetricBucket();
        int[] attempts = {1, 1, 2, 9, 10, 11, 57, 1_000_000};
        for (int a : attempts) {
            b.add(anAttempt().attempt(a).delivered());
        }

        assertThat(b.successesOnAttempt(1)).isEqualTo(2);
        assertThat(b.successesOnAttempt(2)).isEqualTo(1);
        assertThat(b.successesOnAttempt(3)).isZero();
        assertThat(b.successesOnAttempt(9)).isEqualTo(1);
        assertThat(b.successesOnAttempt(10)).isEqualTo(4);
        assertThat(b.successesByAttempt()).containsExactly(2, 1, 0, 0, 0, 0, 0, 0, 1, 4);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 11})
    void shouldRejectAnAttemptSlotOutsideOneToTen(int slot) {
        MetricBucket b = new MetricBucket();

        assertThatThrownBy(() -> b.successesOnAttempt(slot))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attempt must be in 1..10, was " + slot);
    }

    @Test
    void shouldReturnACopyOfTheAttemptHistogram() {
        MetricBucket b = new MetricBucket().add(anAttempt().attempt(1).delivered());

        b.successesByAttempt()[0] = 99;

        assertThat(b.successesOnAttempt(1)).isEqualTo(1);
    }

    @Test
    void shouldCountAFailureWithoutCodeAsUnknown() {
        MetricBucket b = new MetricBucket();
        b.add(anAttempt().retrying());
        b.add(anAttempt().discarded());
        b.add(anAttempt().expired());
        b.add(anAttempt().expired());

        assertThat(b.errors())
                .containsExactly(
                        Map.entry(key(Outcome.RETRYING, ErrorKey.UNKNOWN), 1L),
                        Map.entry(key(Outcome.DISCARDED, ErrorKey.UNKNOWN), 1L),
                        Map.entry(key(Outcome.EXPIRED, ErrorKey.UNKNOWN), 2L));
    }

    @Test
    void shouldKeepNoErrorRowsForDeliveredOrFiltered() {
        MetricBucket b = new MetricBucket();
        b.add(anAttempt().errorCode("slow_ack").delivered());
        b.add(anAttempt().errorCode("rule_7").filtered());

        assertThat(b.errors()).isEmpty();
    }

    @Test
    void shouldExposeErrorsReadOnly() {
        MetricBucket b = new MetricBucket().add(anAttempt().retrying());

        assertThatThrownBy(() -> b.errors().put(key(Outcome.EXPIRED, "x"), 1L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldComputeSuccessRateOverTerminalDeliveriesOnly() {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < 3; i++) {
            b.add(anAttempt().delivered());
        }
        b.add(anAttempt().discarded());
        for (int i = 0; i < 5; i++) {
            b.add(anAttempt().retrying());
            b.add(anAttempt().filtered());
        }

        // 3 successes / (3 + 1 discarded + 0 expired); retrying and filtered do not count
        assertThat(b.successRate()).isEqualTo(0.75);

        b.add(anAttempt().expired());
        assertThat(b.successRate()).isEqualTo(0.6);
    }

    @Test
    void shouldLeaveSuccessRateUndefinedWithOnlyRetriesAndFilteredEvents() {
        MetricBucket b = new MetricBucket();
        b.add(anAttempt().retrying());
        b.add(anAttempt().filtered());

        assertThat(b.successRate()).isNaN();
        assertThat(b.latencyAvgMs()).isNaN();
        assertThat(b.latencyQuantileMs(0.99)).isNaN();
        assertThat(b.latencyQuantilesMs(0.5, 0.99)).containsExactly(Double.NaN, Double.NaN);
    }

    @Test
    void shouldGiveZeroSuccessRateWhenEveryEventFailed() {
        MetricBucket b = new MetricBucket().add(anAttempt().discarded());

        assertThat(b.successRate()).isZero();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01, Double.NaN})
    void shouldRejectAQuantileOutsideZeroToOne(double q) {
        MetricBucket b = new MetricBucket().add(anAttempt().delivered());

        assertThatThrownBy(() -> b.latencyQuantileMs(q))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("quantile must be in [0, 1]");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01, Double.NaN})
    void shouldRejectAQuantileOutsideZeroToOneAmongMany(double q) {
        MetricBucket b = new MetricBucket().add(anAttempt().delivered());

        assertThatThrownBy(() -> b.latencyQuantilesMs(0.5, q))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("quantile must be in [0, 1]");
    }

    @Test
    void shouldRejectQuantilesOutOfOrder() {
        MetricBucket b = new MetricBucket().add(anAttempt().delivered());

        assertThatThrownBy(() -> b.latencyQuantilesMs(0.99, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quantiles must be in ascending order");
    }

    /**
     * DDSketch's rank for quantile q over n values is q·(n−1), and it returns the bin holding the
     * value of 0-based rank floor(q·(n−1)): for {100, 1000} the median is 100, not 1000 or 550.
     */
    @Test
    void shouldReadTheMedianOfTwoValuesAsTheLowerOne() {
        MetricBucket b = new MetricBucket();
        b.add(anAttempt().latencyMs(1_000).delivered());
        b.add(anAttempt().latencyMs(100).delivered());

        assertThat(b.latencyQuantileMs(0.5)).isCloseTo(100.0, within(1.0));
        assertThat(b.latencyQuantileMs(0.0)).isCloseTo(100.0, within(1.0));
        assertThat(b.latencyQuantileMs(1.0)).isCloseTo(1_000.0, within(10.0));
    }

    @Test
    void shouldNeverReportAQuantileAboveTheExactMaximum() {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < 10; i++) {
            b.add(anAttempt().latencyMs(1_234).delivered());
        }

        assertThat(b.latencyQuantileMs(1.0)).isLessThanOrEqualTo(1_234.0).isGreaterThan(1_221.0);
    }

    @Test
    void shouldReadZeroLatencyExactly() {
        MetricBucket b = new MetricBucket();
        b.add(anAttempt().latencyMs(0).delivered());
        b.add(anAttempt().latencyMs(0).delivered());
        b.add(anAttempt().latencyMs(5_000).delivered());

        assertThat(b.latencyQuantileMs(0.5)).isZero();
    }

    @Test
    void shouldFoldErrorCodesBeyondTheCapIntoOtherKeepingTotalsExact() {
        List<DeliveryAttempt> attempts = new ArrayList<>();
        // 150 distinct retrying codes and 30 discarded ones, code i occurring i % 4 + 1 times
        for (int i = 0; i < 150; i++) {
            for (int n = 0; n <= i % 4; n++) {
                attempts.add(anAttempt().errorCode(String.format("r%03d", i)).retrying());
            }
        }
        for (int i = 0; i < 30; i++) {
            for (int n = 0; n <= i % 4; n++) {
                attempts.add(anAttempt().errorCode(String.format("d%03d", i)).discarded());
            }
        }
        Collections.shuffle(attempts, new Random(7));

        MetricBucket b = new MetricBucket();
        attempts.forEach(b::add);

        // RETRYING sorts before DISCARDED, so the kept 100 rows are r000..r099.
        TreeMap<ErrorKey, Long> expected = new TreeMap<>();
        long foldedRetrying = 0;
        for (int i = 0; i < 150; i++) {
            if (i < 100) {
                expected.put(key(Outcome.RETRYING, String.format("r%03d", i)), (long) (i % 4 + 1));
            } else {
                foldedRetrying += i % 4 + 1;
            }
        }
        long foldedDiscarded = 0;
        for (int i = 0; i < 30; i++) {
            foldedDiscarded += i % 4 + 1;
        }
        expected.put(key(Outcome.RETRYING, ErrorKey.OTHER), foldedRetrying);
        expected.put(key(Outcome.DISCARDED, ErrorKey.OTHER), foldedDiscarded);

        assertThat(b.errors()).isEqualTo(expected);
        assertThat(totalFor(b, Outcome.RETRYING)).isEqualTo(b.retried());
        assertThat(totalFor(b, Outcome.DISCARDED)).isEqualTo(b.discarded());
    }

    @Test
    void shouldFoldTheSameWayWhenCodesArriveInSeparateBucketsInAnyOrder() {
        List<MetricBucket> perCode = new ArrayList<>();
        MetricBucket allAtOnce = new MetricBucket();
        for (int i = 0; i < MetricBucket.MAX_ERROR_CODES + 20; i++) {
            DeliveryAttempt a = anAttempt().errorCode("e" + i).expired();
            perCode.add(new MetricBucket().add(a));
            allAtOnce.add(a);
        }
        Collections.shuffle(perCode, new Random(42));

        MetricBucket merged = new MetricBucket();
        perCode.forEach(merged::merge);

        assertThat(merged).isEqualTo(allAtOnce);
        assertThat(merged.errors()).hasSize(MetricBucket.MAX_ERROR_CODES + 1);
        assertThat(merged.errors().get(key(Outcome.EXPIRED, ErrorKey.OTHER))).isEqualTo(20L);
        assertThat(totalFor(merged, Outcome.EXPIRED)).isEqualTo(120L);
    }

    @Test
    void shouldKeepExactlyTheCapWithoutAnOtherRow() {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < MetricBucket.MAX_ERROR_CODES; i++) {
            b.add(anAttempt().errorCode("e" + i).discarded());
        }

        assertThat(b.errors()).hasSize(MetricBucket.MAX_ERROR_CODES);
        assertThat(b.errors().keySet()).noneMatch(ErrorKey::isOther);
    }

    @Test
    void shouldMakeACopyThatDoesNotShareState() {
        MetricBucket original = new MetricBucket();
        original.add(anAttempt().latencyMs(10).delivered());
        original.add(anAttempt().errorCode("x").retrying());
        MetricBucket copy = original.copy();

        copy.add(anAttempt().latencyMs(5_000).attempt(3).delivered());
        copy.add(anAttempt().errorCode("x").retrying());

        assertThat(original.successes()).isEqualTo(1);
        assertThat(original.successesOnAttempt(3)).isZero();
        assertThat(original.latencyMaxMs()).isEqualTo(10);
        assertThat(original.latencyQuantileMs(1.0)).isLessThanOrEqualTo(10.0);
        assertThat(original.errors().get(key(Outcome.RETRYING, "x"))).isEqualTo(1L);
        assertThat(copy.errors().get(key(Outcome.RETRYING, "x"))).isEqualTo(2L);
    }

    @Test
    void shouldCopyWithoutEventsAndSamplesAsIfTheAttemptsHadNamedNoEventAndWereNeverSampled() {
        MetricBucket original = new MetricBucket();
        original.add(anAttempt().eventName("Order Completed").latencyMs(40).delivered());
        original.add(
                anAttempt()
                        .eventName("Signed Up")
                        .errorCode("http_400")
                        .errorMessage("missing email")
                        .discarded());
        MetricBucket unnamed = new MetricBucket();
        unnamed.add(anAttempt().latencyMs(40).delivered());
        unnamed.add(anAttempt().errorCode("http_400").discarded());
        unnamed.withoutEvents().withoutSamples();

        MetricBucket light = original.copyWithoutEventsAndSamples();

        assertThat(original.events()).isNotEmpty();
        assertThat(original.samples()).isNotEmpty();
        assertThat(light.events()).isEmpty();
        assertThat(light.samples()).isEmpty();
        assertThat(light).isEqualTo(unnamed);
        assertThat(light.errors()).isEqualTo(original.errors());
        assertThat(original.copy()).isEqualTo(original);
    }

    @Test
    void shouldBeEqualWithEqualHashCodeForTheSameContent() {
        MetricBucket a = new MetricBucket();
        MetricBucket b = new MetricBucket();
        a.add(anAttempt().latencyMs(5).delivered()).add(anAttempt().latencyMs(7).delivered());
        b.add(anAttempt().latencyMs(7).delivered()).add(anAttempt().latencyMs(5).delivered());

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(b.copy().add(anAttempt().latencyMs(5).delivered()));
    }

    @Test
    void shouldDistinguishBucketsThatDifferOnlyInTheSketch() {
        // same count, sum and max, different distribution: {10, 20, 30} vs {15, 15, 30}
        MetricBucket a = new MetricBucket();
        MetricBucket b = new MetricBucket();
        for (long ms : new long[] {10, 20, 30}) {
            a.add(anAttempt().latencyMs(ms).delivered());
        }
        for (long ms : new long[] {15, 15, 30}) {
            b.add(anAttempt().latencyMs(ms).delivered());
        }

        assertThat(a.latencySumMs()).isEqualTo(b.latencySumMs());
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void shouldRestoreABucketFromStoredParts() {
        MetricBucket original = new MetricBucket();
        original.add(anAttempt().latencyMs(120).attempt(2).delivered());
        original.add(anAttempt().errorCode("gone").discarded());

        MetricBucket restored =
                MetricBucket.restore(
                        1,
                        0,
                        1,
                        0,
                        0,
                        new long[] {0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
                        1,
                        120,
                        120,
                        BucketCodec.encodeSketch(original.latencySketch()),
                        Map.of(key(Outcome.DISCARDED, "gone"), 1L),
                        Map.of(
                                new EventKey(DeliveryAttempt.UNKNOWN_TYPE, null),
                                OutcomeCounts.of(1, 0, 1, 0, 0)));

        assertThat(restored).isEqualTo(original.copy().withoutSamples());
        assertThat(restored.restoreSamples(sampleLists(original))).isEqualTo(original);
    }

    @Test
    void shouldCountEventRowsByTypeAndNameAsTheBucketCountsOutcomes() {
        MetricBucket b = new MetricBucket();
        b.add(anAttempt().eventType("track").eventName("Order Completed").delivered());
        b.add(anAttempt().eventType("track").eventName("Order Completed").retrying());
        b.add(anAttempt().eventType("track").eventName("Order Completed ").expired());
        b.add(anAttempt().eventType("identify").filtered());
        b.add(anAttempt().discarded());

        assertThat(b.events())
                .containsExactly(
                        Map.entry(new EventKey("identify", null), OutcomeCounts.of(0, 0, 0, 0, 1)),
                        Map.entry(
                                new EventKey("track", "Order Completed"),
                                OutcomeCounts.of(1, 1, 0, 0, 0)),
                        Map.entry(
                                new EventKey("track", "Order Completed "),
                                OutcomeCounts.of(0, 0, 0, 1, 0)),
                        Map.entry(
                                new EventKey(DeliveryAttempt.UNKNOWN_TYPE, null),
                                OutcomeCounts.of(0, 0, 1, 0, 0)));
    }

    @Test
    void shouldFoldTheQuietestEventKeysIntoOtherBeyondTheCap() {
        // Merged name by name, as the windows merge partial buckets: name i has i + 1 attempts,
        // so names 0..4 are the quietest.
        MetricBucket b = new MetricBucket();
        int keys = MetricBucket.MAX_EVENT_KEYS + 5;
        for (int i = 0; i < keys; i++) {
            MetricBucket partial = new MetricBucket();
            for (int n = 0; n <= i; n++) {
                partial.add(anAttempt().eventType("track").eventName("e" + i).delivered());
            }
            b.merge(partial);
        }

        assertThat(b.events()).hasSize(MetricBucket.MAX_EVENT_KEYS + 1);
        for (int i = 0; i < 5; i++) {
            assertThat(b.events()).doesNotContainKey(new EventKey("track", "e" + i));
        }
        assertThat(b.events().get(new EventKey("track", "e5")))
                .isEqualTo(OutcomeCounts.of(6, 0, 0, 0, 0));
        assertThat(b.events().get(EventKey.OTHER))
                .isEqualTo(OutcomeCounts.of(1 + 2 + 3 + 4 + 5, 0, 0, 0, 0));
    }

    @Test
    void shouldRefuseToRestoreMalformedParts() {
        assertThatThrownBy(
                        () ->
                                MetricBucket.restore(
                                        0, 0, 0, 0, 0, new long[9], 0, 0, 0, new byte[0], Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("successesByAttempt must have 10 slots");
        assertThatThrownBy(
                        () ->
                                MetricBucket.restore(
                                        0,
                                        0,
                                        1,
                                        0,
                                        0,
                                        new long[10],
                                        0,
                                        0,
                                        0,
                                        new byte[0],
                                        Map.of(key(Outcome.DISCARDED, "x"), -1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative error count");
    }

    private static ErrorKey key(Outcome outcome, String code) {
        return new ErrorKey(outcome, code);
    }

    private static long totalFor(MetricBucket b, Outcome outcome) {
        long sum = 0;
        for (Map.Entry<ErrorKey, Long> e : b.errors().entrySet()) {
            if (e.getKey().outcome() == outcome) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    private static Map<ErrorKey, List<ErrorSample>> sampleLists(MetricBucket b) {
        Map<ErrorKey, List<ErrorSample>> out = new java.util.TreeMap<>();
        b.samples().forEach((k, v) -> out.put(k, v.samples()));
        return out;
    }
}
