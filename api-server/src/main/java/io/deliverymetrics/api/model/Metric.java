package io.deliverymetrics.api.model;

import io.deliverymetrics.core.metrics.MetricBucket;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A metric the API can return for a bucket, read from a (merged) {@link MetricBucket}.
 *
 * <p>Rates and latencies over nothing are undefined and come out as {@code null}, never as 0.
 * Percentiles come from the merged sketch, never from averaging stored percentiles.
 */
public enum Metric {
    SUCCESSES,
    RETRIED,
    DISCARDED,
    EXPIRED,
    FILTERED,
    SUCCESS_RATE,
    LATENCY_P50(0.50),
    LATENCY_P90(0.90),
    LATENCY_P95(0.95),
    LATENCY_P99(0.99),
    LATENCY_AVG,
    LATENCY_MAX,
    SUCCESSES_BY_ATTEMPT;

    private final String wireName = name().toLowerCase(Locale.ROOT);
    private final double quantile;

    Metric() {
        this(Double.NaN);
    }

    Metric(double quantile) {
        this.quantile = quantile;
    }

    /** The name used in the {@code metrics} parameter and as the JSON field. */
    public String wireName() {
        return wireName;
    }

    /**
     * The JSON value of this metric for {@code b}: a {@code Long}, a {@code Double}, a {@code
     * long[]} or {@code null} when undefined.
     */
    public Object valueOf(MetricBucket b) {
        return switch (this) {
            case SUCCESSES -> b.successes();
            case RETRIED -> b.retried();
            case DISCARDED -> b.discarded();
            case EXPIRED -> b.expired();
            case FILTERED -> b.filtered();
            case SUCCESS_RATE -> definedOrNull(b.successRate());
            case LATENCY_P50, LATENCY_P90, LATENCY_P95, LATENCY_P99 ->
                    definedOrNull(b.latencyQuantileMs(quantile));
            case LATENCY_AVG -> definedOrNull(b.latencyAvgMs());
            case LATENCY_MAX -> b.latencyCount() == 0 ? null : b.latencyMaxMs();
            case SUCCESSES_BY_ATTEMPT -> b.successesByAttempt();
        };
    }

    /**
     * Whether the value comes from the latency sketch (the quantiles); every other metric is read
     * from the bucket's counters alone.
     */
    public boolean readsLatencySketch() {
        return !Double.isNaN(quantile);
    }

    /**
     * Whether the value needs only the five outcome counters, which is all the event breakdown
     * keeps per event: the counts and {@code success_rate}, not latency or attempt numbers.
     */
    public boolean fromOutcomeCounters() {
        return switch (this) {
            case SUCCESSES, RETRIED, DISCARDED, EXPIRED, FILTERED, SUCCESS_RATE -> true;
            default -> false;
        };
    }

    /** The metrics the event groupings can serve ({@link #fromOutcomeCounters}), in order. */
    public static List<Metric> outcomeCounterMetrics() {
        return Arrays.stream(values()).filter(Metric::fromOutcomeCounters).toList();
    }

    /** The quantile in [0, 1] a latency percentile reads; {@code NaN} for every other metric. */
    public double quantile() {
        return quantile;
    }

    static Double definedOrNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** Looks up by wire name, e.g. {@code latency_p95}; empty for anything else. */
    public static Optional<Metric> fromWireName(String name) {
        for (Metric m : values()) {
            if (m.wireName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
