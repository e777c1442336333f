package io.deliverymetrics.flink.functions;

import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.flink.model.MinutePartial;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard as the job configures it, keyed by workspace, driven with explicit watermarks. */
class PairCardinalityGuardHarnessTest {

    private static final int CAP = 3;
    private static final Duration IDLE = Duration.ofHours(2);
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    private static final long M0 = T0.toEpochMilli();

    private KeyedOneInputStreamOperatorTestHarness<String, MinutePartial, MinutePartial> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MinutePartial, MinutePartial>
            newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new PairCardinalityGuard(CAP, IDLE)),
                p -> p.pair().workspaceId(),
                Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shouldAdmitTheFirstPairsUpToTheCapAndCountEveryOtherAttemptInTheOverflowPair()
            throws Exception {
        for (int i = 0; i < 5; i++) {
            send(single("ws_a", "src_" + i, M0));
        }
        send(bucket("ws_a", "src_4", M0, 3));
        // A pair already admitted stays admitted; another workspace has a cap of its own.
        send(single("ws_a", "src_1", M0 + 60_000));
        for (int i = 0; i < CAP; i++) {
            send(single("ws_b", "src_" + i, M0));
        }

        List<MinutePartial> out = emitted();

        assertThat(out).hasSize(10);
        assertThat(out.stream().map(MinutePartial::pair).distinct())
                .containsExactlyInAnyOrder(
                        pair("ws_a", "src_0"),
                        pair("ws_a", "src_1"),
                        pair("ws_a", "src_2"),
                        PairKey.overflow("ws_a"),
                        pair("ws_b", "src_0"),
                        pair("ws_b", "src_1"),
                        pair("ws_b", "src_2"));
        List<MinutePartial> overflow = out.stream().filter(p -> p.pair().isOverflow()).toList();
        assertThat(overflow).hasSize(3).allSatisfy(p -> assertThat(p.single()).isNull());
        assertThat(overflow.stream().mapToLong(MinutePartial::attempts).sum()).isEqualTo(5);
        assertThat(out.stream().mapToLong(MinutePartial::attempts).sum()).isEqualTo(5 + 3 + 1 + 3);
    }

    @Test
    void shouldFreeThePlacesOfPairsIdleLongerThanTheTimeout() throws Exception {
        for (int i = 0; i < CAP; i++) {
            send(single("ws_a", "src_" + i, M0));
        }
        // src_0 stays active; src_1 and src_2 go idle.
        send(single("ws_a", "src_0", M0 + Duration.ofHours(2).toMillis()));
        harness.processWatermark(M0 + Duration.ofHours(3).toMillis());
        harness.getOutput().clear();

        send(single("ws_a", "src_new_1", M0 + Duration.ofHours(3).toMillis()));
        send(single("ws_a", "src_new_2", M0 + Duration.ofHours(3).toMillis()));
        send(single("ws_a", "src_new_3", M0 + Duration.ofHours(3).toMillis()));

        assertThat(emitted())
                .extracting(MinutePartial::pair)
                .containsExactly(
                        pair("ws_a", "src_new_1"),
                        pair("ws_a", "src_new_2"),
                        PairKey.overflow("ws_a"));
    }

    @Test
    void shouldKeepTheAdmittedPairsAcrossACheckpoint() throws Exception {
        for (int i = 0; i < CAP; i++) {
            send(single("ws_a", "src_" + i, M0));
        }
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();
        harness = newHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();

        send(single("ws_a", "src_2", M0 + 60_000));
        send(single("ws_a", "src_9", M0 + 60_000));

        assertThat(emitted())
                .extracting(MinutePartial::pair)
                .containsExactly(pair("ws_a", "src_2"), PairKey.overflow("ws_a"));
    }

    private void send(MinutePartial p) throws Exception {
        harness.processElement(new StreamRecord<>(p, p.minuteStartMs()));
    }

    private List<MinutePartial> emitted() {
        List<MinutePartial> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((MinutePartial) r.getValue());
            }
        }
        return out;
    }

    private static PairKey pair(String ws, String src) {
        return new PairKey(ws, src, "dst_x");
    }

    private static MinutePartial single(String ws, String src, long minute) {
        return MinutePartial.of(
                anAttempt().pair(ws, src, "dst_x").at(Instant.ofEpochMilli(minute)).delivered());
    }

    private static MinutePartial bucket(String ws, String src, long minute, int attempts) {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < attempts; i++) {
            b.add(
                    anAttempt()
                            .pair(ws, src, "dst_x")
                            .at(Instant.ofEpochMilli(minute + i))
                            .delivered());
        }
        return new MinutePartial(pair(ws, src), minute, b, null, "webhook");
    }
}
