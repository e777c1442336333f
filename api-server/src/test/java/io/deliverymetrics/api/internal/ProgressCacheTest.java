package io.deliverymetrics.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.time.Completeness;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ProgressCacheTest {

    private static final Completeness T1 =
            new Completeness(
                    Instant.parse("2026-11-26T12:00:00Z"), Instant.parse("2026-11-26T11:59:00Z"));
    private static final Completeness T2 =
            new Completeness(
                    Instant.parse("2026-11-26T12:01:00Z"), Instant.parse("2026-11-26T12:00:00Z"));

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void shouldReuseAShardsValueUntilItIsMaxAgeOldThenReadAgain() {
        ProgressCache cache = new ProgressCache(2, Duration.ofSeconds(1), nanos::get);

        assertThat(cache.get(0, reading(T1))).contains(T1);
        nanos.addAndGet(999_999_999L);
        assertThat(cache.get(0, reading(T2))).contains(T1);
        assertThat(reads).hasValue(1);
        nanos.addAndGet(1);
        assertThat(cache.get(0, reading(T2))).contains(T2);
        assertThat(reads).hasValue(2);
    }

    @Test
    void shouldKeepOneValuePerShard() {
        ProgressCache cache = new ProgressCache(2, Duration.ofSeconds(1), nanos::get);

        assertThat(cache.get(0, reading(T1))).contains(T1);
        assertThat(cache.get(1, reading(T2))).contains(T2);
        assertThat(cache.get(0, reading(T2))).contains(T1);
        assertThat(reads).hasValue(2);
    }

    @Test
    void shouldReuseAnEmptyProgressToo() {
        ProgressCache cache = new ProgressCache(1, Duration.ofSeconds(1), nanos::get);

        assertThat(cache.get(0, reading(null))).isEmpty();
        assertThat(cache.get(0, reading(T1))).isEmpty();
        assertThat(reads).hasValue(1);
    }

    @Test
    void shouldReadOnEveryCallWithMaxAgeZero() {
        ProgressCache cache = new ProgressCache(1, Duration.ZERO, nanos::get);

        assertThat(cache.get(0, reading(T1))).contains(T1);
        assertThat(cache.get(0, reading(T2))).contains(T2);
        assertThat(reads).hasValue(2);
    }

    @Test
    void shouldRefuseANegativeMaxAge() {
        assertThatThrownBy(() -> new ProgressCache(1, Duration.ofMillis(-1), nanos::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAge");
    }

    private Supplier<Optional<Completeness>> reading(Completeness value) {
        return () -> {
            reads.incrementAndGet();
            return Optional.ofNullable(value);
        };
    }
}
