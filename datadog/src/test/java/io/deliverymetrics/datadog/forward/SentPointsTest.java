package io.deliverymetrics.datadog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.datadog.model.DeliveryMetric;
import io.deliverymetrics.datadog.model.OutgoingPoint;
import io.deliverymetrics.datadog.model.SeriesKey;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class SentPointsTest {

    private static final SeriesKey SUCCESSES =
            new SeriesKey(
                    DeliveryMetric.SUCCESSES,
                    List.of("workspace:ws", "source:src", "destination:dst"));
    private static final SeriesKey P95 =
            new SeriesKey(
                    DeliveryMetric.LATENCY_P95,
                    List.of("workspace:ws", "source:src", "destination:dst"));

    private static Instant minute(int m) {
        return Instant.parse("2026-11-26T11:00:00Z").plusSeconds(60L * m);
    }

    private static OutgoingPoint p(SeriesKey s, int minute, double v) {
        return new OutgoingPoint(s, minute(minute), v);
    }

    @Test
    void shouldTreatNeverSentPointsAsUnsent() {
        SentPoints sent = new SentPoints(1_000);

        assertThat(sent.unsent("ws", List.of(p(SUCCESSES, 1, 5)))).hasSize(1);
    }

    @Test
    void shouldNotResendUnchangedValuesButResendCorrectedOnes() {
        SentPoints sent = new SentPoints(1_000);
        sent.record("ws", List.of(p(SUCCESSES, 1, 5), p(SUCCESSES, 2, 7), p(P95, 2, 120.5)));

        List<OutgoingPoint> unsent =
                sent.unsent(
                        "ws",
                        List.of(
                                p(SUCCESSES, 1, 5),
                                p(SUCCESSES, 2, 9),
                                p(P95, 2, 120.5),
                                p(SUCCESSES, 3, 1)));

        assertThat(unsent).containsExactly(p(SUCCESSES, 2, 9), p(SUCCESSES, 3, 1));
    }

    @Test
    void shouldKeepWorkspacesApart() {
        SentPoints sent = new SentPoints(1_000);
        sent.record("ws_a", List.of(p(SUCCESSES, 1, 5)));

        assertThat(sent.unsent("ws_b", List.of(p(SUCCESSES, 1, 5)))).hasSize(1);
    }

    @Test
    void shouldEvictMinutesBeforeTheWindow() {
        SentPoints sent = new SentPoints(1_000);
        sent.record("ws", List.of(p(SUCCESSES, 1, 5), p(SUCCESSES, 2, 5), p(P95, 2, 3)));

        sent.evictBefore("ws", minute(2));

        assertThat(sent.size("ws")).isEqualTo(2);
        assertThat(sent.unsent("ws", List.of(p(SUCCESSES, 1, 5)))).hasSize(1);
        assertThat(sent.digests("ws")).containsOnlyKeys(minute(2));
    }

    @Test
    void shouldDropTheOldestMinutesWhenOverItsBound() {
        SentPoints sent = new SentPoints(4);
        for (int m = 0; m < 5; m++) {
            sent.record("ws", List.of(p(SUCCESSES, m, m), p(P95, m, m)));
        }

        assertThat(sent.size("ws")).isLessThanOrEqualTo(4);
        assertThat(sent.digests("ws")).containsOnlyKeys(minute(3), minute(4));
    }

    @Test
    void shouldDigestAMinuteIndependentlyOfOrder() {
        SentPoints a = new SentPoints(1_000);
        SentPoints b = new SentPoints(1_000);
        a.record("ws", List.of(p(SUCCESSES, 1, 5), p(P95, 1, 2.5)));
        b.record("ws", List.of(p(P95, 1, 2.5), p(SUCCESSES, 1, 5)));

        assertThat(a.digests("ws")).isEqualTo(b.digests("ws"));
    }

    @Test
    void shouldRestoreMinutesWhoseValuesMatchTheStoredDigestOnly() {
        SentPoints before = new SentPoints(1_000);
        before.record("ws", List.of(p(SUCCESSES, 1, 5), p(SUCCESSES, 2, 7)));
        SortedMap<Instant, String> stored = before.digests("ws");

        SentPoints after = new SentPoints(1_000);
        List<OutgoingPoint> reread =
                List.of(p(SUCCESSES, 1, 5), p(SUCCESSES, 2, 8), p(SUCCESSES, 3, 1));
        int restored = after.restore("ws", stored, reread);

        assertThat(restored).isEqualTo(1);
        assertThat(after.unsent("ws", reread))
                .containsExactly(p(SUCCESSES, 2, 8), p(SUCCESSES, 3, 1));
    }
}
