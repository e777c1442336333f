package io.deliverymetrics.api.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Values as the dashboard formats them (format.js), for tests that compare the page's text. */
public final class Shown {

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private Shown() {}

    /** A count with thousands separators: {@code 12,345}. */
    public static String count(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    /** A rate in percent with two decimals, rounded down: {@code 99.83 %}. */
    public static String rate(double r) {
        return String.format(Locale.ROOT, "%.2f %%", Math.floor(r * 10000 + 1e-9) / 100);
    }

    /** An instant to the minute, UTC: {@code 2026-11-26 11:52}. */
    public static String dateTime(Instant t) {
        return DATE_TIME.format(t);
    }

    /**
     * A shown latency ("812 ms" or "6.54 s") is the exact quantile within the sketch's 1 %; an
     * undefined one ({@code NaN}: no deliveries) is a dash.
     */
    public static void assertLatency(String shown, double exactMs) {
        if (Double.isNaN(exactMs)) {
            assertThat(shown).isEqualTo("\u2014");
            return;
        }
        double ms;
        double rounding;
        if (shown.endsWith(" ms")) {
            ms = Double.parseDouble(shown.substring(0, shown.length() - 3));
            rounding = 0.5;
        } else {
            assertThat(shown).endsWith(" s");
            ms = Double.parseDouble(shown.substring(0, shown.length() - 2)) * 1000;
            rounding = 5;
        }
        assertThat(ms)
                .as("%s vs exact %s ms", shown, exactMs)
                .isCloseTo(exactMs, within(exactMs * 0.01 + rounding));
    }
}
