package io.deliverymetrics.loadgen.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoadSpecTest {

    @Test
    void shouldBuildTheDocumentedDefaults() {
        LoadSpec spec = LoadSpec.builder().build();

        assertThat(spec.seed()).isEqualTo(42);
        assertThat(spec.start()).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(spec.realtime()).isFalse();
        assertThat(spec.eventCount()).isEqualTo(60_000);
        assertThat(spec.zipfExponent()).isEqualTo(1.1);
        assertThat(spec.maxAttempts()).isEqualTo(5);
        assertThat(spec.outOfOrderShare()).isEqualTo(0.02);
        assertThat(spec.outOfOrder()).isEqualTo(Duration.ofSeconds(20));
        assertThat(spec.lateShare()).isEqualTo(0.005);
        assertThat(spec.lateBy()).isEqualTo(Duration.ofMinutes(10));
        assertThat(spec.malformedShare()).isEqualTo(0.005);
        assertThat(spec.epochMillisShare()).isEqualTo(0.10);
    }

    @Test
    void shouldDeriveTheEventCountFromDurationAndRate() {
        LoadSpec spec =
                LoadSpec.builder().withRate(50_000).withDuration(Duration.ofSeconds(60)).build();

        assertThat(spec.eventCount()).isEqualTo(3_000_000);
        assertThat(spec.toBuilder().withTotalEvents(17).build().eventCount()).isEqualTo(17);
    }

    @Test
    void shouldListEveryProblemInOneReadableMessage() {
        assertThatThrownBy(
                        () ->
                                LoadSpec.builder()
                                        .withRate(-1)
                                        .withWorkspaces(20)
                                        .withPairs(5)
                                        .withLateShare(1.5)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate must be > 0")
                .hasMessageContaining("was -1.0")
                .hasMessageContaining("pairs must be between workspaces (20)")
                .hasMessageContaining("lateShare must be between 0 and 1.0, was 1.5");
    }

    @Test
    void shouldRejectAStartWithMoreThanMillisecondPrecision() {
        assertThatThrownBy(
                        () ->
                                LoadSpec.builder()
                                        .withStart(Instant.parse("2026-01-01T00:00:00.000001Z"))
                                        .build())
                .hasMessageContaining("millisecond precision");
    }

    @Test
    void shouldRejectALateByThatIsNotLongerThanTheOutOfOrderDelay() {
        assertThatThrownBy(
                        () ->
                                LoadSpec.builder()
                                        .withOutOfOrder(Duration.ofMinutes(5))
                                        .withLateBy(Duration.ofMinutes(1))
                                        .build())
                .hasMessageContaining("lateBy (PT1M) must be longer than outOfOrder (PT5M)");
    }

    @Test
    void shouldRejectARunShorterThanOneEvent() {
        assertThatThrownBy(
                        () ->
                                LoadSpec.builder()
                                        .withRate(1)
                                        .withDuration(Duration.ofMillis(100))
                                        .build())
                .hasMessageContaining("less than one event");
    }
}
