package io.deliverymetrics.bench.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a window's responses are summarised by kind. */
class StatusCountsTest {

    private static final ResponseKind THROTTLED =
            new ResponseKind(429, "too-many-failed-authentications");
    private static final ResponseKind UNAVAILABLE = new ResponseKind(503, "");

    @Test
    void shouldTellAnsweredFromRefusedByTheBudgetFromOtherResponses() {
        StatusCounts c =
                StatusCounts.of(
                        Map.of(
                                ResponseKind.OK,
                                52L,
                                ResponseKind.BUDGET_REFUSAL,
                                180L,
                                THROTTLED,
                                6L,
                                UNAVAILABLE,
                                3L));

        assertThat(c.total()).isEqualTo(241);
        assertThat(c.answered()).isEqualTo(52);
        assertThat(c.refusedByBudget()).isEqualTo(180);
        assertThat(c.withStatus(429)).isEqualTo(186);
        assertThat(c.other()).isEqualTo(9);
        assertThat(c.count(UNAVAILABLE)).isEqualTo(3);
    }

    @Test
    void shouldDescribeTheCountsInStatusOrderWithTheirProblemTypes() {
        StatusCounts c =
                StatusCounts.of(
                        Map.of(
                                THROTTLED,
                                6L,
                                ResponseKind.BUDGET_REFUSAL,
                                1_800L,
                                ResponseKind.OK,
                                52L));

        assertThat(c.describe())
                .isEqualTo(
                        "200: 52, 429 too-many-concurrent-queries: 1,800,"
                                + " 429 too-many-failed-authentications: 6");
    }

    @Test
    void shouldCountAKindWithoutResponsesAsZeroAndLeaveItOut() {
        StatusCounts c = StatusCounts.of(Map.of(ResponseKind.OK, 10L, THROTTLED, 0L));

        assertThat(c.count(THROTTLED)).isZero();
        assertThat(c.byKind()).containsOnlyKeys(ResponseKind.OK);
        assertThat(c.describe()).isEqualTo("200: 10");
        assertThat(StatusCounts.of(Map.of()).describe()).isEqualTo("no responses");
    }

    @Test
    void shouldRefuseANegativeCount() {
        assertThatThrownBy(() -> StatusCounts.of(Map.of(ResponseKind.OK, -1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("for 200");
    }
}
