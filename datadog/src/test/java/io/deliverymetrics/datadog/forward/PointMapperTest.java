package io.deliverymetrics.datadog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.datadog.model.DeliveryMetric;
import io.deliverymetrics.datadog.model.OutgoingPoint;
import io.deliverymetrics.datadog.model.PairMinute;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PointMapperTest {

    private static final Instant MINUTE = Instant.parse("2026-11-26T11:58:00Z");

    @Test
    void shouldEmitOnePointPerDefinedMetricAtTheBucketStartWithPairTags() {
        PairMinute m =
                new PairMinute(
                        "src_web",
                        "dst_amp",
                        MINUTE,
                        false,
                        Map.of(
                                DeliveryMetric.SUCCESSES, 118.0,
                                DeliveryMetric.DISCARDED, 0.0,
                                DeliveryMetric.LATENCY_P95, 812.4));

        List<OutgoingPoint> points =
                new PointMapper(List.of("env:prod")).points("ws_acme", List.of(m));

        assertThat(points).hasSize(3);
        assertThat(points)
                .allSatisfy(
                        p -> {
                            assertThat(p.timestamp()).isEqualTo(MINUTE);
                            assertThat(p.series().tags())
                                    .containsExactly(
                                            "workspace:ws_acme",
                                            "source:src_web",
                                            "destination:dst_amp",
                                            "env:prod");
                        });
        assertThat(points)
                .extracting(p -> p.series().metric().datadogName(), OutgoingPoint::value)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("event_delivery.successes", 118.0),
                        org.assertj.core.groups.Tuple.tuple("event_delivery.discarded", 0.0),
                        org.assertj.core.groups.Tuple.tuple("event_delivery.latency.p95", 812.4));
    }

    @Test
    void shouldSkipPartialBuckets() {
        PairMinute partial =
                new PairMinute("src", "dst", MINUTE, true, Map.of(DeliveryMetric.SUCCESSES, 3.0));

        assertThat(new PointMapper(List.of()).points("ws", List.of(partial))).isEmpty();
    }

    @Test
    void shouldAskTheApiForExactlyTheForwardedMetrics() {
        assertThat(DeliveryMetric.apiParameter())
                .isEqualTo(
                        "successes,retried,discarded,expired,filtered,latency_p50,latency_p95,latency_p99");
    }
}
