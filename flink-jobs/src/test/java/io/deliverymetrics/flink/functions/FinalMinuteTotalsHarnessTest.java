package io.deliverymetrics.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.flink.model.MinuteUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The running totals exactly as the job configures them, driven with explicit watermarks: a minute
 * counts once, with its newest firing, when the allowed lateness has passed it.
 */
class FinalMinuteTotalsHarnessTest {

    private static final Duration LATENESS = Duration.ofSeconds(30);
    private static final PairKey A = new PairKey("ws_a", "src_web", "dst_amp");
    private static final PairKey B = new PairKey("ws_a", "src_app", "dst_amp");
    private static final long M0 = Instant.parse("2026-11-26T12:00:00Z").toEpochMilli();
    private static final long M1 = M0 + 60_000;

    private KeyedOneInputStreamOperatorTestHarness<PairKey, MinuteUpdate, MinuteUpdate> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<PairKey, MinuteUpdate, MinuteUpdate>
            newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FinalMinuteTotals(LATENESS)),
                MinuteUpdate::pair,
                TypeInformation.of(PairKey.class));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shouldPassEveryUpdateOnAndAddAMinuteOnceWithItsNewestFiringWhenItIsFinal()
            throws Exception {
        send(minute(A, M0, 3, 1));
        send(minute(A, M0, 5, 1));
        harness.processWatermark(M0 + 60_000 - 1);
        // A late firing inside the allowed lateness replaces the minute again.
        send(minute(A, M0, 6, 2));
        harness.processWatermark(M0 + 60_000 - 1 + LATENESS.toMillis() - 1);
        assertThat(totalsEmitted()).isEmpty();

        harness.processWatermark(M0 + 60_000 - 1 + LATENESS.toMillis());

        assertThat(passedOn()).hasSize(3);
        assertThat(totalsEmitted())
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.pair()).isEqualTo(A);
                            assertThat(u.bucketStartMs()).isEqualTo(M0);
                            DeliveryTotals t = DeliveryTotals.fromArray(u.totals());
                            assertThat(t.successes()).isEqualTo(6);
                            assertThat(t.discarded()).isEqualTo(2);
                        });
    }

    @Test
    void shouldKeepAddingFinalMinutesPerPairAndEmitNothingForAPairWithoutNewMinutes()
            throws Exception {
        send(minute(A, M0, 4, 0));
        send(minute(B, M0, 1, 1));
        harness.processWatermark(M1 + 60_000 + LATENESS.toMillis());
        send(minute(A, M1 + 60_000, 2, 0));
        harness.processWatermark(M1 + 3 * 60_000 + LATENESS.toMillis());

        List<MinuteUpdate> totals = totalsEmitted();

        assertThat(totals).hasSize(3);
        MinuteUpdate lastOfA = totals.get(2);
        assertThat(lastOfA.pair()).isEqualTo(A);
        assertThat(lastOfA.bucketStartMs()).isEqualTo(M1 + 60_000);
        assertThat(DeliveryTotals.fromArray(lastOfA.totals()).successes()).isEqualTo(6);
        assertThat(totals)
                .filteredOn(u -> u.pair().equals(B))
                .singleElement()
                .satisfies(u -> assertThat(u.totals()[0]).isEqualTo(1));
    }

    @Test
    void shouldResumeFromASnapshotWithTheSameTotalsAndPendingMinutes() throws Exception {
        send(minute(A, M0, 4, 0));
        harness.processWatermark(M0 + 60_000 + LATENESS.toMillis());
        send(minute(A, M1, 7, 0));
        var snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processWatermark(M1 + 60_000 + LATENESS.toMillis());

        assertThat(totalsEmitted())
                .singleElement()
                .satisfies(u -> assertThat(u.totals()[0]).isEqualTo(11));
    }

    @Test
    void shouldNotAddTooLateCountsToTheTotals() throws Exception {
        send(new MinuteUpdate("ws_a", "src_web", "dst_amp", M0, null, 9));
        harness.processWatermark(M1 + 60_000 + LATENESS.toMillis());

        assertThat(passedOn()).hasSize(1);
        assertThat(totalsEmitted()).isEmpty();
    }

    private void send(MinuteUpdate u) throws Exception {
        harness.processElement(new StreamRecord<>(u, u.bucketStartMs() + 59_999));
    }

    private static MinuteUpdate minute(PairKey p, long start, int delivered, int discarded) {
        MetricBucket b = new MetricBucket();
        Instant t = Instant.ofEpochMilli(start);
        for (int i = 0; i < delivered; i++) {
            b.add(
                    new DeliveryAttempt(
                            p.workspaceId(),
                            p.sourceId(),
                            p.destinationId(),
                            "e" + i,
                            1,
                            Outcome.DELIVERED,
                            null,
                            t,
                            t.plusMillis(100)));
        }
        for (int i = 0; i < discarded; i++) {
            b.add(
                    new DeliveryAttempt(
                            p.workspaceId(),
                            p.sourceId(),
                            p.destinationId(),
                            "x" + i,
                            1,
                            Outcome.DISCARDED,
                            "http_400",
                            t,
                            t.plusMillis(100)));
        }
        return new MinuteUpdate(
                p.workspaceId(), p.sourceId(), p.destinationId(), start, BucketCodec.encode(b), 0);
    }

    private List<MinuteUpdate> outputs() {
        List<MinuteUpdate> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((MinuteUpdate) r.getValue());
            }
        }
        return out;
    }

    private List<MinuteUpdate> passedOn() {
        return outputs().stream().filter(u -> !u.isTotals()).toList();
    }

    private List<MinuteUpdate> totalsEmitted() {
        return outputs().stream().filter(MinuteUpdate::isTotals).toList();
    }
}
