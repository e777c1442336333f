package io.deliverymetrics.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.flink.DeliveryMetricsJob;
import io.deliverymetrics.flink.model.MinutePartial;
import io.deliverymetrics.flink.model.MinuteUpdate;
import io.deliverymetrics.flink.typeinfo.MetricBucketTypeInfo;
import io.deliverymetrics.flink.typeinfo.MinutePartialTypeInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The minute window exactly as the job configures it (assigner, early-firing trigger, allowed
 * lateness, late side output, core aggregation), driven with explicit watermarks and processing
 * time.
 */
class MinuteWindowHarnessTest {

    private static final Duration EARLY = Duration.ofSeconds(10);
    private static final Duration LATENESS = Duration.ofSeconds(30);
    private static final Duration HORIZON = Duration.ofMinutes(10);
    private static final PairKey PAIR = new PairKey("ws_a", "src_web", "dst_amp");

    private KeyedOneInputStreamOperatorTestHarness<PairKey, MinutePartial, MinuteUpdate> harness;

    /**
     * @param onFiring the window as the job builds it on RocksDB: partials kept as a list, purged
     *     at each firing, merged into the window's own state ({@link MergeOnFiring}); otherwise the
     *     heap's incremental aggregate
     */
    private void open(boolean onFiring) throws Exception {
        open(onFiring, EarlyFiringTrigger.every(EARLY));
    }

    /** As {@link #open(boolean)}, with {@code trigger} (purging when {@code onFiring}). */
    private void open(boolean onFiring, EarlyFiringTrigger trigger) throws Exception {
        WindowOperatorBuilder<MinutePartial, PairKey, TimeWindow> builder =
                new WindowOperatorBuilder<>(
                        TumblingEventTimeWindows.of(Duration.ofMinutes(1)),
                        onFiring ? trigger.purging() : trigger,
                        new ExecutionConfig(),
                        MinutePartialTypeInfo.INSTANCE,
                        MinutePartial::pair,
                        TypeInformation.of(PairKey.class));
        builder.allowedLateness(LATENESS);
        builder.sideOutputLateData(DeliveryMetricsJob.LATE_PARTIALS);
        OneInputStreamOperator<MinutePartial, MinuteUpdate> op =
                onFiring
                        ? builder.process(new MergeOnFiring(new EmitMinute()))
                        : builder.aggregate(
                                new BucketAggregator(),
                                new EmitMinute(),
                                MetricBucketTypeInfo.INSTANCE);
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        op, MinutePartial::pair, TypeInformation.of(PairKey.class));
        harness.setProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @ParameterizedTest(name = "merged on firing: {0}")
    @ValueSource(booleans = {false, true})
    void shouldEmitAnEarlyPartialAggregateThenTheFinalOneWhenTheWatermarkPassesTheMinute(
            boolean onFiring) throws Exception {
        open(onFiring);
        send(delivered("12:00:10"));
        send(delivered("12:00:20"));
        assertThat(successesEmitted()).isEmpty();

        harness.setProcessingTime(EARLY.toMillis());
        assertThat(successesEmitted()).containsExactly(2L);

        send(delivered("12:00:30"));
        harness.processWatermark(new Watermark(at("12:00:59.999")));
        assertThat(successesEmitted()).containsExactly(2L, 3L);
        assertThat(bucketStarts()).containsOnly(at("12:00:00"));
    }

