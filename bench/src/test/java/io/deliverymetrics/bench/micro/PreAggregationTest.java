package io.deliverymetrics.bench.micro;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.model.AttemptBuilder;
import org.junit.jupiter.api.Test;

class PreAggregationTest {

    @Test
    void shouldOpenOnePartialPerPairAndMinute() {
        PreAggregation p = new PreAggregation(100);

        assertThat(
                        p.add(
                                AttemptBuilder.anAttempt()
                                        .pair("ws", "a", "b")
                                        .at("12:00:01")
                                        .delivered()))
                .isEqualTo(1);
        assertThat(p.add(AttemptBuilder.anAttempt().pair("ws", "a", "b").at("12:00:59").retrying()))
                .isEqualTo(1);
        assertThat(
                        p.add(
                                AttemptBuilder.anAttempt()
                                        .pair("ws", "a", "c")
                                        .at("12:00:30")
                                        .delivered()))
                .isEqualTo(2);
        assertThat(
                        p.add(
                                AttemptBuilder.anAttempt()
                                        .pair("ws", "a", "b")
                                        .at("12:01:00")
                                        .delivered()))
                .isEqualTo(3);
        assertThat(
                        p.add(
                                AttemptBuilder.anAttempt()
                                        .pair("ws", "a", "b")
                                        .at("12:00:02")
                                        .delivered()))
                .isEqualTo(3);
        assertThat(p.flushes()).isZero();
    }

    @Test
    void shouldDropEverythingOnceTheEntryCapIsReached() {
        PreAggregation p = new PreAggregation(2);

        p.add(AttemptBuilder.anAttempt().pair("ws", "a", "b").at("12:00:01").delivered());
        int open =
                p.add(AttemptBuilder.anAttempt().pair("ws", "a", "c").at("12:00:01").delivered());

        assertThat(open).isZero();
        assertThat(p.flushes()).isEqualTo(1);
        assertThat(
                        p.add(
                                AttemptBuilder.anAttempt()
                                        .pair("ws", "a", "b")
                                        .at("12:00:02")
                                        .delivered()))
                .isEqualTo(1);
    }
}
