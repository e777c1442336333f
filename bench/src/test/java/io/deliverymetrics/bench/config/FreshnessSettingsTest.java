package io.deliverymetrics.bench.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@code --freshness-job} settings combine with the mode's own job overrides. */
class FreshnessSettingsTest {

    @Test
    void shouldLayGivenJobSettingsOverTheModesOwnAndLeaveTheOriginalAlone() {
        FreshnessSettings smoke = FreshnessSettings.smoke();

        FreshnessSettings changed =
                smoke.withJobOverrides(
                        Map.of(
                                "window.allowed-lateness", "3s",
                                "sink.flush-interval", "500ms"));

        assertThat(changed.jobOverrides())
                .containsOnly(
                        Map.entry("watermark.out-of-orderness", "1s"),
                        Map.entry("window.allowed-lateness", "3s"),
                        Map.entry("sink.flush-interval", "500ms"));
        assertThat(smoke.jobOverrides())
                .containsOnly(
                        Map.entry("watermark.out-of-orderness", "1s"),
                        Map.entry("window.allowed-lateness", "2s"));
        assertThat(changed.attemptsPerSecond()).isEqualTo(smoke.attemptsPerSecond());
        assertThat(changed.measured()).isEqualTo(smoke.measured());
    }

    @Test
    void shouldStartFromNoOverridesInTheFullMode() {
        assertThat(FreshnessSettings.full().jobOverrides()).isEmpty();
        assertThat(
                        FreshnessSettings.full()
                                .withJobOverrides(Map.of("window.allowed-lateness", "3s"))
                                .jobOverrides())
                .containsOnly(Map.entry("window.allowed-lateness", "3s"));
    }
}
