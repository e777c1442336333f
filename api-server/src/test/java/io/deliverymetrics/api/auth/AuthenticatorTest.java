package io.deliverymetrics.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private static final String CLIENT = "192.0.2.1";

    private final SecureRandom random = new SecureRandom();
    private final Map<String, StoredToken> stored = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Authenticator authenticator = authenticator(Duration.ZERO, 1_000);

    private Authenticator authenticator(Duration cacheMaxAge, int failureBurst) {
        TokenLookup source =
                id -> {
                    lookups.add(id);
                    return Optional.ofNullable(stored.get(id));
                };
        // A fixed clock: a client address never earns failed attempts back within a test.
        return new Authenticator(
                new CachingTokenLookup(source, cacheMaxAge, System::nanoTime, registry),
                new TokenBucketLimiter(
                        failureBurst, 30, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)),
                registry);
    }

    private ApiToken store(String workspace, Instant revokedAt) {
        ApiToken t = ApiToken.generate(random);
        stored.put(
                t.id(),
                new StoredToken(
                        t.id(), t.secretHash(), workspace, false, "", Instant.EPOCH, revokedAt));
        return t;
    }

    @Test
    void shouldAuthenticateAnOperatorTokenThatReadsNoWorkspace() {
        ApiToken t = ApiToken.generate(random);
        stored.put(
                t.id(),
                new StoredToken(t.id(), t.secretHash(), null, true, "", Instant.EPOCH, null));

        Authenticator.Result r = authenticator.authenticate("Bearer " + t.value(), CLIENT);

        assertThat(r).isInstanceOf(Authenticator.Result.Authenticated.class);
        Authenticator.Principal p = ((Authenticator.Result.Authenticated) r).principal();
        assertThat(p.operator()).isTrue();
        assertThat(p.workspaceId()).isNull();
        assertThat(p.mayRead("ws_a")).isFalse();
    }

    @Test
    void shouldAuthenticateAValidTokenForItsWorkspaceOnly() {
        ApiToken t = store("ws_a", null);

        Authenticator.Result r = authenticator.authenticate("Bearer " + t.value(), CLIENT);

        assertThat(r).isInstanceOf(Authenticator.Result.Authenticated.class);
        Authenticator.Principal p = ((Authenticator.Result.Authenticated) r).principal();
        assertThat(p.mayRead("ws_a")).isTrue();
        assertThat(p.mayRead("ws_b")).isFalse();
        assertThat(p.operator()).isFalse();
    }

    @Test
    void shouldAcceptTheSchemeInAnyCase() {
        ApiToken t = store("ws_a", null);

        assertThat(authenticator.authenticate("bearer " + t.value(), CLIENT))
                .isInstanceOf(Authenticator.Result.Authenticated.class);
    }

    @Test
    void shouldRejectMissingMalformedUnknownRevokedAndWrongSecretTokens() {
        ApiToken valid = store("ws_a", null);
        ApiToken revoked = store("ws_a", Instant.parse("2026-11-01T00:00:00Z"));
        ApiToken wrongSecret = new ApiToken(valid.id(), ApiToken.generate(random).secret());

        for (String header :
                new String[] {
                    null,
                    "",
                    "Bearer",
                    "Basic " + valid.value(),
                    "Bearer garbage",
                    "Bearer " + ApiToken.generate(random).value(),
                    "Bearer " + revoked.value(),
                    "Bearer " + wrongSecret.value()
                }) {
            assertThat(authenticator.authenticate(header, CLIENT))
                    .as(String.valueOf(header))
                    .isInstanceOf(Authenticator.Result.Rejected.class);
        }
        assertThat(failures("missing")).isEqualTo(2);
        assertThat(failures("malformed")).isEqualTo(3);
        assertThat(failures("invalid")).isEqualTo(3);
    }

    @Test
    void shouldThrottleAnAddressAfterItsFailureBurstWithoutLookingTokensUp() {
        Authenticator a = authenticator(Duration.ofSeconds(5), 3);
        ApiToken valid = store("ws_a", null);

        List<Authenticator.Result> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(a.authenticate("Bearer " + ApiToken.generate(random).value(), CLIENT));
        }
        Authenticator.Result validFromThrottledAddress =
                a.authenticate("Bearer " + valid.value(), CLIENT);
        Authenticator.Result validFromOtherAddress =
                a.authenticate("Bearer " + valid.value(), "192.0.2.2");

        assertThat(results.subList(0, 3))
                .allSatisfy(r -> assertThat(r).isInstanceOf(Authenticator.Result.Rejected.class));
        assertThat(results.subList(3, 20))
                .allSatisfy(
                        r ->
                                assertThat(r)
                                        .isInstanceOfSatisfying(
                                                Authenticator.Result.Throttled.class,
                                                t ->
                                                        assertThat(t.retryAfterSeconds())
                                                                .isPositive()));
        assertThat(validFromThrottledAddress).isInstanceOf(Authenticator.Result.Throttled.class);
        assertThat(validFromOtherAddress).isInstanceOf(Authenticator.Result.Authenticated.class);
        assertThat(lookups).hasSize(3 + 1);
        assertThat(registry.get("delivery.metrics.api.auth.throttled").counter().count())
                .isEqualTo(18);
    }

    @Test
    void shouldStillAcceptATokenCachedAsValidFromAThrottledAddress() {
        Authenticator a = authenticator(Duration.ofSeconds(5), 2);
        ApiToken valid = store("ws_a", null);
        a.authenticate("Bearer " + valid.value(), CLIENT);
        a.authenticate("Bearer " + ApiToken.generate(random).value(), CLIENT);
        a.authenticate("Bearer " + ApiToken.generate(random).value(), CLIENT);
        ApiToken wrongSecret = new ApiToken(valid.id(), ApiToken.generate(random).secret());

        Authenticator.Result cached = a.authenticate("Bearer " + valid.value(), CLIENT);
        Authenticator.Result guessedSecret =
                a.authenticate("Bearer " + wrongSecret.value(), CLIENT);
        Authenticator.Result unknown =
                a.authenticate("Bearer " + ApiToken.generate(random).value(), CLIENT);

        assertThat(cached).isInstanceOf(Authenticator.Result.Authenticated.class);
        assertThat(guessedSecret).isInstanceOf(Authenticator.Result.Rejected.class);
        assertThat(unknown).isInstanceOf(Authenticator.Result.Throttled.class);
    }

    @Test
    void shouldNeverChargeAnAddressForValidTokensHoweverManyArriveBeforeAnyIsCached() {
        Authenticator a = authenticator(Duration.ofSeconds(5), 2);
        List<ApiToken> valid = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            valid.add(store("ws_" + i, null));
        }

        List<Authenticator.Result> results = new ArrayList<>();
        for (ApiToken t : valid) {
            results.add(a.authenticate("Bearer " + t.value(), CLIENT));
        }
        Authenticator.Result guess =
                a.authenticate("Bearer " + ApiToken.generate(random).value(), CLIENT);

        assertThat(results)
                .allSatisfy(
                        r -> assertThat(r).isInstanceOf(Authenticator.Result.Authenticated.class));
        assertThat(guess).isInstanceOf(Authenticator.Result.Rejected.class);
    }

    private double failures(String reason) {
        return registry.get("delivery.metrics.api.auth.failures")
                .tag("reason", reason)
                .counter()
                .count();
    }
}
