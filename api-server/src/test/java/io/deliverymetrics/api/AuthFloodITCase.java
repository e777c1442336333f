package io.deliverymetrics.api;

import static io.deliverymetrics.api.TimeseriesITCase.timeseries;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.auth.ApiToken;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A flood of well-formed random tokens from one address turns into 429s, not into lookups in the
 * control database. The server's clock is fixed, so the address earns no attempts back during the
 * test: the lookups are its failure burst, plus at most one per request in flight when the last
 * failure was charged (only failures are charged, after their lookup), so at most burst + clients -
 * 1.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthFloodITCase {

    private static final int FAILURE_BURST = 10;
    private static final int FLOOD = 10_000;
    private static final int CLIENTS = 8;

    private final TestDeployment api;

    AuthFloodITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api =
                TestDeployment.start(
                        db,
                        names,
                        observed,
                        Map.of(
                                "auth.failure-burst", Integer.toString(FAILURE_BURST),
                                "auth.failures-per-minute", "1",
                                // Long enough that the token checked before the flood is still
                                // cached after it, however slow the machine.
                                "auth.token-cache-max-age", "30m"));
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldLookUpAtMostTheFailureBurstPlusTheRequestsInFlightOfTenThousandRandomTokens()
            throws Exception {
        String ws = api.workspaceOnShard(0);
        String cachedToken = api.token(ws);
        String uncachedToken = api.token(ws);
        assertThat(api.get(timeseries(ws), cachedToken).status()).isEqualTo(200);
        double lookupsBefore = lookups();

        List<HttpResult> answers = flood(ws);

        long unauthorized = answers.stream().filter(r -> r.status() == 401).count();
        List<HttpResult> throttled = answers.stream().filter(r -> r.status() == 429).toList();
        long maxLookups = FAILURE_BURST + CLIENTS - 1;
        assertThat(unauthorized).isBetween((long) FAILURE_BURST, maxLookups);
        assertThat(unauthorized + throttled.size()).isEqualTo(FLOOD);
        assertThat(throttled)
                .allSatisfy(
                        r -> {
                            assertThat(r.header("Retry-After")).isPresent();
                            assertThat(r.contentType()).startsWith("application/problem+json");
                        });
        double lookups = lookups() - lookupsBefore;
        assertThat(lookups).isEqualTo(unauthorized);
        assertThat(counter("delivery_metrics_api_auth_throttled_total"))
                .isEqualTo(throttled.size());
        assertThat(counter("delivery_metrics_api_auth_failures_total{reason=\"invalid\"}"))
                .isEqualTo(unauthorized);

        // The address is throttled now: a token the server already knows still works, an
        // unknown one (even if valid) waits like the flood, at no cost to the database.
        assertThat(api.get(timeseries(ws), cachedToken).status()).isEqualTo(200);
        assertThat(api.get(timeseries(ws), uncachedToken).status()).isEqualTo(429);
        assertThat(lookups() - lookupsBefore).isEqualTo(lookups);
    }

    private List<HttpResult> flood(String ws) throws Exception {
        SecureRandom random = new SecureRandom();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<HttpResult>> sent = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                String guess = ApiToken.generate(random).value();
                sent.add(pool.submit(() -> api.get(timeseries(ws), guess)));
            }
            List<HttpResult> out = new ArrayList<>();
            for (Future<HttpResult> f : sent) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private double lookups() {
        return counter("delivery_metrics_api_token_lookups_total{result=\"found\"}")
                + counter("delivery_metrics_api_token_lookups_total{result=\"unknown\"}");
    }

    private double counter(String series) {
        return Objects.requireNonNull(api.adminSamples().get(series), series);
    }
}
