package io.deliverymetrics.api.auth;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token-bucket rate limiter per key (an API token id, or a client address): {@code burst}
 * requests at once, refilled at {@code requestsPerMinute}.
 *
 * <p>Buckets that have refilled completely are equivalent to absent ones, so they are dropped when
 * the map grows, which keeps memory bounded by the number of recently active keys.
 */
public final class TokenBucketLimiter {

    private static final int PRUNE_ABOVE = 10_000;

    private final int burst;
    private final double tokensPerMilli;
    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBucketLimiter(int burst, int requestsPerMinute, Clock clock) {
        if (burst < 1 || requestsPerMinute < 1) {
            throw new IllegalArgumentException("burst and requestsPerMinute must be positive");
        }
        this.burst = burst;
        this.tokensPerMilli = requestsPerMinute / 60_000.0;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The outcome of one request.
     *
     * @param limit the burst capacity
     * @param remaining whole requests left right now
     * @param resetSeconds seconds until the bucket is full again
     * @param retryAfterSeconds when refused, seconds until one request is allowed; else 0
     */
    public record Decision(
            boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {}

    /** Takes one token from {@code key}'s bucket if there is one. */
    public Decision acquire(String key) {
        long now = clock.millis();
        if (buckets.size() > PRUNE_ABOVE) {
            prune(now);
        }
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        synchronized (b) {
            b.refill(now, burst, tokensPerMilli);
            boolean allowed = b.tokens >= 1.0;
            if (allowed) {
                b.tokens -= 1.0;
            }
            long reset = secondsFor(burst - b.tokens);
            long retryAfter = allowed ? 0 : Math.max(1, secondsFor(1.0 - b.tokens));
            return new Decision(allowed, burst, (int) Math.floor(b.tokens), reset, retryAfter);
        }
    }

    /** What {@link #acquire} would decide for {@code key} now, without taking a token. */
    public Decision peek(String key) {
        long now = clock.millis();
        Bucket b = buckets.get(key);
        if (b == null) {
            return new Decision(true, burst, burst, 0, 0);
        }
        synchronized (b) {
            b.refill(now, burst, tokensPerMilli);
            boolean allowed = b.tokens >= 1.0;
            long reset = secondsFor(burst - b.tokens);
            long retryAfter = allowed ? 0 : Math.max(1, secondsFor(1.0 - b.tokens));
            return new Decision(allowed, burst, (int) Math.floor(b.tokens), reset, retryAfter);
        }
    }

    private long secondsFor(double tokens) {
        return (long) Math.ceil(tokens / tokensPerMilli / 1000.0);
    }

    private void prune(long now) {
        buckets.entrySet()
                .removeIf(
                        e -> {
                            synchronized (e.getValue()) {
                                e.getValue().refill(now, burst, tokensPerMilli);
                                return e.getValue().tokens >= burst;
                            }
                        });
    }

    private static final class Bucket {
        private double tokens;
        private long updatedAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedAt = now;
        }

        void refill(long now, int burst, double perMilli) {
            if (now > updatedAt) {
                tokens = Math.min(burst, tokens + (now - updatedAt) * perMilli);
                updatedAt = now;
            }
        }
    }
}
