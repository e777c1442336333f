package io.deliverymetrics.batch.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.time.Granularity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompactionLimitsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:01:30Z");
    private static final Duration BUFFER = Duration.ofMinutes(2);

    @Test
    void shouldNotReachTheHourThatEndsWithinTheBuffer() {
        assertThat(
                        CompactionLimits.limit(
                                Granularity.HOUR,
                                NOW,
                                NOW,
                                BUFFER,
                                Optional.empty(),
                                Optional.empty()))
                .isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
        assertThat(
                        CompactionLimits.limit(
                                Granularity.HOUR,
                                NOW.plusSeconds(60),
                                NOW.plusSeconds(60),
                                BUFFER,
                                Optional.empty(),
                                Optional.empty()))
                .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    }

    @Test
    void shouldStopAtThePipelinesCompleteThroughAndTheFinerTiersWatermark() {
        assertThat(
                        CompactionLimits.limit(
                                Granularity.HOUR,
                                NOW,
                                NOW,
                                BUFFER,
                                Optional.of(Instant.parse("2026-11-26T07:59:00Z")),
                                Optional.empty()))
                .isEqualTo(Instant.parse("2026-11-26T07:00:00Z"));
        assertThat(
                        CompactionLimits.limit(
                                Granularity.DAY,
                                NOW,
                                NOW,
                                BUFFER,
                                Optional.empty(),
                                Optional.of(Instant.parse("2026-11-25T23:00:00Z"))))
                .isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    }

    @Test
    void shouldMapChangedMinutesToTheirHoursOnce() {
        assertThat(
                        CompactionLimits.dirtyTargets(
                                Granularity.HOUR,
                                List.of(
                                        Instant.parse("2026-11-26T05:59:00Z"),
                                        Instant.parse("2026-11-26T03:00:00Z"),
                                        Instant.parse("2026-11-26T05:00:00Z"))))
                .containsExactly(
                        Instant.parse("2026-11-26T03:00:00Z"),
                        Instant.parse("2026-11-26T05:00:00Z"));
    }

    @Test
    void shouldCoverAnExplicitRangeUpToTheLimit() {
        assertThat(
                        CompactionLimits.explicitRange(
                                Granularity.HOUR,
                                Instant.parse("2026-11-26T01:30:00Z"),
                                Instant.parse("2026-11-26T09:00:00Z"),
                                Instant.parse("2026-11-26T04:00:00Z")))
                .containsExactly(
                        Instant.parse("2026-11-26T01:00:00Z"),
                        Instant.parse("2026-11-26T02:00:00Z"),
                        Instant.parse("2026-11-26T03:00:00Z"));
    }

    @Test
    void shouldStartTheFirstCatchUpAtTheOldestFinerRow() {
        Instant oldest = Instant.parse("2026-11-20T17:42:00Z");
        assertThat(
                        CompactionLimits.catchUpStart(
                                Granularity.DAY, Optional.empty(), Optional.of(oldest)))
                .contains(Instant.parse("2026-11-20T00:00:00Z"));
        assertThat(
                        CompactionLimits.catchUpStart(
                                Granularity.DAY,
                                Optional.of(Instant.parse("2026-11-25T00:00:00Z")),
                                Optional.of(oldest)))
                .contains(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(
                        CompactionLimits.catchUpStart(
                                Granularity.DAY, Optional.empty(), Optional.empty()))
                .isEmpty();
    }

    @Test
    void shouldCountTheLagInCompleteBuckets() {
        Instant limit = Instant.parse("2026-11-26T09:00:00Z");
        assertThat(
                        CompactionLimits.lagBuckets(
                                Granularity.HOUR,
                                Optional.of(Instant.parse("2026-11-26T06:00:00Z")),
                                limit))
                .isEqualTo(3);
        assertThat(CompactionLimits.lagBuckets(Granularity.HOUR, Optional.of(limit), limit))
                .isZero();
    }

    @Test
    void shouldGroupConsecutiveBucketsIntoBlocksOfAtMostTheBlockSize() {
        Instant h = Instant.parse("2026-11-26T00:00:00Z");
        List<Instant> dirty =
                List.of(
                        h,
                        h.plusSeconds(3_600),
                        h.plusSeconds(7_200),
                        h.plusSeconds(5 * 3_600),
                        h.plusSeconds(6 * 3_600),
                        h.plusSeconds(9 * 3_600));

        assertThat(CompactionLimits.consecutiveBlock(Granularity.HOUR, dirty, 0, 24)).isEqualTo(3);
        assertThat(CompactionLimits.consecutiveBlock(Granularity.HOUR, dirty, 0, 2)).isEqualTo(2);
        assertThat(CompactionLimits.consecutiveBlock(Granularity.HOUR, dirty, 2, 24)).isEqualTo(1);
        assertThat(CompactionLimits.consecutiveBlock(Granularity.HOUR, dirty, 3, 24)).isEqualTo(2);
        assertThat(CompactionLimits.consecutiveBlock(Granularity.HOUR, dirty, 5, 24)).isEqualTo(1);
        assertThat(
                        CompactionLimits.consecutiveBlock(
                                Granularity.DAY,
                                List.of(h, h.plus(Duration.ofDays(1)), h.plus(Duration.ofDays(3))),
                                0,
                                24))
                .isEqualTo(2);
    }

    @Test
    void shouldEndACatchUpBlockAtTheLimitOrAfterTheBlockSize() {
        Instant h = Instant.parse("2026-11-26T00:00:00Z");

        assertThat(CompactionLimits.catchUpBlock(Granularity.HOUR, h, h.plusSeconds(5 * 3_600), 24))
                .isEqualTo(5);
        assertThat(
                        CompactionLimits.catchUpBlock(
                                Granularity.HOUR, h, h.plus(Duration.ofDays(3)), 24))
                .isEqualTo(24);
        assertThat(CompactionLimits.catchUpBlock(Granularity.HOUR, h, h.plusSeconds(3_600), 24))
                .isEqualTo(1);
        assertThat(
                        CompactionLimits.catchUpBlock(
                                Granularity.DAY, h, h.plus(Duration.ofDays(40)), 24))
                .isEqualTo(24);
    }
}
