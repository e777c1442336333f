package io.deliverymetrics.datadog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.datadog.model.PollWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WindowPlannerTest {

    private final WindowPlanner planner =
            new WindowPlanner(Duration.ofMinutes(10), Duration.ofMinutes(55));

    private static Instant t(String hhmmss) {
        return Instant.parse("2026-11-26T" + hhmmss + "Z");
    }

    @Test
    void shouldReadTheLastTenCompleteMinutesOnTheFirstPoll() {
        PollWindow w = planner.plan(t("12:00:42"), Optional.empty());

        assertThat(w.start()).isEqualTo(t("11:50:00"));
        assertThat(w.end()).isEqualTo(t("12:00:00"));
        assertThat(w.skippedFrom()).isEmpty();
    }

    @Test
    void shouldKeepTheOverlapWhenTheWorkspaceIsUpToDate() {
        PollWindow w = planner.plan(t("12:01:05"), Optional.of(t("12:00:00")));

        assertThat(w.start()).isEqualTo(t("11:51:00"));
        assertThat(w.end()).isEqualTo(t("12:01:00"));
    }

    @Test
    void shouldStartAtTheFirstMinuteNotForwardedAfterAnOutage() {
        PollWindow w = planner.plan(t("12:30:10"), Optional.of(t("12:00:00")));

        assertThat(w.start()).isEqualTo(t("12:00:00"));
        assertThat(w.end()).isEqualTo(t("12:30:00"));
        assertThat(w.skippedFrom()).isEmpty();
    }

    @Test
    void shouldNotReachBackFurtherThanTheCatchUpLimitAndSayWhatIsSkipped() {
        PollWindow w = planner.plan(t("14:00:10"), Optional.of(t("12:00:00")));

        assertThat(w.start()).isEqualTo(t("13:05:00"));
        assertThat(w.skippedFrom()).contains(t("12:00:00"));
        assertThat(w.minutes()).isEqualTo(55);
    }

    @Test
    void shouldAdvanceToCompleteThroughWhenThePipelineIsBehindTheWindowEnd() {
        PollWindow w = planner.plan(t("12:00:42"), Optional.empty());

        assertThat(WindowPlanner.advance(Optional.empty(), w, Optional.of(t("11:58:30"))))
                .contains(t("11:58:00"));
        assertThat(WindowPlanner.advance(Optional.empty(), w, Optional.of(t("12:05:00"))))
                .contains(t("12:00:00"));
    }

    @Test
    void shouldNotAdvanceWithoutCompleteThroughNorBeyondWhatIsKnownNorBackwards() {
        PollWindow w = planner.plan(t("12:00:42"), Optional.of(t("12:00:00")));

        assertThat(WindowPlanner.advance(Optional.of(t("11:55:00")), w, Optional.empty()))
                .contains(t("11:55:00"));
        assertThat(WindowPlanner.advance(Optional.of(t("12:00:00")), w, Optional.of(t("11:57:00"))))
                .contains(t("12:00:00"));
        assertThat(WindowPlanner.advance(Optional.empty(), w, Optional.of(t("11:00:00"))))
                .isEmpty();
    }
}
