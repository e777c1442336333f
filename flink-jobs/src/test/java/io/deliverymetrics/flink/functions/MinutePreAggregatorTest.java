package io.deliverymetrics.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.flink.model.MinutePartial;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pre-aggregation step on its own: what it merges, and that it lets nothing wait past a
 * watermark that closes the attempt's minute, a checkpoint barrier, its flush interval or its size
 * limit.
 */
class MinutePreAggregatorTest {

    private static final Duration FLUSH = Duration.ofMillis(200);

    private OneInputStreamOperatorTestHarness<DeliveryAttempt, MinutePartial> harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness(1_000);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shouldMergeAPairsMinuteIntoOnePartialEqualToAddingEachAttempt() throws Exception {
        List<DeliveryAttempt> sent = new ArrayList<>();
        Random random = new Random(7);
        Outcome[] outcomes = Outcome.values();
        for (int i = 0; i < 500; i++) {
            Outcome o = outcomes[random.nextInt(outcomes.length)];
            sent.add(attempt("ws", "dst", "12:00:" + two(random.nextInt(60)), o, "e" + i));
        }
        sent.forEach(this::send);
        harness.setProcessingTime(FLUSH.toMillis());

        List<MinutePartial> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        MinutePartial p = out.get(0);
        assertThat(p.single()).isNull();
        assertThat(p.minuteStartMs()).isEqualTo(at("12:00:00"));
        long delivered = sent.stream().filter(a -> a.outcome() == Outcome.DELIVERED).count();
        long retrying = sent.stream().filter(a -> a.outcome() == Outcome.RETRYING).count();
        assertThat(p.bucket().successes()).isEqualTo(delivered);
        assertThat(p.bucket().retried()).isEqualTo(retrying);
        assertThat(p.attempts()).isEqualTo(500);
        MetricBucket oneByOne = new MetricBucket();
        sent.forEach(oneByOne::add);
        assertThat(p.bucket()).isEqualTo(oneByOne);
    }

