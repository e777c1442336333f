package io.deliverymetrics.bench.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How a response is classified by its status and problem type. */
class ResponseKindTest {

    @Test
    void shouldTellTheBudgetsRefusalFromTheAuthenticationThrottle() {
        ResponseKind budget =
                ResponseKind.of(
                        429,
                        body(
                                "{\"type\":\"urn:problem-type:delivery-metrics:"
                                        + "too-many-concurrent-queries\",\"status\":429}"));
        ResponseKind throttled =
                ResponseKind.of(
                        429,
                        body(
                                "{\"type\":\"urn:problem-type:delivery-metrics:"
                                        + "too-many-failed-authentications\",\"status\":429}"));

        assertThat(budget).isEqualTo(ResponseKind.BUDGET_REFUSAL);
        assertThat(budget.label()).isEqualTo("429 too-many-concurrent-queries");
        assertThat(throttled).isNotEqualTo(budget);
        assertThat(throttled.label()).isEqualTo("429 too-many-failed-authentications");
    }

    @Test
    void shouldKeepOnlyTheStatusOfAnAnswerWithoutAProblemTypeOfThisApi() {
        assertThat(ResponseKind.of(503, body("{\"type\":\"about:blank\"}")).label())
                .isEqualTo("503");
        assertThat(ResponseKind.of(502, body("<html>bad gateway</html>")).label()).isEqualTo("502");
        assertThat(ResponseKind.of(500, new byte[0]).label()).isEqualTo("500");
    }

    @Test
    void shouldNotReadTheBodyOfA200() {
        assertThat(ResponseKind.of(200, body("not json"))).isEqualTo(ResponseKind.OK);
    }

    @Test
    void shouldOrderKindsByStatusThenProblem() {
        assertThat(ResponseKind.BUDGET_REFUSAL)
                .isGreaterThan(ResponseKind.OK)
                .isGreaterThan(new ResponseKind(429, ""))
                .isLessThan(new ResponseKind(429, "too-many-failed-authentications"))
                .isLessThan(new ResponseKind(503, ""));
    }

    private static byte[] body(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
