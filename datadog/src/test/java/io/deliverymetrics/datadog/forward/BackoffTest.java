package io.deliverymetrics.datadog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private final Backoff backoff =
            new Backoff(
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(60),
                    Duration.ofMinutes(5),
                    new Random(7));

    @Test
    void shouldGrowExponentiallyWithJitterWithinHalfAndFullOfTheStep() {
        for (int retry = 1; retry <= 10; retry++) {
            long step = Math.min(60_000, 1_000L << (retry - 1));
            for (int i = 0; i < 50; i++) {
                long ms = backoff.delay(retry, Optional.empty()).toMillis();
                assertThat(ms).as("retry %d", retry).isBetween(step / 2, step);
            }
        }
    }

    @Test
    void shouldJitterSoThatRetriesSpreadOut() {
        long distinct =
                java.util.stream.IntStream.range(0, 20)
                        .mapToLong(i -> backoff.delay(4, Optional.empty()).toMillis())
                        .distinct()
                        .count();
        assertThat(distinct).isGreaterThan(5);
    }

    @Test
    void shouldHonourTheServerHintExactlyUpToTheCap() {
        assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(7))))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(backoff.delay(1, Optional.of(Duration.ofHours(2))))
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void shouldReadRetryAfterSecondsOrHttpDateAndFallBackToRateLimitReset() {
        assertThat(Backoff.serverHint(Map.of("retry-after", List.of("3")), NOW))
                .contains(Duration.ofSeconds(3));
        assertThat(
                        Backoff.serverHint(
                                Map.of("Retry-After", List.of("Thu, 26 Nov 2026 12:00:10 GMT")),
                                NOW))
                .contains(Duration.ofSeconds(10));
        assertThat(Backoff.serverHint(Map.of("X-RateLimit-Reset", List.of("12")), NOW))
                .contains(Duration.ofSeconds(12));
        assertThat(Backoff.serverHint(Map.of("X-Other", List.of("12")), NOW)).isEmpty();
        assertThat(Backoff.serverHint(Map.of("Retry-After", List.of("soon")), NOW)).isEmpty();
    }
}
