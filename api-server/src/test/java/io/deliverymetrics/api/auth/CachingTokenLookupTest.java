package io.deliverymetrics.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CachingTokenLookupTest {

    private final Map<String, StoredToken> stored = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();
    private long nanos = 1_000;
    private final TokenLookup source =
            id -> {
                lookups.add(id);
                return Optional.ofNullable(stored.get(id));
            };

    private static StoredToken token(String id, Instant revokedAt) {
        return new StoredToken(id, new byte[32], "ws_a", "", Instant.EPOCH, revokedAt);
    }

    private CachingTokenLookup cache(Duration maxAge) {
        return new CachingTokenLookup(source, maxAge, () -> nanos);
    }

    @Test
    void shouldLookAFoundTokenUpOncePerPeriod() {
        stored.put("a", token("a", null));
        CachingTokenLookup cache = cache(Duration.ofSeconds(5));

        cache.find("a");
        nanos += Duration.ofMillis(4_999).toNanos();
        Optional<StoredToken> reused = cache.find("a");
        nanos += Duration.ofMillis(1).toNanos();
        cache.find("a");

        assertThat(reused).hasValueSatisfying(t -> assertThat(t.id()).isEqualTo("a"));
        assertThat(lookups).containsExactly("a", "a");
    }

    @Test
    void shouldSeeARevocationOnceTheEntryIsOlderThanTheMaximumAge() {
        stored.put("a", token("a", null));
        CachingTokenLookup cache = cache(Duration.ofSeconds(5));
        cache.find("a");
        stored.put("a", token("a", Instant.parse("2026-12-03T00:00:00Z")));

        boolean revokedWithinAge = cache.find("a").orElseThrow().revoked();
        nanos += Duration.ofSeconds(5).toNanos();
        boolean revokedAfter = cache.find("a").orElseThrow().revoked();

        assertThat(revokedWithinAge).isFalse();
        assertThat(revokedAfter).isTrue();
    }

    @Test
    void shouldLookUnknownIdsUpEveryTimeSoANewTokenWorksAtOnce() {
        CachingTokenLookup cache = cache(Duration.ofSeconds(5));

        Optional<StoredToken> before = cache.find("b");
        stored.put("b", token("b", null));
        Optional<StoredToken> after = cache.find("b");

        assertThat(before).isEmpty();
        assertThat(after).isPresent();
        assertThat(lookups).containsExactly("b", "b");
    }

    @Test
    void shouldLookEveryRequestUpWithAZeroMaximumAge() {
        stored.put("a", token("a", null));
        CachingTokenLookup cache = cache(Duration.ZERO);

        cache.find("a");
        cache.find("a");

        assertThat(lookups).containsExactly("a", "a");
    }

    @Test
    void shouldStayBoundedWhenManyTokensAreUsed() {
        CachingTokenLookup cache = cache(Duration.ofSeconds(5));
        for (int i = 0; i <= CachingTokenLookup.MAX_ENTRIES; i++) {
            stored.put("t" + i, token("t" + i, null));
            cache.find("t" + i);
        }
        lookups.clear();

        cache.find("t" + CachingTokenLookup.MAX_ENTRIES);
        cache.find("t0");

        assertThat(lookups).containsExactly("t0");
    }
}
