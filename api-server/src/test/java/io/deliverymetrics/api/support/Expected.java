package io.deliverymetrics.api.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.core.model.DeliveryAttempt;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics computed straight from raw attempts, independently of MetricBucket: plain sums and exact
 * percentiles (the value at rank floor(q·(n−1)) of the sorted latencies).
 */
public final class Expected {

    private long successes;
    private long retried;
    private long discarded;
    private long expired;
    private long filtered;
    private final long[] byAttempt = new long[10];
    private long[] latencies = new long[0];
    private final Map<String, Long> errors = new TreeMap<>();

    private Expected() {}

    public static Expected of(Collection<DeliveryAttempt> attempts) {
        Expected e = new Expected();
        long[] lat = new long[attempts.size()];
        int n = 0;
        for (DeliveryAttempt a : attempts) {
            switch (a.outcome()) {
                case DELIVERED -> {
                    e.successes++;
                    e.byAttempt[Math.min(a.attempt(), 10) - 1]++;
                    lat[n++] = a.completedAt().toEpochMilli() - a.receivedAt().toEpochMilli();
                }
                case RETRYING -> e.retried++;
                case DISCARDED -> e.discarded++;
                case EXPIRED -> e.expired++;
                case FILTERED -> e.filtered++;
            }
            if (a.outcome().isFailure()) {
                String code = a.errorCode() == null ? "unknown" : a.errorCode();
                e.errors.merge(a.outcome().wireName() + "/" + code, 1L, Long::sum);
            }
        }
        e.latencies = java.util.Arrays.copyOf(lat, n);
        java.util.Arrays.sort(e.latencies);
        return e;
    }

    public long successes() {
        return successes;
    }

    public long retried() {
        return retried;
    }

    public long discarded() {
        return discarded;
    }

    public long expired() {
        return expired;
    }

    /** Error counts keyed {@code outcome/code}. */
    public Map<String, Long> errors() {
        return errors;
    }

    public long exactQuantile(double q) {
        return latencies[(int) Math.floor(q * (latencies.length - 1))];
    }

    /** Asserts that a point or totals object of a response carries exactly these metrics. */
    public void assertMatches(JsonNode p) {
        assertThat(p.get("successes").asLong()).as("successes").isEqualTo(successes);
        assertThat(p.get("retried").asLong()).as("retried").isEqualTo(retried);
        assertThat(p.get("discarded").asLong()).as("discarded").isEqualTo(discarded);
        assertThat(p.get("expired").asLong()).as("expired").isEqualTo(expired);
        assertThat(p.get("filtered").asLong()).as("filtered").isEqualTo(filtered);
        for (int i = 0; i < 10; i++) {
            assertThat(p.get("successes_by_attempt").get(i).asLong())
                    .as("successes on attempt %d", i + 1)
                    .isEqualTo(byAttempt[i]);
        }
        long terminal = successes + discarded + expired;
        if (terminal == 0) {
            assertThat(p.get("success_rate").isNull()).as("success_rate is null").isTrue();
        } else {
            assertThat(p.get("success_rate").asDouble())
                    .as("success_rate")
                    .isCloseTo((double) successes / terminal, within(1e-12));
        }
        if (latencies.length == 0) {
            for (String f :
                    new String[] {
                        "latency_p50",
                        "latency_p90",
                        "latency_p95",
                        "latency_p99",
                        "latency_avg",
                        "latency_max"
                    }) {
                assertThat(p.get(f).isNull()).as(f + " is null").isTrue();
            }
            return;
        }
        assertThat(p.get("latency_max").asLong())
                .as("latency_max")
                .isEqualTo(latencies[latencies.length - 1]);
        double sum = 0;
        for (long l : latencies) {
            sum += l;
        }
        assertThat(p.get("latency_avg").asDouble())
                .as("latency_avg")
                .isCloseTo(sum / latencies.length, within(1e-6));
        for (double q : new double[] {0.50, 0.90, 0.95, 0.99}) {
            String f = "latency_p" + Math.round(q * 100);
            long exact = exactQuantile(q);
            assertThat(p.get(f).asDouble())
                    .as("%s (exact %d)", f, exact)
                    .isCloseTo(exact, within(exact * 0.01 + 1e-9));
        }
    }

    /** Asserts that a point carries all zeros and nulls. */
    public static void assertEmpty(JsonNode p) {
        of(java.util.List.of()).assertMatches(p);
    }
}
