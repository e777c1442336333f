package io.deliverymetrics.batch.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.batch.model.PartitionChanges;
import io.deliverymetrics.batch.model.PartitionInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PartitionPlannerTest {

    private static final PartitionInfo FUTURE =
            new PartitionInfo(PartitionScheme.FUTURE, Optional.empty());
    private static final Instant NOW = Instant.parse("2026-03-20T10:15:00Z");

    @Test
    void shouldSplitTheCatchAllFromTheOldestRowOnTheFirstRun() {
        PartitionChanges c =
                PartitionPlanner.plan(
                        "t",
                        PartitionScheme.DAILY,
                        List.of(FUTURE),
                        NOW,
                        Instant.parse("2026-03-13T10:15:00Z"),
                        2,
                        Optional.of(Instant.parse("2026-03-18T05:00:00Z")));

        assertThat(c.create())
                .extracting(PartitionInfo::name)
                .containsExactly("p20260318", "p20260319", "p20260320", "p20260321", "p20260322");
        assertThat(c.create().get(0).lessThan()).contains(Instant.parse("2026-03-19T00:00:00Z"));
        assertThat(c.drop()).isEmpty();
    }

    @Test
    void shouldNotStartTheFirstSplitBeforeTheRetentionHorizon() {
        PartitionChanges c =
                PartitionPlanner.plan(
                        "t",
                        PartitionScheme.MONTHLY,
                        List.of(FUTURE),
                        NOW,
                        Instant.parse("2025-09-21T10:00:00Z"),
                        1,
                        Optional.of(Instant.parse("2024-01-01T00:00:00Z")));

        assertThat(c.create())
                .extracting(PartitionInfo::name)
                .startsWith("p202509")
                .endsWith("p202604");
    }

    @Test
    void shouldDropOnlyPartitionsWhoseUpperBoundIsNotAfterTheHorizon() {
        List<PartitionInfo> existing =
                List.of(
                        PartitionInfo.bounded("p20260312", Instant.parse("2026-03-13T00:00:00Z")),
                        PartitionInfo.bounded("p20260313", Instant.parse("2026-03-14T00:00:00Z")),
                        PartitionInfo.bounded("p20260321", Instant.parse("2026-03-22T00:00:00Z")),
                        FUTURE);

        PartitionChanges c =
                PartitionPlanner.plan(
                        "t",
                        PartitionScheme.DAILY,
                        existing,
                        NOW,
                        Instant.parse("2026-03-13T10:15:00Z"),
                        1,
                        Optional.empty());

        assertThat(c.drop()).containsExactly("p20260312");
        assertThat(c.create()).isEmpty();
    }

    @Test
    void shouldContinueAfterTheNewestPartitionUpToThePeriodsAhead() {
        List<PartitionInfo> existing =
                List.of(
                        PartitionInfo.bounded("p2026", Instant.parse("2027-01-01T00:00:00Z")),
                        FUTURE);

        PartitionChanges c =
                PartitionPlanner.plan(
                        "t",
                        PartitionScheme.YEARLY,
                        existing,
                        NOW,
                        Instant.parse("2023-03-21T00:00:00Z"),
                        2,
                        Optional.empty());

        assertThat(c.create()).extracting(PartitionInfo::name).containsExactly("p2027", "p2028");
    }

    @Test
    void shouldRefuseATableWithoutTheCatchAllPartition() {
        assertThatThrownBy(
                        () ->
                                PartitionPlanner.plan(
                                        "t",
                                        PartitionScheme.DAILY,
                                        List.of(
                                                PartitionInfo.bounded(
                                                        "p20260312",
                                                        Instant.parse("2026-03-13T00:00:00Z"))),
                                        NOW,
                                        NOW,
                                        1,
                                        Optional.empty()))
                .isInstanceOf(IllegalStateException.class);
    }
}
