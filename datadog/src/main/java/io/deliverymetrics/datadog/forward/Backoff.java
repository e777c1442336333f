package io.deliverymetrics.datadog.forward;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * How long to wait before retrying a submission: the server's hint ({@code Retry-After} in seconds
 * or as an HTTP date, else Datadog's {@code X-RateLimit-Reset} in seconds) when it gives one,
 * capped at {@code maxRetryAfter}; otherwise exponential backoff from {@code initial} up to {@code
 * max} with "equal jitter" (a random half on top of a fixed half), so retries of many forwarders
 * spread out but still grow.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final Duration maxRetryAfter;
    private final Random random;

    public Backoff(Duration initial, Duration max, Duration maxRetryAfter, Random random) {
        this.initial = Objects.requireNonNull(initial, "initial");
        this.max = Objects.requireNonNull(max, "max");
        this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @param retry 1 before the first retry, 2 before the second, …
     */
    public Duration delay(int retry, Optional<Duration> serverHint) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be at least 1, was " + retry);
        }
        if (serverHint.isPresent()
                && !serverHint.get().isZero()
                && !serverHint.get().isNegative()) {
            return min(serverHint.get(), maxRetryAfter);
        }
        long capMillis = max.toMillis();
        long base = initial.toMillis();
        for (int i = 1; i < retry && base < capMillis; i++) {
            base *= 2;
        }
        base = Math.min(base, capMillis);
        long half = base / 2;
        return Duration.ofMillis(half + (long) (random.nextDouble() * (base - half + 1)));
    }

    /**
     * The wait a response asks for: {@code Retry-After} (delta seconds or HTTP date relative to
     * {@code now}), else {@code X-RateLimit-Reset} (seconds). Header names are matched ignoring
     * case.
     */
    public static Optional<Duration> serverHint(Map<String, List<String>> headers, Instant now) {
        Optional<String> retryAfter = header(headers, "Retry-After");
        if (retryAfter.isPresent()) {
            Optional<Duration> d = parseRetryAfter(retryAfter.get(), now);
            if (d.isPresent()) {
                return d;
            }
        }
        return header(headers, "X-RateLimit-Reset").flatMap(Backoff::seconds);
    }

    private static Optional<Duration> parseRetryAfter(String value, Instant now) {
        Optional<Duration> s = seconds(value);
        if (s.isPresent()) {
            return s;
        }
        try {
            Instant at =
                    ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant();
            Duration d = Duration.between(now, at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            long s = Long.parseLong(value.trim());
            return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null
                    && e.getKey().equalsIgnoreCase(name)
                    && e.getValue() != null
                    && !e.getValue().isEmpty()) {
                return Optional.ofNullable(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
