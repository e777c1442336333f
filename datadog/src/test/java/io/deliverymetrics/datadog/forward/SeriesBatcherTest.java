package io.deliverymetrics.datadog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.datadog.api.client.JSON;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.deliverymetrics.datadog.internal.DatadogClientSink;
import io.deliverymetrics.datadog.model.DeliveryMetric;
import io.deliverymetrics.datadog.model.OutgoingPoint;
import io.deliverymetrics.datadog.model.SeriesBatch;
import io.deliverymetrics.datadog.model.SeriesKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesBatcherTest {

    private static final Instant T0 = Instant.parse("2026-11-26T11:00:00Z");

    /** The Datadog client's own mapper: what the client puts on the wire. */
    private static final com.fasterxml.jackson.databind.ObjectMapper CLIENT_JSON =
            new JSON().getMapper();

    /** {@code pairs} pairs × every metric × {@code minutes} minutes, with awkward values. */
    private static List<OutgoingPoint> points(int pairs, int minutes, Random rnd) {
        List<OutgoingPoint> out = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            List<String> tags =
                    List.of(
                            "workspace:ws_" + "w".repeat(60),
                            "source:src_" + p + "_" + "s".repeat(50),
                            "destination:dst_" + p + "_" + "d".repeat(50));
            for (DeliveryMetric m : DeliveryMetric.of(DeliveryMetric.Scope.PAIR)) {
                for (int t = 0; t < minutes; t++) {
                    double v =
                            m.kind() == DeliveryMetric.Kind.COUNT
                                    ? rnd.nextInt(Integer.MAX_VALUE)
                                    : -Double.MAX_VALUE * rnd.nextDouble();
                    out.add(new OutgoingPoint(new SeriesKey(m, tags), T0.plusSeconds(60L * t), v));
                }
            }
        }
        return out;
    }

    private static int serializedBytes(SeriesBatch batch) throws JsonProcessingException {
        return CLIENT_JSON.writeValueAsBytes(DatadogClientSink.payload(batch)).length;
    }

    @Test
    void shouldPutAtMostMaxSeriesSeriesInOneRequest() {
        List<OutgoingPoint> points = points(200, 1, new Random(1)); // 1,600 series

        List<SeriesBatch> batches = new SeriesBatcher(500, 512_000).batch(points);

        assertThat(batches).hasSize(4);
        assertThat(batches).allSatisfy(b -> assertThat(b.series()).hasSizeLessThanOrEqualTo(500));
        assertThat(batches.stream().mapToInt(SeriesBatch::pointCount).sum())
                .isEqualTo(points.size());
    }

    @Test
    void shouldKeepEveryRealPayloadUnderTheByteLimitAndItsEstimate() throws Exception {
        List<OutgoingPoint> points = points(120, 55, new Random(2));

        List<SeriesBatch> batches = new SeriesBatcher(500, 450_000).batch(points);

        assertThat(batches).hasSizeGreaterThan(1);
        for (SeriesBatch b : batches) {
            int actual = serializedBytes(b);
            assertThat(actual).isLessThanOrEqualTo(b.estimatedBytes());
            assertThat(b.estimatedBytes()).isLessThanOrEqualTo(450_000);
        }
        List<OutgoingPoint> batched = batches.stream().flatMap(b -> b.points().stream()).toList();
        assertThat(batched).hasSameSizeAs(points);
        assertThat(new java.util.HashSet<>(batched)).isEqualTo(new java.util.HashSet<>(points));
    }

    @Test
    void shouldSplitOneLongSeriesAcrossRequests() throws Exception {
        SeriesKey key =
                new SeriesKey(
                        DeliveryMetric.SUCCESSES,
                        List.of("workspace:ws", "source:s", "destination:d"));
        List<OutgoingPoint> points = new ArrayList<>();
        for (int t = 0; t < 1_440; t++) {
            points.add(new OutgoingPoint(key, T0.plusSeconds(60L * t), -Double.MAX_VALUE));
        }

        List<SeriesBatch> batches = new SeriesBatcher(500, 8_192).batch(points);

        assertThat(batches).hasSizeGreaterThan(10);
        for (SeriesBatch b : batches) {
            assertThat(serializedBytes(b)).isLessThanOrEqualTo(8_192);
        }
        assertThat(batches.stream().mapToInt(SeriesBatch::pointCount).sum()).isEqualTo(1_440);
    }
}
