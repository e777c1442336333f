package io.deliverymetrics.bench.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecomputeSplitTest {

    private static final long MS = 1_000_000;

    @Test
    void shouldCountRequestsInFlightWhenTheFirstAnswerWithANewValueArrivedAsWaiting() {
        List<RecomputeSplit.Sample> samples =
                List.of(
                        sample(true, 0, 2, "12:00"),
                        // The move to 12:01: the first request computes it (0 → 50 ms) and two
                        // sent during the computation wait for it.
                        sample(true, 3, 50, "12:01"),
                        sample(true, 10, 51, "12:01"),
                        sample(true, 50, 52, "12:01"),
                        // Sent after the first answer with 12:01 arrived: cached.
                        sample(true, 51, 53, "12:01"),
                        sample(true, 60, 61, "12:01"));

        RecomputeSplit.Result r = RecomputeSplit.split(samples, "12:00");

        assertThat(r.recomputations()).isEqualTo(1);
        assertThat(r.waited().getTotalCount()).isEqualTo(3);
        assertThat(r.others().getTotalCount()).isEqualTo(3);
        assertThat(r.all().getTotalCount()).isEqualTo(6);
        assertThat(r.waited().getMaxValue()).isBetween(47 * MS, 48 * MS);
    }

    @Test
    void shouldNotCountValuesFirstAnsweredInTheWarmUp() {
        List<RecomputeSplit.Sample> samples =
                List.of(
                        sample(false, 0, 40, "12:01"),
                        sample(true, 41, 42, "12:01"),
                        sample(true, 43, 44, "12:01"));

        RecomputeSplit.Result r = RecomputeSplit.split(samples, "12:00");

        assertThat(r.recomputations()).isZero();
        assertThat(r.waited().getTotalCount()).isZero();
        assertThat(r.others().getTotalCount()).isEqualTo(2);
    }

    @Test
    void shouldReadCompleteThroughFromTheAnswer() {
        byte[] body =
                "{\"complete_through\":\"2026-11-26T12:00:00Z\",\"horizon\":{}}"
                        .getBytes(StandardCharsets.UTF_8);
        byte[] spaced =
                "{\"complete_through\": null, \"destinations\": []}"
                        .getBytes(StandardCharsets.UTF_8);

        assertThat(RecomputeSplit.completeThrough(body)).isEqualTo("2026-11-26T12:00:00Z");
        assertThat(RecomputeSplit.completeThrough(spaced)).isEqualTo("null");
        assertThat(RecomputeSplit.completeThrough(new byte[0])).isEmpty();
    }

    private static RecomputeSplit.Sample sample(
            boolean measured, long sentMs, long receivedMs, String completeThrough) {
        return new RecomputeSplit.Sample(measured, sentMs * MS, receivedMs * MS, completeThrough);
    }
}