    @ParameterizedTest(name = "merged on firing: {0}")
    @ValueSource(booleans = {false, true})
    void shouldFireEarlyAgainForElementsAfterAnEarlyFiringAndStillFireAtTheEnd(boolean onFiring)
            throws Exception {
        open(onFiring);
        send(delivered("12:00:10"));
        harness.setProcessingTime(EARLY.toMillis());
        send(delivered("12:00:20"));
        send(delivered("12:00:25"));
        // One early firing per interval, armed by the first element after the last one.
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
        harness.setProcessingTime(2 * EARLY.toMillis());
        harness.setProcessingTime(3 * EARLY.toMillis());
        assertThat(successesEmitted()).containsExactly(1L, 3L);

        send(delivered("12:00:30"));
        harness.processWatermark(new Watermark(at("12:00:59.999")));
        assertThat(successesEmitted()).containsExactly(1L, 3L, 4L);
        // Once the lateness has passed, the window leaves no timer behind.
        harness.processWatermark(new Watermark(at("12:01:29.999")));
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @ParameterizedTest(name = "merged on firing: {0}")
    @ValueSource(booleans = {false, true})
    void shouldNotFireAgainWhileNoNewElementArrives(boolean onFiring) throws Exception {
        open(onFiring);
        send(delivered("12:00:10"));
        harness.setProcessingTime(EARLY.toMillis());
        harness.setProcessingTime(5 * EARLY.toMillis());
        assertThat(successesEmitted()).containsExactly(1L);
    }

    @ParameterizedTest(name = "merged on firing: {0}")
    @ValueSource(booleans = {false, true})
    void shouldRefireForALateElementWithinLatenessAndDivertItAfterwards(boolean onFiring)
            throws Exception {
        open(onFiring);
        send(delivered("12:00:10"));
        harness.processWatermark(new Watermark(at("12:01:10")));
        assertThat(successesEmitted()).containsExactly(1L);

        send(delivered("12:00:40"));
        assertThat(successesEmitted()).containsExactly(1L, 2L);

        // Window end (12:00:59.999) + 30 s lateness: the window's state is dropped.
        harness.processWatermark(new Watermark(at("12:01:29.999")));
        send(delivered("12:00:50"));
        assertThat(successesEmitted()).containsExactly(1L, 2L);
        assertThat(harness.getSideOutput(DeliveryMetricsJob.LATE_PARTIALS)).hasSize(1);
    }

    @ParameterizedTest(name = "merged on firing: {0}")
    @ValueSource(booleans = {false, true})
    void shouldLeaveNoStateOrTimersBehindOnceLatenessHasPassed(boolean onFiring) throws Exception {
        open(onFiring);
        send(delivered("12:00:10"));
        send(
                new DeliveryAttempt(
                        "ws_a",
                        "src_web",
                        "dst_amp",
                        "e",
                        1,
                        Outcome.DISCARDED,
                        "http_400",
                        Instant.parse("2026-11-26T12:00:11Z"),
                        Instant.parse("2026-11-26T12:00:12Z")));
        harness.processWatermark(new Watermark(at("12:01:29.999")));

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @ParameterizedTest(name = "merged on firing: {0}")
    @ValueSource(booleans = {false, true})
    void shouldMergeAPreAggregatedBucketIntoTheLoneAttemptsOfTheSameMinute(boolean onFiring)
            throws Exception {
        open(onFiring);
        send(delivered("12:00:05"));
        MetricBucket merged =
                new MetricBucket().add(delivered("12:00:10")).add(delivered("12:00:20"));
        harness.processElement(
                new StreamRecord<>(
                        new MinutePartial(PAIR, at("12:00:00"), merged, null, "webhook"),
                        at("12:00:00")));
        harness.processWatermark(new Watermark(at("12:00:59.999")));

        assertThat(successesEmitted()).containsExactly(3L);
    }

    @ParameterizedTest(name = "merged on firing: {0}")
    @ValueSource(booleans = {false, true})
    void shouldKeepSeparateMinutesSeparate(boolean onFiring) throws Exception {
        open(onFiring);
        send(delivered("12:00:59.999"));
        send(delivered("12:01:00"));
        harness.processWatermark(new Watermark(at("12:02:00")));
        assertThat(successesEmitted()).containsExactly(1L, 1L);
        assertThat(bucketStarts()).containsExactly(at("12:00:00"), at("12:01:00"));
    }

    @ParameterizedTest(name = "merged on firing: {0}")
    @ValueSource(booleans = {false, true})
    void shouldEmitNothingMoreAtTheWatermarkWhenNoPartialArrivedSinceTheEarlyFiring(
            boolean onFiring) throws Exception {
        open(onFiring);
        send(delivered("12:00:10"));
        send(delivered("12:00:20"));
        harness.setProcessingTime(EARLY.toMillis());
        harness.processWatermark(new Watermark(at("12:00:59.999")));
        // The early firing's bucket is the minute's final one: not written a second time.
        assertThat(successesEmitted()).containsExactly(2L);

        // A late element still fires at once, and then the window closes without a trace.
        send(delivered("12:00:40"));
        assertThat(successesEmitted()).containsExactly(2L, 3L);
        harness.processWatermark(new Watermark(at("12:01:29.999")));
        assertThat(successesEmitted()).containsExactly(2L, 3L);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @ParameterizedTest(name = "merged on firing: {0}")
    @ValueSource(booleans = {false, true})
    void shouldFireAMinuteLongPastOnlyAtItsEnd(boolean onFiring) throws Exception {
        open(onFiring, EarlyFiringTrigger.every(EARLY).within(HORIZON));
        long end = at("12:00:59.999");
        // The job reads the minute more than the horizon after it ended: a catch-up or a replay.
        harness.setProcessingTime(end + HORIZON.toMillis() + 1);
        send(delivered("12:00:10"));
        send(delivered("12:00:20"));
        assertThat(harness.numProcessingTimeTimers()).isZero();
        harness.setProcessingTime(end + HORIZON.toMillis() + 5 * EARLY.toMillis());
        assertThat(successesEmitted()).isEmpty();

        harness.processWatermark(new Watermark(end));
        assertThat(successesEmitted()).containsExactly(2L);
        // A late element still fires at once; then the window leaves nothing behind.
        send(delivered("12:00:40"));
        assertThat(successesEmitted()).containsExactly(2L, 3L);
        harness.processWatermark(new Watermark(at("12:01:29.999")));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @ParameterizedTest(name = "merged on firing: {0}")
    @ValueSource(booleans = {false, true})
    void shouldFireEarlyAMinuteThatEndedWithinTheHorizon(boolean onFiring) throws Exception {
        open(onFiring, EarlyFiringTrigger.every(EARLY).within(HORIZON));
        long end = at("12:00:59.999");
        harness.setProcessingTime(end + HORIZON.toMillis());
        send(delivered("12:00:10"));
        harness.setProcessingTime(end + HORIZON.toMillis() + EARLY.toMillis());
        assertThat(successesEmitted()).containsExactly(1L);

        send(delivered("12:00:20"));
        harness.processWatermark(new Watermark(end));
        assertThat(successesEmitted()).containsExactly(1L, 2L);
    }

    @Test
    void shouldEmitTheSameBucketsEitherWay() throws Exception {
        List<byte[]> emitted = new java.util.ArrayList<>();
        for (boolean onFiring : new boolean[] {false, true}) {
            open(onFiring);
            send(delivered("12:00:01"));
            send(failed("12:00:02", "Order Completed", "missing property 'total'"));
            harness.setProcessingTime(EARLY.toMillis());
            send(failed("12:00:03", "Order Completed", "missing property \"sku\""));
            send(failed("12:00:04", "Page Viewed", "rate limited \uD83D\uDE80"));
            harness.setProcessingTime(2 * EARLY.toMillis());
            send(delivered("12:00:05"));
            harness.processWatermark(new Watermark(at("12:01:10")));
            send(failed("12:00:06", "Order Completed", "late \\ one"));
            List<MinuteUpdate> out = harness.extractOutputValues();
            emitted.add(out.get(out.size() - 1).bucket());
            harness.close();
            harness = null;
        }
        assertThat(emitted.get(1)).isEqualTo(emitted.get(0));
        MetricBucket last = BucketCodec.decode(emitted.get(1));
        assertThat(last.successes()).isEqualTo(2);
        assertThat(last.discarded()).isEqualTo(4);
        assertThat(last.events()).isNotEmpty();
    }

    private void send(DeliveryAttempt a) throws Exception {
        MinutePartial p = MinutePartial.of(a);
        harness.processElement(new StreamRecord<>(p, p.minuteStartMs()));
    }

    private List<Long> successesEmitted() {
        return harness.extractOutputValues().stream()
                .map(u -> BucketCodec.decode(u.bucket()).successes())
                .toList();
    }

    private List<Long> bucketStarts() {
        return harness.extractOutputValues().stream().map(MinuteUpdate::bucketStartMs).toList();
    }

    private static DeliveryAttempt delivered(String time) {
        Instant completed = Instant.ofEpochMilli(at(time));
        return new DeliveryAttempt(
                PAIR.workspaceId(),
                PAIR.sourceId(),
                PAIR.destinationId(),
                "evt_" + time,
                1,
                Outcome.DELIVERED,
                null,
                completed.minusMillis(250),
                completed);
    }

    /** A discarded attempt with its event name and the destination's message (free text). */
    private static DeliveryAttempt failed(String time, String eventName, String message) {
        Instant completed = Instant.ofEpochMilli(at(time));
        return new DeliveryAttempt(
                PAIR.workspaceId(),
                PAIR.sourceId(),
                PAIR.destinationId(),
                "evt_" + time,
                1,
                Outcome.DISCARDED,
                "http_400",
                completed.minusMillis(250),
                completed,
                "webhook",
                "track",
                eventName,
                message);
    }

    private static long at(String time) {
        return Instant.parse("2026-11-26T" + time + (time.length() == 8 ? "Z" : "Z"))
                .toEpochMilli();
    }
}
