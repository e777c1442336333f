package io.deliverymetrics.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ApiTokenTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void shouldParseWhatItGenerates() {
        ApiToken t = ApiToken.generate(random);

        assertThat(t.value()).startsWith("dm_" + t.id() + ".");
        assertThat(ApiToken.parse(t.value())).contains(t);
        assertThat(ApiToken.parseId("dm_" + t.id())).contains(t.id());
        assertThat(ApiToken.parseId(t.id())).contains(t.id());
    }

    @Test
    void shouldMatchOnlyItsOwnSecretHash() {
        ApiToken t = ApiToken.generate(random);
        ApiToken other = new ApiToken(t.id(), ApiToken.generate(random).secret());

        assertThat(t.matches(t.secretHash())).isTrue();
        assertThat(other.matches(t.secretHash())).isFalse();
        assertThat(t.secretHash()).hasSize(32);
    }

    @Test
    void shouldRejectAnythingNotShapedLikeAToken() {
        ApiToken t = ApiToken.generate(random);

        assertThat(ApiToken.parse(null)).isEmpty();
        assertThat(ApiToken.parse("")).isEmpty();
        assertThat(ApiToken.parse(t.value() + "x")).isEmpty();
        assertThat(ApiToken.parse(t.value().replace("dm_", "xx_"))).isEmpty();
        assertThat(ApiToken.parse(t.value().toUpperCase())).isEmpty();
        assertThat(ApiToken.parseId("not hex")).isEmpty();
    }

    @Test
    void shouldNeverPrintTheSecret() {
        ApiToken t = ApiToken.generate(random);

        assertThat(t.toString()).contains(t.id()).doesNotContain(t.secret());
    }
}
