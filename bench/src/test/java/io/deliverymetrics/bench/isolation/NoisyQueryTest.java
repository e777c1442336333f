package io.deliverymetrics.bench.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.core.time.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the isolation benchmark chooses workspace A's expensive query and shrinks its page. */
class NoisyQueryTest {

    private static final Instant END = Instant.parse("2026-03-02T10:00:00Z");
    private static final int MAX_BYTES = 8 * 1024 * 1024;

    /** The shipped query limits: 1,000 series per page, 200,000 points per page, 8 MiB. */
    private static final ApiConfig.Query LIMITS =
            new ApiConfig.Query(
                    Duration.ofHours(1),
                    Duration.ofDays(1),
                    100,
                    1_000,
                    200_000,
                    Duration.ofSeconds(1),
                    4,
                    1,
                    MAX_BYTES,
                    50_000);

    @Test
    void shouldAskForAsManyMinutesAsThePointCapAllowsAndAsManyPairsAsAPageHolds() {
        NoisyQuery q =
                NoisyQuery.largest(
                        "ws_noisy", END, Duration.ofDays(3), TierPolicy.defaults(), LIMITS, 200);

        assertThat(q.start()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(q.end()).isEqualTo(END);
        assertThat(q.points()).isEqualTo(1_440);
        // 200,000 points per page / 1,440 points per series.
        assertThat(q.limit()).isEqualTo(138);
        assertThat(q.path())
                .isEqualTo(
                        "/v1/workspaces/ws_noisy/delivery-metrics?granularity=minute"
                                + "&start=2026-03-01T10:00:00Z&end=2026-03-02T10:00:00Z"
                                + "&group_by=pair&limit=138");
        assertThat(q.describe()).isEqualTo("24 h minute series, group_by=pair, limit 138");
    }

    @Test
    void shouldAskForNoMorePairsThanTheWorkspaceHas() {
        NoisyQuery q =
                NoisyQuery.largest(
                        "ws_noisy", END, Duration.ofDays(3), TierPolicy.defaults(), LIMITS, 8);

        assertThat(q.limit()).isEqualTo(8);
    }

    @Test
    void shouldStayWithinTheSeededDataAndTheMinuteTiersRetention() {
        NoisyQuery seeded =
                NoisyQuery.largest(
                        "ws_noisy", END, Duration.ofHours(6), TierPolicy.defaults(), LIMITS, 200);
        TierPolicy shortRetention =
                new TierPolicy(
                        Duration.ofHours(12),
                        Duration.ofDays(180),
                        Duration.ofDays(1_095),
                        100_000);
        NoisyQuery retained =
                NoisyQuery.largest(
                        "ws_noisy", END, Duration.ofDays(7), shortRetention, LIMITS, 200);

        assertThat(seeded.points()).isEqualTo(360);
        assertThat(seeded.describe()).startsWith("6 h minute series");
        // The retention counts back from the request, up to an hour after the end of the data.
        assertThat(retained.points()).isEqualTo(11 * 60);
    }

    @Test
    void shouldShrinkThePageByHowFarTheAnswerWasOverTheCapWithAMargin() {
        NoisyQuery q =
                NoisyQuery.largest(
                        "ws_noisy", END, Duration.ofDays(3), TierPolicy.defaults(), LIMITS, 200);

        NoisyQuery smaller = q.shrunk(50_000_000, MAX_BYTES);

        // floor(138 × 0.9 × 8,388,608 / 50,000,000)
        assertThat(smaller.limit()).isEqualTo(20);
        assertThat(smaller.start()).isEqualTo(q.start());
        assertThat(smaller.end()).isEqualTo(q.end());
    }

    @Test
    void shouldKeepAtLeastOneSeries() {
        NoisyQuery q = new NoisyQuery("ws_noisy", END.minus(Duration.ofDays(1)), END, 3);

        assertThat(q.shrunk(100L * MAX_BYTES, MAX_BYTES).limit()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToShrinkAnAnswerWithinTheCap() {
        NoisyQuery q = new NoisyQuery("ws_noisy", END.minus(Duration.ofDays(1)), END, 3);

        assertThatThrownBy(() -> q.shrunk(MAX_BYTES, MAX_BYTES))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFailWhenASingleSeriesIsOverTheCap() {
        NoisyQuery q = new NoisyQuery("ws_noisy", END.minus(Duration.ofDays(1)), END, 1);

        assertThatThrownBy(() -> q.shrunk(MAX_BYTES + 1L, MAX_BYTES))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one series of 1440 points");
    }
}
