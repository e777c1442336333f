package io.deliverymetrics.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.flink.model.MinuteUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

class EmitMinuteTest {

    private static final PairKey PAIR = new PairKey("ws", "src", "dst");
    private static final Instant MINUTE = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void shouldEmitTheErrorSamplesOnlyWhenSamplesAreEnabled() throws Exception {
        MetricBucket b = new MetricBucket();
        b.add(
                new DeliveryAttempt(
                        "ws",
                        "src",
                        "dst",
                        "e1",
                        1,
                        Outcome.DISCARDED,
                        "http_400",
                        MINUTE.plusSeconds(1),
                        MINUTE.plusSeconds(2),
                        "unknown",
                        "track",
                        "Order Completed",
                        "bad request"));

        MetricBucket with = BucketCodec.decode(emit(new EmitMinute(true, true), b).bucket());
        MetricBucket without = BucketCodec.decode(emit(new EmitMinute(false, true), b).bucket());

        assertThat(with).isEqualTo(b);
        assertThat(with.samples()).hasSize(1);
        assertThat(without.samples()).isEmpty();
        assertThat(without.errors()).isEqualTo(b.errors());
        assertThat(b.samples()).as("the window's own bucket is left alone").hasSize(1);
    }

    @Test
    void shouldEmitTheEventBreakdownOnlyWhenEventsAreEnabled() throws Exception {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < 3; i++) {
            b.add(
                    new DeliveryAttempt(
                            "ws",
                            "src",
                            "dst",
                            "e" + i,
                            1,
                            i == 0 ? Outcome.DISCARDED : Outcome.DELIVERED,
                            i == 0 ? "http_400" : null,
                            MINUTE.plusSeconds(1),
                            MINUTE.plusSeconds(2),
                            "unknown",
                            "track",
                            i == 2 ? "Home" : "Order Completed",
                            null));
        }

        MetricBucket with = BucketCodec.decode(emit(new EmitMinute(true, true), b).bucket());
        MetricBucket without = BucketCodec.decode(emit(new EmitMinute(true, false), b).bucket());

        assertThat(with.events()).hasSize(2);
        assertThat(without.events()).isEmpty();
        assertThat(without.successes()).isEqualTo(2);
        assertThat(without.discarded()).isEqualTo(1);
        assertThat(without.errors()).isEqualTo(b.errors());
        assertThat(b.events()).as("the window's own bucket is left alone").hasSize(2);
    }

    private static MinuteUpdate emit(EmitMinute fn, MetricBucket b) throws Exception {
        TimeWindow window = new TimeWindow(MINUTE.toEpochMilli(), MINUTE.toEpochMilli() + 60_000);
        List<MinuteUpdate> out = new ArrayList<>();
        fn.process(
                PAIR,
                fn.new Context() {
                    @Override
                    public TimeWindow window() {
                        return window;
                    }

                    @Override
                    public long currentProcessingTime() {
                        return 0;
                    }

                    @Override
                    public long currentWatermark() {
                        return 0;
                    }

                    @Override
                    public KeyedStateStore windowState() {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public KeyedStateStore globalState() {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public <X> void output(OutputTag<X> outputTag, X value) {
                        throw new UnsupportedOperationException();
                    }
                },
                List.of(b),
                new Collector<>() {
                    @Override
                    public void collect(MinuteUpdate record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                });
        assertThat(out).hasSize(1);
        return out.get(0);
    }
}