    @Test
    void shouldKeepTheDestinationTypesOfOnePairAndMinuteApart() throws Exception {
        send(typed(attempt("ws", "dst", "12:00:01", Outcome.DELIVERED, "e1"), "braze"));
        send(typed(attempt("ws", "dst", "12:00:02", Outcome.DISCARDED, "e2"), "unknown"));
        send(typed(attempt("ws", "dst", "12:00:03", Outcome.DELIVERED, "e3"), "braze"));
        send(typed(attempt("ws", "dst", "12:00:04", Outcome.DELIVERED, "e4"), "braze"));
        send(typed(attempt("ws", "dst", "12:00:05", Outcome.DELIVERED, "e5"), "webhook"));
        harness.setProcessingTime(FLUSH.toMillis());

        List<MinutePartial> out = harness.extractOutputValues();
        assertThat(out)
                .extracting(MinutePartial::destinationType, MinutePartial::attempts)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("braze", 3L),
                        org.assertj.core.groups.Tuple.tuple("unknown", 1L),
                        org.assertj.core.groups.Tuple.tuple("webhook", 1L));
        assertThat(out)
                .filteredOn(p -> p.destinationType().equals("unknown"))
                .allMatch(MinutePartial::affected);
        assertThat(out)
                .filteredOn(p -> p.destinationType().equals("braze"))
                .noneMatch(MinutePartial::affected);
        // The size limit counts each type's partial: five attempts, three partials.
        assertThat(out).hasSize(3);
    }

    private static DeliveryAttempt typed(DeliveryAttempt a, String destinationType) {
        return new DeliveryAttempt(
                a.workspaceId(),
                a.sourceId(),
                a.destinationId(),
                a.eventId(),
                a.attempt(),
                a.outcome(),
                a.errorCode(),
                a.receivedAt(),
                a.completedAt(),
                destinationType,
                a.eventType(),
                a.eventName(),
                a.errorMessage());
    }

    @Test
    void shouldSendALoneAttemptAsItselfAndKeepPairsAndMinutesApart() throws Exception {
        DeliveryAttempt lone = attempt("ws", "dst_a", "12:00:10", Outcome.DISCARDED, "e1");
        send(lone);
        send(attempt("ws", "dst_b", "12:00:10", Outcome.DELIVERED, "e2"));
        send(attempt("ws", "dst_b", "12:00:11", Outcome.DELIVERED, "e3"));
        send(attempt("ws", "dst_b", "12:01:00", Outcome.DELIVERED, "e4"));
        harness.setProcessingTime(FLUSH.toMillis());

        List<MinutePartial> out = harness.extractOutputValues();
        assertThat(out)
                .extracting(p -> p.pair().destinationId() + "@" + p.minuteStartMs())
                .containsExactlyInAnyOrder(
                        "dst_a@" + at("12:00:00"),
                        "dst_b@" + at("12:00:00"),
                        "dst_b@" + at("12:01:00"));
        assertThat(out)
                .filteredOn(p -> p.pair().destinationId().equals("dst_a"))
                .singleElement()
                .satisfies(p -> assertThat(p.single()).isEqualTo(lone));
        assertThat(out).extracting(MinutePartial::attempts).containsOnly(1L, 2L, 1L);
    }

    @Test
    void shouldSendAMinuteBeforeTheWatermarkThatEndsItAndHoldTheOpenOne() throws Exception {
        send(attempt("ws", "dst", "12:00:50", Outcome.DELIVERED, "e1"));
        send(attempt("ws", "dst", "12:01:05", Outcome.DELIVERED, "e2"));

        harness.processWatermark(new Watermark(at("12:00:59.998")));
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(new Watermark(at("12:00:59.999")));
        // The watermark that fires 12:00 comes right after the 12:00 partial; 12:01 is held.
        assertThat(new ArrayList<>(harness.getOutput()))
                .extracting(MinutePreAggregatorTest::describe)
                .containsExactly(
                        "watermark " + at("12:00:59.998"),
                        "partial " + at("12:00:00"),
                        "watermark " + at("12:00:59.999"));

        harness.setProcessingTime(FLUSH.toMillis());
        assertThat(harness.extractOutputValues())
                .extracting(MinutePartial::minuteStartMs)
                .containsExactly(at("12:00:00"), at("12:01:00"));
    }

    private static String describe(Object element) {
        if (element instanceof Watermark w) {
            return "watermark " + w.getTimestamp();
        }
        MinutePartial p = (MinutePartial) ((StreamRecord<?>) element).getValue();
        return "partial " + p.minuteStartMs();
    }

    @Test
    void shouldKeepAttemptsThatArriveForAMinuteAlreadySent() throws Exception {
        send(attempt("ws", "dst", "12:00:10", Outcome.DELIVERED, "e1"));
        harness.processWatermark(new Watermark(at("12:00:59.999")));
        // Within the allowed lateness: the guard lets it through, so it must not be lost.
        send(attempt("ws", "dst", "12:00:20", Outcome.DELIVERED, "e2"));
        harness.setProcessingTime(FLUSH.toMillis());
        send(attempt("ws", "dst", "12:00:30", Outcome.DELIVERED, "e3"));
        harness.setProcessingTime(2 * FLUSH.toMillis());

        assertThat(harness.extractOutputValues())
                .extracting(p -> p.single().eventId())
                .containsExactly("e1", "e2", "e3");
    }

    @Test
    void shouldSendEverythingBeforeACheckpointBarrierAndKeepNoState() throws Exception {
        send(attempt("ws", "dst", "12:00:50", Outcome.DELIVERED, "e1"));
        send(attempt("ws", "dst", "12:01:05", Outcome.DELIVERED, "e2"));

        harness.prepareSnapshotPreBarrier(1);
        OperatorSubtaskState state = harness.snapshot(1, 1);

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(state.getManagedOperatorState()).isEmpty();
        assertThat(state.getManagedKeyedState()).isEmpty();
    }

    @Test
    void shouldSendEverythingWhenItHoldsMaxEntries() throws Exception {
        harness.close();
        harness = harness(3);
        send(attempt("ws", "d1", "12:00:01", Outcome.DELIVERED, "e1"));
        send(attempt("ws", "d1", "12:00:02", Outcome.DELIVERED, "e2"));
        send(attempt("ws", "d2", "12:00:03", Outcome.DELIVERED, "e3"));
        assertThat(harness.extractOutputValues()).isEmpty();

        send(attempt("ws", "d3", "12:00:04", Outcome.DELIVERED, "e4"));
        assertThat(harness.extractOutputValues())
                .extracting(MinutePartial::attempts)
                .containsExactlyInAnyOrder(2L, 1L, 1L);
    }

    @Test
    void shouldSendEveryAttemptOnItsOwnWithMaxEntriesOne() throws Exception {
        harness.close();
        harness = harness(1);
        send(attempt("ws", "d1", "12:00:01", Outcome.DELIVERED, "e1"));
        send(attempt("ws", "d1", "12:00:02", Outcome.DELIVERED, "e2"));

        assertThat(harness.extractOutputValues())
                .extracting(p -> p.single().eventId())
                .containsExactly("e1", "e2");
    }

    @Test
    void shouldSendEverythingWhenTheInputEnds() throws Exception {
        send(attempt("ws", "d1", "12:00:01", Outcome.DELIVERED, "e1"));
        harness.processWatermark(Watermark.MAX_WATERMARK);
        assertThat(harness.extractOutputValues()).hasSize(1);

        send(attempt("ws", "d1", "12:00:02", Outcome.DELIVERED, "e2"));
        harness.getOperator().finish();
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    private void send(DeliveryAttempt a) {
        try {
            harness.processElement(new StreamRecord<>(a, a.eventTimeMillis()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static OneInputStreamOperatorTestHarness<DeliveryAttempt, MinutePartial> harness(
            int maxEntries) throws Exception {
        OneInputStreamOperatorTestHarness<DeliveryAttempt, MinutePartial> h =
                new OneInputStreamOperatorTestHarness<>(new MinutePreAggregator(FLUSH, maxEntries));
        h.setProcessingTime(0);
        h.open();
        return h;
    }

    private static DeliveryAttempt attempt(
            String ws, String dst, String time, Outcome outcome, String eventId) {
        Instant completed = Instant.ofEpochMilli(at(time));
        return new DeliveryAttempt(
                ws,
                "src",
                dst,
                eventId,
                outcome == Outcome.RETRYING ? 1 : 2,
                outcome,
                outcome.isFailure() ? "http_503" : null,
                completed.minusMillis(120),
                completed);
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    private static long at(String time) {
        return Instant.parse("2026-11-26T" + time + "Z").toEpochMilli();
    }
}
