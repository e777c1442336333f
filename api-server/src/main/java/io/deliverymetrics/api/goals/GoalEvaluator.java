package io.deliverymetrics.api.goals;

import io.deliverymetrics.api.query.MetricsService;
import io.deliverymetrics.api.query.RowContent;
import io.deliverymetrics.api.query.RowMeter;
import io.deliverymetrics.core.goals.BurnAlert;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.time.Completeness;
import io.deliverymetrics.core.time.Granularity;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Evaluates goals from the exact tiers through {@link MetricsService#totals} (the summary's read
 * and real-time union; no second aggregation path). Windows end at the start of the current minute;
 * long windows are read at whole days or hours ({@link #tierFor}).
 *
 * <p>For a success-rate goal: the rate over the window, the error budget ({@code (1 − target) ×
 * events} failures) consumed and remaining, and the burn rate (failure ratio ÷ {@code (1 −
 * target)}) over the multi-window pairs of the SRE workbook: fast burn when both the 1 h and the 5
 * min burn rate exceed 14.4 (2 % of a 30-day budget in an hour), slow burn when both the 6 h and
 * the 30 min exceed 6 (5 % in six hours).
 */
public final class GoalEvaluator {

    /** The burn-rate alerts evaluated: {@link BurnAlert#STANDARD}. */
    public static final List<BurnAlert> BURN_ALERTS = BurnAlert.STANDARD;

    private static final RowContent COUNTERS = new RowContent(false, false);
    private static final RowContent SKETCHES = new RowContent(true, false);

    private final MetricsService metrics;

    public GoalEvaluator(MetricsService metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The status of {@code g} at {@code now}, as JSON fields (after the goal's own). */
    public Map<String, Object> evaluate(Goal g, Instant now, RowMeter meter) {
        Instant end = now.truncatedTo(ChronoUnit.MINUTES);
        Map<String, Object> out = new LinkedHashMap<>();
        switch (g.kind()) {
            case SUCCESS_RATE -> successRate(g, end, now, meter, out);
            case LATENCY_P95 -> {
                MetricsService.Totals t = totals(g, g.window(), end, now, SKETCHES, meter);
                range(t, out);
                double p95 = t.bucket().latencyQuantileMs(0.95);
                Double value = Double.isNaN(p95) ? null : p95;
                out.put("value", value);
                out.put("met", value == null ? null : value <= g.target());
            }
            case DATA_LAG -> {
                MetricsService.Totals t =
                        totals(g, Duration.ofMinutes(1), end, now, COUNTERS, meter);
                Optional<Completeness> c = t.completeness();
                out.put(
                        "complete_through",
                        c.map(x -> x.completeThrough().toString()).orElse(null));
                Double lag =
                        c.map(x -> Duration.between(x.completeThrough(), now).toMillis() / 1e3)
                                .orElse(null);
                out.put("value", lag);
                out.put("met", lag == null ? null : lag <= g.target());
            }
        }
        return out;
    }

    private void successRate(
            Goal g, Instant end, Instant now, RowMeter meter, Map<String, Object> out) {
        MetricsService.Totals t = totals(g, g.window(), end, now, COUNTERS, meter);
        range(t, out);
        MetricBucket b = t.bucket();
        long failures = b.discarded() + b.expired();
        long events = b.successes() + failures;
        double budgetShare = 1 - g.target();
        Double rate = events == 0 ? null : (double) b.successes() / events;
        out.put("value", rate);
        out.put("met", rate == null ? null : rate >= g.target());
        out.put("events", events);
        out.put("failures", failures);
        double allowed = budgetShare * events;
        Map<String, Object> budget = new LinkedHashMap<>();
        budget.put("allowed_failures", allowed);
        Double consumed = events == 0 ? null : failures / allowed;
        budget.put("consumed", consumed);
        budget.put("remaining", consumed == null ? null : 1 - consumed);
        out.put("error_budget", budget);

        Map<String, Object> burn = new LinkedHashMap<>();
        Map<String, Object> alerts = new LinkedHashMap<>();
        boolean burning = false;
        for (BurnAlert a : BURN_ALERTS) {
            Double longRate = burnRate(g, a.longWindow(), end, now, meter, budgetShare);
            Double shortRate = burnRate(g, a.shortWindow(), end, now, meter, budgetShare);
            burn.put(label(a.longWindow()), longRate);
            burn.put(label(a.shortWindow()), shortRate);
            boolean firing =
                    longRate != null
                            && shortRate != null
                            && longRate > a.factor()
                            && shortRate > a.factor();
            alerts.put(a.name(), firing);
            burning |= firing;
        }
        out.put("burn_rates", burn);
        out.put("alerts", alerts);
        out.put("burning", burning);
    }

    private Double burnRate(
            Goal g, Duration window, Instant end, Instant now, RowMeter meter, double budget) {
        MetricBucket b = totals(g, window, end, now, COUNTERS, meter).bucket();
        long failures = b.discarded() + b.expired();
        long events = b.successes() + failures;
        return events == 0 ? null : ((double) failures / events) / budget;
    }

    private MetricsService.Totals totals(
            Goal g, Duration window, Instant end, Instant now, RowContent content, RowMeter meter) {
        return metrics.totals(
                g.workspaceId(),
                g.sourceId(),
                g.destinationId(),
                end.minus(window),
                end,
                tierFor(window),
                now,
                content,
                meter);
    }

    /**
     * The tier a window is read at: whole days from 7 days on, whole hours from a day on (the
     * served range, in the answer's {@code start} and {@code end}, then covers the window's
     * buckets), minute rows below. A 28-day goal of a 5,000-pair workspace reads 140,000 day rows
     * instead of 3.4 million hour rows, which the workspace's read rate would pace for a minute.
     */
    static Optional<Granularity> tierFor(Duration window) {
        if (window.compareTo(Duration.ofDays(7)) >= 0) {
            return Optional.of(Granularity.DAY);
        }
        if (window.compareTo(Duration.ofDays(1)) >= 0) {
            return Optional.of(Granularity.HOUR);
        }
        return Optional.of(Granularity.MINUTE);
    }

    private static void range(MetricsService.Totals t, Map<String, Object> out) {
        out.put("start", t.resolution().start().toString());
        out.put("end", t.resolution().end().toString());
        out.put("granularity", t.resolution().granularity().wireName());
        out.put(
                "complete_through",
                t.completeness().map(c -> c.completeThrough().toString()).orElse(null));
    }

    /** {@code 1h}, {@code 5m}: the window's name in responses. */
    static String label(Duration d) {
        return d.toMinutes() % 60 == 0 ? d.toHours() + "h" : d.toMinutes() + "m";
    }
}
