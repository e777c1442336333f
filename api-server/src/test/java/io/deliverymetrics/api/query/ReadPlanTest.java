package io.deliverymetrics.api.query;

import static io.deliverymetrics.core.time.Granularity.DAY;
import static io.deliverymetrics.core.time.Granularity.HOUR;
import static io.deliverymetrics.core.time.Granularity.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadPlanTest {

    private static Instant t(String s) {
        return Instant.parse(s);
    }

    private static List<ReadSegment> plan(
            Granularity g, String start, String end, Map<Granularity, Instant> compacted) {
        return ReadPlan.plan(g, t(start), t(end), tier -> Optional.ofNullable(compacted.get(tier)));
    }

    private static List<ReadSegment> planTotal(
            String start, String end, Map<Granularity, Instant> compacted) {
        return ReadPlan.planTotal(
                MINUTE, t(start), t(end), tier -> Optional.ofNullable(compacted.get(tier)));
    }

    @Test
    void shouldReadATotalsWholeHoursAndDaysFromTheirTiersAndItsEdgesFromMinutes() {
        assertThat(
                        planTotal(
                                "2026-11-26T10:17:00Z",
                                "2026-11-29T10:43:00Z",
                                Map.of(
                                        HOUR,
                                        t("2026-12-01T00:00:00Z"),
                                        DAY,
                                        t("2026-12-01T00:00:00Z"))))
                .containsExactly(
                        new ReadSegment(
                                MINUTE, t("2026-11-26T10:17:00Z"), t("2026-11-26T11:00:00Z")),
                        new ReadSegment(HOUR, t("2026-11-26T11:00:00Z"), t("2026-11-27T00:00:00Z")),
                        new ReadSegment(DAY, t("2026-11-27T00:00:00Z"), t("2026-11-29T00:00:00Z")),
                        new ReadSegment(HOUR, t("2026-11-29T00:00:00Z"), t("2026-11-29T10:00:00Z")),
                        new ReadSegment(
                                MINUTE, t("2026-11-29T10:00:00Z"), t("2026-11-29T10:43:00Z")));
    }

    @Test
    void shouldReadATotalsUncompactedHoursFromMinutes() {
        // 24 h up to the current minute, the hour tier compacted through 08:00 of the second day.
        assertThat(
                        planTotal(
                                "2026-11-26T10:17:00Z",
                                "2026-11-27T10:17:00Z",
                                Map.of(HOUR, t("2026-11-27T08:00:00Z"))))
                .containsExactly(
                        new ReadSegment(
                                MINUTE, t("2026-11-26T10:17:00Z"), t("2026-11-26T11:00:00Z")),
                        new ReadSegment(HOUR, t("2026-11-26T11:00:00Z"), t("2026-11-27T08:00:00Z")),
                        new ReadSegment(
                                MINUTE, t("2026-11-27T08:00:00Z"), t("2026-11-27T10:00:00Z")),
                        new ReadSegment(
                                MINUTE, t("2026-11-27T10:00:00Z"), t("2026-11-27T10:17:00Z")));
        // Less than a whole hour: minutes only.
        assertThat(planTotal("2026-11-26T10:17:00Z", "2026-11-26T11:16:00Z", Map.of()))
                .containsExactly(
                        new ReadSegment(
                                MINUTE, t("2026-11-26T10:17:00Z"), t("2026-11-26T11:16:00Z")));
    }

    @Test
    void shouldReadMinutesFromTheMinuteTierOnly() {
        assertThat(plan(MINUTE, "2026-11-26T10:00:00Z", "2026-11-26T11:00:00Z", Map.of()))
                .containsExactly(
                        new ReadSegment(
                                MINUTE, t("2026-11-26T10:00:00Z"), t("2026-11-26T11:00:00Z")));
    }

    @Test
    void shouldComputeEveryHourFromMinutesWhenNothingIsCompacted() {
        assertThat(plan(HOUR, "2026-11-26T06:00:00Z", "2026-11-26T12:00:00Z", Map.of()))
                .containsExactly(
                        new ReadSegment(
                                MINUTE, t("2026-11-26T06:00:00Z"), t("2026-11-26T12:00:00Z")));
    }

    @Test
    void shouldSplitHoursAtCompactedThrough() {
        assertThat(
                        plan(
                                HOUR,
                                "2026-11-26T06:00:00Z",
                                "2026-11-26T12:00:00Z",
                                Map.of(HOUR, t("2026-11-26T09:00:00Z"))))
                .containsExactly(
                        new ReadSegment(HOUR, t("2026-11-26T06:00:00Z"), t("2026-11-26T09:00:00Z")),
                        new ReadSegment(
                                MINUTE, t("2026-11-26T09:00:00Z"), t("2026-11-26T12:00:00Z")));
    }

    @Test
    void shouldReadOnlyHourRowsWhenCompactionIsPastTheRange() {
        assertThat(
                        plan(
                                HOUR,
                                "2026-11-26T06:00:00Z",
                                "2026-11-26T09:00:00Z",
                                Map.of(HOUR, t("2026-11-26T11:00:00Z"))))
                .containsExactly(
                        new ReadSegment(
                                HOUR, t("2026-11-26T06:00:00Z"), t("2026-11-26T09:00:00Z")));
    }

    @Test
    void shouldTreatAnHourStraddlingCompactedThroughAsNotCompacted() {
        assertThat(
                        plan(
                                HOUR,
                                "2026-11-26T06:00:00Z",
                                "2026-11-26T12:00:00Z",
                                Map.of(HOUR, t("2026-11-26T09:30:00Z"))))
                .containsExactly(
                        new ReadSegment(HOUR, t("2026-11-26T06:00:00Z"), t("2026-11-26T09:00:00Z")),
                        new ReadSegment(
                                MINUTE, t("2026-11-26T09:00:00Z"), t("2026-11-26T12:00:00Z")));
    }

    @Test
    void shouldBuildDaysFromDayThenHourThenMinuteRows() {
        Map<Granularity, Instant> compacted = new EnumMap<>(Granularity.class);
        compacted.put(DAY, t("2026-11-25T00:00:00Z"));
        compacted.put(HOUR, t("2026-11-26T09:00:00Z"));

        assertThat(plan(DAY, "2026-11-23T00:00:00Z", "2026-11-27T00:00:00Z", compacted))
                .containsExactly(
                        new ReadSegment(DAY, t("2026-11-23T00:00:00Z"), t("2026-11-25T00:00:00Z")),
                        new ReadSegment(HOUR, t("2026-11-25T00:00:00Z"), t("2026-11-26T09:00:00Z")),
                        new ReadSegment(
                                MINUTE, t("2026-11-26T09:00:00Z"), t("2026-11-27T00:00:00Z")));
    }

    @Test
    void shouldIgnoreHourProgressBeforeTheUncompactedDays() {
        Map<Granularity, Instant> compacted = new EnumMap<>(Granularity.class);
        compacted.put(DAY, t("2026-11-25T00:00:00Z"));
        compacted.put(HOUR, t("2026-11-24T00:00:00Z"));

        assertThat(plan(DAY, "2026-11-23T00:00:00Z", "2026-11-27T00:00:00Z", compacted))
                .containsExactly(
                        new ReadSegment(DAY, t("2026-11-23T00:00:00Z"), t("2026-11-25T00:00:00Z")),
                        new ReadSegment(
                                MINUTE, t("2026-11-25T00:00:00Z"), t("2026-11-27T00:00:00Z")));
    }

    @Test
    void shouldRefuseARangeNotAlignedToTheTarget() {
        assertThatThrownBy(
                        () -> plan(HOUR, "2026-11-26T06:30:00Z", "2026-11-26T08:00:00Z", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
