package io.deliverymetrics.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TokenBucketLimiterTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-26T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();

    @Test
    void shouldAllowTheBurstThenRefuseWithRetryAfter() {
        TokenBucketLimiter limiter = new TokenBucketLimiter(3, 60, clock);

        assertThat(limiter.acquire("t").remaining()).isEqualTo(2);
        assertThat(limiter.acquire("t").remaining()).isEqualTo(1);
        TokenBucketLimiter.Decision last = limiter.acquire("t");
        TokenBucketLimiter.Decision refused = limiter.acquire("t");

        assertThat(last.allowed()).isTrue();
        assertThat(last.remaining()).isZero();
        assertThat(last.resetSeconds()).isEqualTo(3);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.limit()).isEqualTo(3);
    }

    @Test
    void shouldRefillAtTheConfiguredRateUpToTheBurst() {
        TokenBucketLimiter limiter = new TokenBucketLimiter(2, 6, clock);
        limiter.acquire("t");
        limiter.acquire("t");
        assertThat(limiter.acquire("t").allowed()).isFalse();

        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.acquire("t").allowed()).isTrue();
        assertThat(limiter.acquire("t").allowed()).isFalse();

        clock.advance(Duration.ofHours(1));
        assertThat(limiter.acquire("t").remaining()).isEqualTo(1);
    }

    @Test
    void shouldKeepSeparateBucketsPerKey() {
        TokenBucketLimiter limiter = new TokenBucketLimiter(1, 1, clock);

        assertThat(limiter.acquire("a").allowed()).isTrue();
        assertThat(limiter.acquire("a").allowed()).isFalse();
        assertThat(limiter.acquire("b").allowed()).isTrue();
    }

    @Test
    void shouldPeekAtABucketWithoutTakingFromIt() {
        TokenBucketLimiter limiter = new TokenBucketLimiter(2, 60, clock);

        TokenBucketLimiter.Decision unseen = limiter.peek("k");
        limiter.acquire("k");
        limiter.acquire("k");
        TokenBucketLimiter.Decision empty = limiter.peek("k");
        TokenBucketLimiter.Decision stillEmpty = limiter.peek("k");
        clock.advance(Duration.ofSeconds(1));
        TokenBucketLimiter.Decision refilled = limiter.peek("k");

        assertThat(unseen.allowed()).isTrue();
        assertThat(unseen.remaining()).isEqualTo(2);
        assertThat(empty.allowed()).isFalse();
        assertThat(empty.retryAfterSeconds()).isEqualTo(1);
        assertThat(stillEmpty.remaining()).isZero();
        assertThat(refilled.allowed()).isTrue();
        assertThat(refilled.remaining()).isEqualTo(1);
    }
}
