package io.deliverymetrics.api.model;

import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.Outcome;
import org.junit.jupiter.api.Test;

class MetricTest {

    @Test
    void shouldReportRatesAndLatenciesOverNothingAsNull() {
        MetricBucket onlyFiltered = new MetricBucket().add(anAttempt().outcome(Outcome.FILTERED));

        assertThat(Metric.FILTERED.valueOf(onlyFiltered)).isEqualTo(1L);
        for (Metric m :
                new Metric[] {
                    Metric.SUCCESS_RATE,
                    Metric.LATENCY_P50,
                    Metric.LATENCY_P90,
                    Metric.LATENCY_P95,
                    Metric.LATENCY_P99,
                    Metric.LATENCY_AVG,
                    Metric.LATENCY_MAX
                }) {
            assertThat(m.valueOf(onlyFiltered)).as(m.wireName()).isNull();
        }
    }

    @Test
    void shouldReadEveryMetricOfABucket() {
        MetricBucket b = new MetricBucket();
        b.add(anAttempt().attempt(1).latencyMs(100).delivered());
        b.add(anAttempt().attempt(12).latencyMs(300).delivered());
        b.add(anAttempt().errorCode("http_500").outcome(Outcome.DISCARDED));

        assertThat(Metric.SUCCESSES.valueOf(b)).isEqualTo(2L);
        assertThat(Metric.SUCCESS_RATE.valueOf(b)).isEqualTo(2.0 / 3);
        assertThat(Metric.LATENCY_AVG.valueOf(b)).isEqualTo(200.0);
        assertThat(Metric.LATENCY_MAX.valueOf(b)).isEqualTo(300L);
        assertThat((long[]) Metric.SUCCESSES_BY_ATTEMPT.valueOf(b))
                .containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void shouldLookUpByWireNameOnly() {
        assertThat(Metric.fromWireName("latency_p95")).contains(Metric.LATENCY_P95);
        assertThat(Metric.fromWireName("LATENCY_P95")).isEmpty();
        assertThat(Metric.fromWireName("p95")).isEmpty();
    }
}
