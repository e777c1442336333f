package io.deliverymetrics.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.flink.model.MinutePartial;
import io.deliverymetrics.flink.model.MinuteUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class DestinationTypeSightingsTest {

    private static final long M0 = Instant.parse("2026-11-26T12:00:00Z").toEpochMilli();
    private static final long M1 = M0 + 60_000;
    private static final PairKey WEB = new PairKey("ws_a", "src_web", "dst_1");
    private static final PairKey APP = new PairKey("ws_a", "src_app", "dst_1");

    private final DestinationTypeSightings fn = new DestinationTypeSightings();
    private final List<MinuteUpdate> out = new ArrayList<>();

    @Test
    void shouldSendADestinationsTypeOncePerMinuteWhateverPairOrPartialShowsIt() {
        send(WEB, M0, "braze");
        send(APP, M0, "braze");
        send(WEB, M0, "braze");
        send(WEB, M1, "braze");
        send(APP, M0, "braze");

        assertThat(out)
                .extracting(MinuteUpdate::bucketStartMs, MinuteUpdate::destinationType)
                .containsExactly(Tuple.tuple(M0, "braze"), Tuple.tuple(M1, "braze"));
        assertThat(out).allSatisfy(u -> assertThat(u.isDestinationType()).isTrue());
        assertThat(out).allSatisfy(u -> assertThat(u.isAggregate()).isFalse());
    }

    @Test
    void shouldSendANewTypeOfTheSameOrALaterMinuteButNoOlderOne() {
        send(WEB, M1, "braze");
        send(WEB, M1, "amplitude");
        send(WEB, M1, "salesforce");
        send(WEB, M0, "zendesk");

        assertThat(out)
                .extracting(MinuteUpdate::destinationType)
                .containsExactly("braze", "salesforce");
    }

    @Test
    void shouldSendNothingForRecordsWithoutATypeOrForTheOverflowPair() {
        send(WEB, M0, DeliveryAttempt.UNKNOWN_TYPE);
        send(PairKey.overflow("ws_a"), M0, "braze");

        assertThat(out).isEmpty();
    }

    @Test
    void shouldSendAgainOnceADestinationWasForgotten() {
        send(WEB, M0, "braze");
        for (int i = 0; i < DestinationTypeSightings.MAX_REMEMBERED; i++) {
            send(new PairKey("ws_b", "src", "dst_" + i), M0, "braze");
        }
        out.clear();

        send(WEB, M0, "braze");

        assertThat(out).extracting(MinuteUpdate::destinationId).containsExactly("dst_1");
    }

    private void send(PairKey pair, long minuteMs, String type) {
        fn.flatMap(
                new MinutePartial(pair, minuteMs, new MetricBucket(), null, type),
                new Collector<>() {
                    @Override
                    public void collect(MinuteUpdate u) {
                        out.add(u);
                    }

                    @Override
                    public void close() {}
                });
    }
}
