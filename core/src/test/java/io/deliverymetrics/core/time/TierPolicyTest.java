package io.deliverymetrics.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.time.TierPolicy.Selection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tier choice at {@code now} = 2026-11-26T12:00:00Z with the default policy (minute 7 d, hour 180
 * d, day 1,095 d, 1,440 points). Boundaries, computed with {@code date -u}: now − 7 d =
 * 2026-11-19T12:00Z, now − 180 d = 2026-05-30T12:00Z, now − 1,095 d = 2023-11-27T12:00Z (floored to
 * the day: 2023-11-27T00:00Z).
 */
class TierPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private final TierPolicy policy = TierPolicy.defaults();

    @ParameterizedTest(name = "auto [{0}, {1}) -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // one hour: minute
                "2026-11-26T10:00:00Z     | 2026-11-26T11:00:00Z | Chosen MINUTE 60",
                // exactly 1,440 minutes: still minute
                "2026-11-25T10:00:00Z     | 2026-11-26T10:00:00Z | Chosen MINUTE 1440",
                // 1,441 minutes: hour (25 hours touched)
                "2026-11-25T10:00:00Z     | 2026-11-26T10:01:00Z | Chosen HOUR 25",
                // 60 days inside hour retention: 1,440 hours
                "2026-09-27T10:00:00Z     | 2026-11-26T10:00:00Z | Chosen HOUR 1440",
                // 60 days and 1 hour: day
                "2026-09-27T09:00:00Z     | 2026-11-26T10:00:00Z | Chosen DAY 61",
                // start older than hour retention: day even for a short range
                "2026-05-01T00:00:00Z     | 2026-05-01T02:00:00Z | Chosen DAY 1",
                // hour retention boundary exactly, and 1 hour before
                "2026-05-30T12:00:00Z     | 2026-05-30T14:00:00Z | Chosen HOUR 2",
                "2026-05-30T11:00:00Z     | 2026-05-30T14:00:00Z | Chosen DAY 1",
                // minute retention boundary exactly: covered; 1 minute before: hour
                "2026-11-19T12:00:00Z     | 2026-11-19T13:00:00Z | Chosen MINUTE 60",
                "2026-11-19T11:59:00Z     | 2026-11-19T13:00:00Z | Chosen HOUR 2",
                "2026-11-19T11:59:59.999Z | 2026-11-19T13:00:00Z | Chosen HOUR 2",
                // day retention: first covered day, then 1 ms before it
                "2023-11-27T00:00:00Z     | 2023-11-28T00:00:00Z | Chosen DAY 1",
                "2023-11-26T23:59:59.999Z | 2023-11-28T00:00:00Z | BeyondRetention DAY"
                        + " 2023-11-27T00:00:00Z",
                "2020-01-01T00:00:00Z     | 2026-11-26T00:00:00Z | BeyondRetention DAY"
                        + " 2023-11-27T00:00:00Z",
                // inside every retention but more than 1,440 points even in days
                "2026-11-26T00:00:00Z     | 2030-11-06T00:00:00Z | TooManyPoints DAY 1441 1440",
            })
    void shouldPickTheFinestTierThatCoversStartWithinThePointCap(
            Instant start, Instant end, String expected) {
        assertThat(describe(policy.auto(start, end, NOW))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} [{1}, {2}) -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "MINUTE | 2026-11-24T12:00:00Z | 2026-11-26T12:00:00Z | TooManyPoints MINUTE 2880"
                        + " 1440",
                "MINUTE | 2026-11-25T12:00:00Z | 2026-11-26T12:00:00Z | Chosen MINUTE 1440",
                "MINUTE | 2026-11-25T11:59:59.999Z | 2026-11-26T12:00:00Z | TooManyPoints MINUTE"
                        + " 1441 1440",
                "MINUTE | 2026-11-19T11:59:00Z | 2026-11-19T12:00:00Z | BeyondRetention MINUTE"
                        + " 2026-11-19T12:00:00Z",
                "HOUR   | 2026-11-26T10:00:00Z | 2026-11-26T11:00:00Z | Chosen HOUR 1",
                "HOUR   | 2026-05-30T11:59:59Z | 2026-05-31T00:00:00Z | BeyondRetention HOUR"
                        + " 2026-05-30T12:00:00Z",
                "DAY    | 2026-11-26T10:00:00Z | 2026-11-26T11:00:00Z | Chosen DAY 1",
            })
    void shouldCheckAnExplicitTierAgainstRetentionAndPoints(
            Granularity g, Instant start, Instant end, String expected) {
        assertThat(describe(policy.check(g, start, end, NOW))).isEqualTo(expected);
    }

    @Test
    void shouldCoverExactlySevenDaysBackWhenNowIsNotAligned() {
        Instant now = Instant.parse("2026-11-26T12:34:56.789Z");
        Instant sevenDaysBack = Instant.parse("2026-11-19T12:34:56.789Z");

        assertThat(
                        policy.check(
                                Granularity.MINUTE,
                                sevenDaysBack,
                                sevenDaysBack.plusSeconds(60),
                                now))
                .isInstanceOf(Selection.Chosen.class);
        assertThat(
                        policy.check(
                                Granularity.MINUTE,
                                sevenDaysBack.minusSeconds(60),
                                sevenDaysBack.plusSeconds(60),
                                now))
                .isEqualTo(
                        new Selection.BeyondRetention(
                                Granularity.MINUTE, Instant.parse("2026-11-19T12:34:00Z")));
    }

    @Test
    void shouldExposeTheDefaultRetentions() {
        assertThat(policy.retention(Granularity.MINUTE)).isEqualTo(Duration.ofDays(7));
        assertThat(policy.retention(Granularity.HOUR)).isEqualTo(Duration.ofDays(180));
        assertThat(policy.retention(Granularity.DAY)).isEqualTo(Duration.ofDays(1_095));
        assertThat(policy.maxPoints()).isEqualTo(1_440);
        assertThat(policy.oldestRetained(Granularity.DAY, NOW))
                .isEqualTo(Instant.parse("2023-11-27T00:00:00Z"));
    }

    @Test
    void shouldRefuseAnEmptyOrReversedRange() {
        assertThatThrownBy(() -> policy.auto(NOW, NOW, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("start must be before end");
        assertThatThrownBy(() -> policy.check(Granularity.HOUR, NOW, NOW.minusSeconds(1), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("start must be before end");
    }

    @Test
    void shouldRefuseNonPositiveRetention() {
        assertThatThrownBy(
                        () ->
                                new TierPolicy(
                                        Duration.ZERO,
                                        Duration.ofDays(180),
                                        Duration.ofDays(1_095),
                                        1_440))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minute retention must be positive, was PT0S");
        assertThatThrownBy(
                        () ->
                                new TierPolicy(
                                        Duration.ofDays(7),
                                        Duration.ofHours(-1),
                                        Duration.ofDays(1_095),
                                        1_440))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hour retention must be positive, was PT-1H");
        assertThatThrownBy(
                        () -> new TierPolicy(Duration.ofDays(7), Duration.ofDays(180), null, 1_440))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("day retention");
    }

    @Test
    void shouldRefuseRetentionThatShrinksForCoarserTiers() {
        assertThatThrownBy(
                        () ->
                                new TierPolicy(
                                        Duration.ofDays(8),
                                        Duration.ofDays(7),
                                        Duration.ofDays(1_095),
                                        1_440))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "retention must not shrink for coarser tiers: minute PT192H, hour PT168H,"
                                + " day PT26280H");
        assertThatThrownBy(
                        () ->
                                new TierPolicy(
                                        Duration.ofDays(7),
                                        Duration.ofDays(180),
                                        Duration.ofDays(179),
                                        1_440))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("retention must not shrink for coarser tiers");
    }

    @Test
    void shouldRefuseANonPositivePointCap() {
        assertThatThrownBy(
                        () ->
                                new TierPolicy(
                                        Duration.ofDays(7),
                                        Duration.ofDays(180),
                                        Duration.ofDays(1_095),
                                        0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPoints must be positive, was 0");
    }

    @Test
    void shouldHonourACustomPointCap() {
        TierPolicy small =
                new TierPolicy(
                        Duration.ofDays(7), Duration.ofDays(180), Duration.ofDays(1_095), 60);

        assertThat(
                        describe(
                                small.auto(
                                        Instant.parse("2026-11-26T10:00:00Z"),
                                        Instant.parse("2026-11-26T11:00:00Z"),
                                        NOW)))
                .isEqualTo("Chosen MINUTE 60");
        assertThat(
                        describe(
                                small.auto(
                                        Instant.parse("2026-11-26T10:00:00Z"),
                                        Instant.parse("2026-11-26T11:01:00Z"),
                                        NOW)))
                .isEqualTo("Chosen HOUR 2");
    }

    private static String describe(Selection s) {
        if (s instanceof Selection.Chosen c) {
            return "Chosen " + c.granularity() + " " + c.points();
        }
        if (s instanceof Selection.BeyondRetention b) {
            return "BeyondRetention " + b.granularity() + " " + b.oldestRetained();
        }
        Selection.TooManyPoints t = (Selection.TooManyPoints) s;
        return "TooManyPoints " + t.granularity() + " " + t.points() + " " + t.maxPoints();
    }
}
