package io.deliverymetrics.api.model;

import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MetricValuesTest {

    @Provide
    Arbitrary<List<Metric>> metricLists() {
        // Any order, repeats allowed: the renderer must not depend on the percentiles' order.
        return Arbitraries.of(Metric.class).list().ofMinSize(1).ofMaxSize(16);
    }

    @Property(tries = 300)
    void shouldRenderEachMetricAsItsOwnValue(
            @ForAll("metricLists") List<Metric> metrics, @ForAll Random random) {
        MetricBucket b = new MetricBucket();
        int n = random.nextInt(400);
        for (int i = 0; i < n; i++) {
            Outcome o = Outcome.values()[random.nextInt(Outcome.values().length)];
            long ms = (long) Math.pow(10, random.nextDouble() * 6);
            b.add(anAttempt().attempt(1 + random.nextInt(12)).latencyMs(ms).outcome(o));
        }

        Map<String, Object> rendered = new LinkedHashMap<>();
        new MetricValues(metrics).putAll(rendered, b);

        Map<String, Object> expected = new LinkedHashMap<>();
        for (Metric m : metrics) {
            expected.put(m.wireName(), m.valueOf(b));
        }
        assertThat(rendered).containsExactlyEntriesOf(expected);
    }

    @Test
    void shouldRenderPercentilesInTheRequestedOrder() {
        MetricBucket b = new MetricBucket();
        for (int ms = 1; ms <= 100; ms++) {
            b.add(anAttempt().latencyMs(ms * 10L).delivered());
        }
        Map<String, Object> rendered = new LinkedHashMap<>();

        new MetricValues(List.of(Metric.LATENCY_P99, Metric.SUCCESSES, Metric.LATENCY_P50))
                .putAll(rendered, b);

        assertThat(rendered.keySet()).containsExactly("latency_p99", "successes", "latency_p50");
        assertThat((Double) rendered.get("latency_p99")).isCloseTo(990.0, within(990 * 0.01));
        assertThat((Double) rendered.get("latency_p50")).isCloseTo(500.0, within(500 * 0.01));
        assertThat(rendered.get("successes")).isEqualTo(100L);
    }
}
