package io.deliverymetrics.bench.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExpositionBodyTest {

    @Test
    void shouldReadTheExportGaugesAndCountSampleLines() {
        String text =
                """
                # HELP event_delivery_successes_total Events delivered.
                # TYPE event_delivery_successes_total counter
                event_delivery_successes_total{destination="d",source="s",workspace="w"} 12.0
                # TYPE event_delivery_export_pairs gauge
                event_delivery_export_pairs 10000.0
                # TYPE event_delivery_export_truncated gauge
                event_delivery_export_truncated 0.0
                # EOF
                """;
        byte[] body = text.getBytes(StandardCharsets.UTF_8);

        ExpositionBody b = ExpositionBody.of(body);

        assertThat(b.bytes()).isEqualTo(body.length);
        assertThat(b.samples()).isEqualTo(3);
        assertThat(b.pairsExported()).hasValue(10_000);
        assertThat(b.truncated()).hasValue(0);
    }

    @Test
    void shouldNotMistakeALongerMetricNameForTheGauge() {
        byte[] body = "event_delivery_export_pairs_total 5.0\n".getBytes(StandardCharsets.UTF_8);

        assertThat(ExpositionBody.of(body).pairsExported()).isEmpty();
        assertThat(ExpositionBody.of(body).truncated()).isEmpty();
    }
}
