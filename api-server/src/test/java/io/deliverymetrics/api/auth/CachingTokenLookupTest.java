package io.deliverymetrics.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TokenLookup source =
            id -> {
                lookups.add(id);
                return Optional.ofNullable(stored.get(id));
            };

    private static StoredToken token(String id, Instant revokedAt) {
        return new StoredToken(id, new byte[32], "ws_a", false, "", Instant.EPOCH, revokedAt);
    }

    private CachingTokenLookup cache(Duration maxAge) {
        return new CachingTokenLookup(source, maxAge, () -> nanos, registry);
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
    void shouldRefuseARepeatedUnknownIdWithoutALookupUntilTheMaximumAge() {
        CachingTokenLookup cache = cache(Duration.ofSeconds(5));

        Optional<StoredToken> first = cache.find("b");
        stored.put("b", token("b", null));
        Optional<StoredToken> withinAge = cache.find("b");
        nanos += Duration.ofSeconds(5).toNanos();
        Optional<StoredToken> after = cache.find("b");

        assertThat(first).isEmpty();
        assertThat(withinAge).isEmpty();
        assertThat(after).isPresent();
        assertThat(lookups).containsExactly("b", "b");
    }

    @Test
    void shouldCountEveryLookupByWhetherTheIdWasFound() {
        stored.put("a", token("a", null));
        CachingTokenLookup cache = cache(Duration.ofSeconds(5));

        cache.find("a");
        cache.find("a");
        cache.find("x");
        cache.find("y");
        cache.find("y");

        assertThat(lookupCount("found")).isEqualTo(1);
        assertThat(lookupCount("unknown")).isEqualTo(2);
    }

    @Test
    void shouldKeepValidTokensWhenAFloodOfUnknownIdsOverflowsItsCache() {
        stored.put("a", token("a", null));
        CachingTokenLookup cache = cache(Duration.ofSeconds(5));
        cache.find("a");

        for (int i = 0; i <= CachingTokenLookup.MAX_ENTRIES; i++) {
            cache.find("unknown" + i);
        }
        lookups.clear();

        assertThat(cache.knownValid("a")).isTrue();
        assertThat(cache.find("a")).isPresent();
        assertThat(lookups).isEmpty();
    }

    @Test
    void shouldKnowATokenAsValidOnlyWhileItsFoundEntryIsFresh() {
        stored.put("a", token("a", null));
        CachingTokenLookup cache = cache(Duration.ofSeconds(5));

        boolean before = cache.knownValid("a");
        cache.find("a");
        cache.find("x");
        boolean fresh = cache.knownValid("a");
        boolean unknownId = cache.knownValid("x");
        nanos += Duration.ofSeconds(5).toNanos();
        boolean stale = cache.knownValid("a");

        assertThat(before).isFalse();
        assertThat(fresh).isTrue();
        assertThat(unknownId).isFalse();
        assertThat(stale).isFalse();
    }

    private double lookupCount(String result) {
        return registry.get("delivery.metrics.api.token.lookups")
                .tag("result", result)
                .counter()
                .count();
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
