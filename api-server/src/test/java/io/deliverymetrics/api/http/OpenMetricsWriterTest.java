package io.deliverymetrics.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenMetricsWriterTest {

    @Test
    void shouldWriteMetadataSamplesAndEof() {
        String text =
                new OpenMetricsWriter()
                        .family("event_delivery_successes", "gauge", null, "Deliveries.")
                        .sample("event_delivery_successes", 7, "workspace", "ws", "source", "s")
                        .family("up_seconds", "gauge", "seconds", "Up.")
                        .sample("up_seconds", 1.5)
                        .finish();

        assertThat(text)
                .isEqualTo(
                        """
                        # TYPE event_delivery_successes gauge
                        # HELP event_delivery_successes Deliveries.
                        event_delivery_successes{workspace="ws",source="s"} 7
                        # TYPE up_seconds gauge
                        # UNIT up_seconds seconds
                        # HELP up_seconds Up.
                        up_seconds 1.5
                        # EOF
                        """);
    }

    @Test
    void shouldEscapeBackslashQuoteAndLineFeedInLabelValues() {
        String text =
                new OpenMetricsWriter()
                        .family("m", "gauge", null, "M.")
                        .sample("m", 1, "source", "we\"ird\\src\nnext")
                        .finish();

        assertThat(text).contains("m{source=\"we\\\"ird\\\\src\\nnext\"} 1\n");
    }

    @Test
    void shouldSpellSpecialNumbersAsOpenMetricsDoes() {
        assertThat(OpenMetricsWriter.format(Double.NaN)).isEqualTo("NaN");
        assertThat(OpenMetricsWriter.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(OpenMetricsWriter.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(OpenMetricsWriter.format(812.25)).isEqualTo("812.25");
    }

    @Test
    void shouldRefuseInvalidNamesRepeatedFamiliesAndUnitsThatDoNotEndTheName() {
        OpenMetricsWriter w = new OpenMetricsWriter().family("a", "gauge", null, "A.");

        assertThatThrownBy(() -> w.family("a", "gauge", null, "again"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.family("b-c", "gauge", null, "B."))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.sample("a", 1, "bad label", "v"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.family("latency_ms", "gauge", "seconds", "L."))
                .hasMessageContaining("must end with its unit");
        assertThatThrownBy(() -> w.family("q", "gauge", null, "say \"hi\""))
                .hasMessageContaining("plain line");
    }
}
