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
}
