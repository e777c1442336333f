package io.deliverymetrics.core.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScrapeTest {

    private static final String BODY =
            """
            # HELP x_total Things.
            # TYPE x_total counter
            x_total{b="2",a="we\\"ird\\\\src"} 3.0
            x_total{b="2",a="dst\\nline"} 4.0 1700000000000
            x_total{b="3",a="c"} 5.0
            up 1
            latency_bucket{le="+Inf"} +Inf
            lag NaN
            # EOF
            """;

    @Test
    void shouldReadEverySampleByItsSeriesAsServed() {
        assertThat(Scrape.samples(BODY))
                .containsEntry("x_total{b=\"2\",a=\"we\\\"ird\\\\src\"}", 3.0)
                .containsEntry("x_total{b=\"2\",a=\"dst\\nline\"}", 4.0)
                .containsEntry("up", 1.0)
                .containsEntry("latency_bucket{le=\"+Inf\"}", Double.POSITIVE_INFINITY)
                .hasSize(6);
    }

    @Test
    void shouldMatchUnescapedLabelValuesAndSumOverTheOthers() {
        Scrape s = Scrape.parse(BODY);

        assertThat(s.value("x_total", "a", "we\"ird\\src")).isEqualTo(3.0);
        assertThat(s.value("x_total", "a", "dst\nline")).isEqualTo(4.0);
        assertThat(s.sum("x_total", "b", "2")).isEqualTo(7.0);
        assertThat(s.sum("x_total")).isEqualTo(12.0);
        assertThat(s.value("lag")).isNaN();
        assertThat(s.has("up")).isTrue();
        assertThat(s.has("down")).isFalse();
    }

    @Test
    void shouldRefuseAmbiguousLookupsAndLinesThatAreNoSamples() {
        Scrape s = Scrape.parse(BODY);

        assertThatThrownBy(() -> s.value("x_total", "b", "2")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> Scrape.parse("<html>oops</html>\n"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("not a sample line");
        assertThatThrownBy(() -> Scrape.parse("x_total{a=\"b\"}\n"))
                .isInstanceOf(AssertionError.class);
    }
}
