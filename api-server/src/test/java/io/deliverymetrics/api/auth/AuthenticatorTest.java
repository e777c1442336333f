package io.deliverymetrics.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private final SecureRandom random = new SecureRandom();
    private final Map<String, StoredToken> stored = new HashMap<>();
    private final Authenticator authenticator =
            new Authenticator(id -> Optional.ofNullable(stored.get(id)));

    private ApiToken store(String workspace, Instant revokedAt) {
        ApiToken t = ApiToken.generate(random);
        stored.put(
                t.id(),
                new StoredToken(t.id(), t.secretHash(), workspace, "", Instant.EPOCH, revokedAt));
        return t;
    }

    @Test
    void shouldAuthenticateAValidTokenForItsWorkspaceOnly() {
        ApiToken t = store("ws_a", null);

        Authenticator.Result r = authenticator.authenticate("Bearer " + t.value());

        assertThat(r).isInstanceOf(Authenticator.Result.Authenticated.class);
        Authenticator.Principal p = ((Authenticator.Result.Authenticated) r).principal();
        assertThat(p.mayRead("ws_a")).isTrue();
        assertThat(p.mayRead("ws_b")).isFalse();
    }

    @Test
    void shouldAcceptTheSchemeInAnyCase() {
        ApiToken t = store("ws_a", null);

        assertThat(authenticator.authenticate("bearer " + t.value()))
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
            assertThat(authenticator.authenticate(header))
                    .as(String.valueOf(header))
                    .isInstanceOf(Authenticator.Result.Rejected.class);
        }
    }
}
