package io.deliverymetrics.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramsTest {

    @Test
    void shouldReadNothingFromAnEmptyHistogram() {
        Histogram h = Histograms.create();

        assertThat(Histograms.at(h, 50)).isNaN();
        assertThat(Histograms.max(h)).isNaN();
    }

    @Test
    void shouldReadPercentilesToWithinATenthOfAPercent() {
        Histogram h = Histograms.create();
        for (long v = 1; v <= 100_000; v++) {
            h.recordValue(v * 1_000);
        }

        assertThat(Histograms.at(h, 50)).isCloseTo(50_000_000, within(50_000.0));
        assertThat(Histograms.at(h, 99)).isCloseTo(99_000_000, within(99_000.0));
        assertThat(Histograms.at(h, 100)).isEqualTo(Histograms.max(h));
        assertThat(Histograms.max(h)).isCloseTo(100_000_000, within(100_000.0));
    }

    @Test
    void shouldTakeAnyValueWithoutARangeGivenUpFront() {
        Histogram h = Histograms.concurrent();
        h.recordValue(1);
        h.recordValue(3_600_000_000_000L);

        assertThat(Histograms.max(h)).isCloseTo(3.6e12, within(3.6e9));
        assertThat(Histograms.at(h, 50)).isEqualTo(1);
    }
}
