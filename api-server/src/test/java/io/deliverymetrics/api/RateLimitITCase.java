package io.deliverymetrics.api;

import static io.deliverymetrics.api.TimeseriesITCase.timeseries;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.RouteTemplates;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A token bucket of 3 requests refilled at 1 per minute; the server's clock is fixed, so nothing
 * refills during the test.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitITCase {

    private final TestDeployment api;

    RateLimitITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api =
                TestDeployment.start(
                        db,
                        names,
                        observed,
                        Map.of("rate-limit.burst", "3", "rate-limit.requests-per-minute", "1"));
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldCountDownRemainingRequestsThenAnswer429WithRetryAfter() {
        String ws = api.workspaceOnShard(0);
        String token = api.token(ws);

        HttpResult first = api.get(timeseries(ws), token);
        HttpResult second = api.get(timeseries(ws), token);
        HttpResult third = api.get(timeseries(ws), token);
        HttpResult refused = api.get(timeseries(ws), token);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("X-RateLimit-Limit")).hasValue("3");
        assertThat(first.header("X-RateLimit-Remaining")).hasValue("2");
        assertThat(first.header("X-RateLimit-Reset")).hasValue("60");
        assertThat(second.header("X-RateLimit-Remaining")).hasValue("1");
        assertThat(third.status()).isEqualTo(200);
        assertThat(third.header("X-RateLimit-Remaining")).hasValue("0");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).hasValue("60");
        assertThat(refused.header("X-RateLimit-Remaining")).hasValue("0");
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("status").asInt()).isEqualTo(429);
    }

    @Test
    void shouldAnswer429OnEveryV1OperationOnceTheTokensBucketIsEmpty() {
        String ws = api.workspaceOnShard(0);
        String token = api.token(ws);
        for (int i = 0; i < 3; i++) {
            assertThat(api.get(timeseries(ws), token).status()).isEqualTo(200);
        }

        Map<ApiServer.Route, HttpResult> answers =
                api.callEach(RouteTemplates.v1Routes(api.server()), ws, token);

        assertThat(answers)
                .allSatisfy(
                        (route, r) -> {
                            assertThat(r.status()).as("%s", route).isEqualTo(429);
                            assertThat(r.header("Retry-After")).as("%s", route).isPresent();
                            assertThat(r.contentType()).startsWith("application/problem+json");
                        });
    }

    @Test
    void shouldLimitThePublicStatusPerClientAddressWithoutAToken() {
        List<HttpResult> answers = new ArrayList<>();
        for (ApiServer.Route route : RouteTemplates.publicRoutes(api.server())) {
            // The public routes share the address's bucket; a token sent along changes nothing.
            for (int i = 0; i < 4; i++) {
                answers.add(
                        api.get(
                                RouteTemplates.fill(route.path(), "ws_x"),
                                i % 2 == 0 ? null : api.token(api.workspaceOnShard(0))));
            }
        }

        assertThat(answers).hasSize(4);
        assertThat(answers.subList(0, 3)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(answers.get(0).header("X-RateLimit-Remaining")).hasValue("2");
        assertThat(answers.get(3).status()).isEqualTo(429);
        assertThat(answers.get(3).header("Retry-After")).isPresent();
        assertThat(answers.get(3).contentType()).startsWith("application/problem+json");
    }

    @Test
    void shouldLimitEachTokenSeparately() {
        String ws = api.workspaceOnShard(1);
        String busy = api.token(ws);
        String quiet = api.token(ws);
        for (int i = 0; i < 4; i++) {
            api.get(timeseries(ws), busy);
        }

        assertThat(api.get(timeseries(ws), busy).status()).isEqualTo(429);
        assertThat(api.get(timeseries(ws), quiet).status()).isEqualTo(200);
    }
}
