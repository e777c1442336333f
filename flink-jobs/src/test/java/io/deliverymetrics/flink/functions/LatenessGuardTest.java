package io.deliverymetrics.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.flink.DeliveryMetricsJob;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class LatenessGuardTest {

    private static final Duration LATENESS = Duration.ofSeconds(30);

    @Test
    void shouldDivertARecordForAClosedMinuteEvenRightAfterARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<DeliveryAttempt, DeliveryAttempt> before =
                harness()) {
            before.open();
            before.processWatermark(new Watermark(at("12:05:00")));
            snapshot = before.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<DeliveryAttempt, DeliveryAttempt> after =
                harness()) {
            after.initializeState(snapshot);
            after.open();
            // No watermark has arrived since the restore; 12:03 closed at 12:04:29.999.
            after.processElement(record("12:03:10"));
            after.processElement(record("12:04:40"));

            assertThat(after.getSideOutput(DeliveryMetricsJob.LATE))
                    .extracting(r -> r.getValue().completedAt())
                    .containsExactly(Instant.ofEpochMilli(at("12:03:10")));
            assertThat(after.extractOutputValues())
                    .extracting(DeliveryAttempt::completedAt)
                    .containsExactly(Instant.ofEpochMilli(at("12:04:40")));
        }
    }

    @Test
    void shouldLetEverythingThroughOnAFreshStartUntilAWatermarkArrives() throws Exception {
        try (OneInputStreamOperatorTestHarness<DeliveryAttempt, DeliveryAttempt> h = harness()) {
            h.open();
            h.processElement(record("11:00:00"));
            assertThat(h.extractOutputValues()).hasSize(1);

            h.processWatermark(new Watermark(at("11:02:00")));
            h.processElement(record("11:00:59"));
            h.processElement(record("11:01:20"));
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(h.getSideOutput(DeliveryMetricsJob.LATE)).hasSize(1);
        }
    }

    private static OneInputStreamOperatorTestHarness<DeliveryAttempt, DeliveryAttempt> harness()
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new LatenessGuard(DeliveryMetricsJob.LATE, LATENESS));
    }

    private static StreamRecord<DeliveryAttempt> record(String time) {
        Instant t = Instant.ofEpochMilli(at(time));
        return new StreamRecord<>(
                new DeliveryAttempt(
                        "ws",
                        "src",
                        "dst",
                        "e" + time,
                        1,
                        Outcome.DELIVERED,
                        null,
                        t.minusMillis(100),
                        t),
                t.toEpochMilli());
    }

    private static long at(String time) {
        return Instant.parse("2026-11-26T" + time + "Z").toEpochMilli();
    }
}
