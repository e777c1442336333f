package io.deliverymetrics.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.model.Metric;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowContentTest {

    @Test
    void shouldReadSketchesOnlyWhenALatencyQuantileIsAsked() {
        EnumSet<Metric> counters = EnumSet.allOf(Metric.class);
        counters.removeIf(Metric::readsLatencySketch);

        assertThat(RowContent.forMetrics(counters)).isEqualTo(new RowContent(false, false));
        assertThat(RowContent.forMetrics(List.of(Metric.SUCCESSES, Metric.LATENCY_P99)))
                .isEqualTo(new RowContent(true, false));
        assertThat(RowContent.forMetrics(List.of(Metric.values())).latencySketches()).isTrue();
        assertThat(counters)
                .contains(Metric.LATENCY_AVG, Metric.LATENCY_MAX)
                .doesNotContain(
                        Metric.LATENCY_P50,
                        Metric.LATENCY_P90,
                        Metric.LATENCY_P95,
                        Metric.LATENCY_P99);
    }

    @Test
    void shouldReadErrorRowsOnlyForTheErrorBreakdown() {
        assertThat(RowContent.forMetrics(List.of(Metric.values())).errors()).isFalse();
        assertThat(RowContent.forErrors()).isEqualTo(new RowContent(false, true));
    }
}
