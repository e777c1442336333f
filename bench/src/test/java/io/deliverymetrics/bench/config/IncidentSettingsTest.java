package io.deliverymetrics.bench.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The incidents benchmark's phases fill its measured span in both modes. */
class IncidentSettingsTest {

    @Test
    void shouldFillTheMeasuredSpanWithThePhasesInBothModes() {
        for (IncidentSettings s :
                new IncidentSettings[] {IncidentSettings.full(), IncidentSettings.smoke()}) {
            assertThat(s.steady().plus(s.surge()).plus(s.gap()).plus(s.failing()).plus(s.tail()))
                    .isEqualTo(s.load().measured());
        }
        IncidentSettings full = IncidentSettings.full();
        assertThat(full.surge()).isEqualTo(Duration.ofMinutes(2));
        assertThat(full.failing()).isEqualTo(Duration.ofMinutes(2));
        assertThat(full.surgeFactor()).isEqualTo(100);
        // at least 2 minutes of warm-up, and the full run stays about 9 minutes: warm-up, the
        // span and the wait for final minutes
        assertThat(full.load().warmup()).isGreaterThanOrEqualTo(Duration.ofMinutes(2));
        assertThat(full.load().warmup().plus(full.load().measured()))
                .isLessThanOrEqualTo(Duration.ofMinutes(8));
    }

    @Test
    void shouldRejectPhasesThatDoNotFillTheSpanOrAnIncidentWithoutLength() {
        IncidentSettings s = IncidentSettings.smoke();
        assertThatThrownBy(() -> withPhases(s, s.surge(), s.gap(), s.tail().plusSeconds(1), 10))
                .hasMessageContaining("must fill the measured span");
        assertThatThrownBy(
                        () -> withPhases(s, Duration.ZERO, s.gap().plus(s.surge()), s.tail(), 10))
                .hasMessageContaining("must last");
        assertThatThrownBy(() -> withPhases(s, s.surge(), s.gap(), s.tail(), 1))
                .hasMessageContaining("surge factor must be > 1");
    }

    private static IncidentSettings withPhases(
            IncidentSettings s, Duration surge, Duration gap, Duration tail, double factor) {
        return new IncidentSettings(
                s.load(),
                s.steady(),
                surge,
                gap,
                s.failing(),
                tail,
                factor,
                s.failingTypeShare(),
                s.goalRatio(),
                s.lagInterval());
    }
}
