package io.deliverymetrics.datadog.goals;

import com.datadog.api.client.v1.model.Monitor;
import com.datadog.api.client.v1.model.MonitorOptions;
import com.datadog.api.client.v1.model.MonitorThresholds;
import com.datadog.api.client.v1.model.MonitorType;
import com.datadog.api.client.v1.model.SLOThreshold;
import com.datadog.api.client.v1.model.SLOTimeframe;
import com.datadog.api.client.v1.model.SLOType;
import com.datadog.api.client.v1.model.ServiceLevelObjectiveQuery;
import com.datadog.api.client.v1.model.ServiceLevelObjectiveRequest;
import io.deliverymetrics.core.goals.BurnAlert;
import io.deliverymetrics.datadog.goals.GoalDefinitions.RoleMonitor;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a workspace's delivery goals into Datadog definitions over the forwarder's metrics:
 *
 * <ul>
 *   <li>success rate → a metric-based SLO, {@code successes / (successes + discarded + expired)}
 *       (filtered events and retried attempts left out, as the goal defines it), at the Datadog
 *       timeframe nearest the goal's window, plus the burn-rate monitors of {@link #BURN_ALERTS};
 *   <li>p95 latency → a metric monitor on the worst pair's per-minute p95 in the goal's scope,
 *       sustained over {@link #LATENCY_WINDOW};
 *   <li>data lag → a no-data monitor on the forwarded {@code event_delivery.successes} points of
 *       the workspace (zeros included): they stop arriving when complete minutes stop advancing.
 * </ul>
 *
 * Every definition is tagged {@code managed_by:delivery-metrics}, {@code workspace:<ws>}, {@code
 * delivery_goal:<goal id>} and {@code delivery_goal_role:<role>}, lower-cased as Datadog stores
 * tags; that is how {@code --apply} finds what it made before. A burn-rate monitor's query names
 * its SLO by id, which exists only once the SLO does: until then it holds {@link #SLO_ID}.
 */
public final class GoalMapper {

    /**
     * The burn-rate monitors made for each success-rate goal: the API's, {@link
     * BurnAlert#STANDARD}.
     */
    public static final List<BurnAlert> BURN_ALERTS = BurnAlert.STANDARD;

    /** Stands for the SLO's id in a burn-rate query until the SLO exists. */
    public static final String SLO_ID = "<slo_id>";

    /** Marks what this command manages. */
    public static final String MANAGED_BY = "managed_by:delivery-metrics";

    public static final String GOAL_TAG = "delivery_goal";
    public static final String ROLE_TAG = "delivery_goal_role";
    public static final String SLO_ROLE = "slo";
    public static final String LATENCY_ROLE = "latency_p95";
    public static final String LAG_ROLE = "data_lag";

    /** How long the worst pair's per-minute p95 must stay above the target. */
    public static final String LATENCY_WINDOW = "last_1h";

    /** Seconds Datadog waits for late points before evaluating a metric monitor (see README). */
    public static final long EVALUATION_DELAY_SECONDS = 300;

    private static final String PREFIX = "[Delivery Metrics] ";

    private final List<String> extraTags;
    private final String notify;

    /**
     * @param extraTags the forwarder's {@code datadog.tags}: they filter every query (the series
     *     carry them) and tag every definition
     * @param notify appended to every monitor's message; empty for none
     */
    public GoalMapper(List<String> extraTags, String notify) {
        this.extraTags = extraTags.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        this.notify = notify.strip();
    }

    /** The definitions of one goal. */
    public GoalDefinitions map(DeliveryGoal g) {
        return switch (g.kind()) {
            case SUCCESS_RATE -> successRate(g);
            case LATENCY_P95 ->
                    new GoalDefinitions(g, Optional.empty(), List.of(latency(g)), List.of());
            case DATA_LAG -> new GoalDefinitions(g, Optional.empty(), List.of(lag(g)), List.of());
        };
    }

    /** The Datadog timeframe nearest to a goal window; a tie goes to the shorter timeframe. */
    public static SLOTimeframe timeframe(Duration window) {
        double days = window.toMinutes() / 1440.0;
        SLOTimeframe best = null;
        double bestDistance = Double.MAX_VALUE;
        for (SLOTimeframe t :
                List.of(
                        SLOTimeframe.SEVEN_DAYS,
                        SLOTimeframe.THIRTY_DAYS,
                        SLOTimeframe.NINETY_DAYS)) {
            double d = Math.abs(days - Integer.parseInt(t.getValue().replace("d", "")));
            if (d < bestDistance) {
                best = t;
                bestDistance = d;
            }
        }
        return best;
    }

    /** The largest burn rate an SLO with {@code target} (a fraction) can show: 1 / (1 − target). */
    static boolean reachable(double factor, double target) {
        BigDecimal budget = BigDecimal.ONE.subtract(BigDecimal.valueOf(target));
        return BigDecimal.valueOf(factor).multiply(budget).compareTo(BigDecimal.ONE) <= 0;
    }

    private GoalDefinitions successRate(DeliveryGoal g) {
        String scope = scope(g, true);
        String successes = "sum:event_delivery.successes{" + scope + "}.as_count()";
        String denominator =
                successes
                        + " + sum:event_delivery.discarded{"
                        + scope
                        + "}.as_count() + sum:event_delivery.expired{"
                        + scope
                        + "}.as_count()";
        SLOTimeframe timeframe = timeframe(g.window());
        double targetPercent = BigDecimal.valueOf(g.target()).movePointRight(2).doubleValue();
        ServiceLevelObjectiveRequest slo =
                new ServiceLevelObjectiveRequest()
                        .type(SLOType.METRIC)
                        .name(
                                PREFIX
                                        + g.workspaceId()
                                        + "/"
                                        + g.goalId()
                                        + ": success rate ≥ "
                                        + number(targetPercent)
                                        + "% for "
                                        + scopeText(g))
                        .description(
                                description(g)
                                        + "Delivered ÷ (delivered + discarded + expired); filtered"
                                        + " events and retried attempts do not count. Goal window "
                                        + window(g.window())
                                        + ", Datadog timeframe "
                                        + timeframe.getValue()
                                        + ".")
                        .query(
                                new ServiceLevelObjectiveQuery()
                                        .numerator(successes)
                                        .denominator(denominator))
                        .thresholds(
                                List.of(
                                        new SLOThreshold()
                                                .timeframe(timeframe)
                                                .target(targetPercent)))
                        .tags(tags(g, SLO_ROLE));
        List<RoleMonitor> monitors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (BurnAlert a : BURN_ALERTS) {
            if (!reachable(a.factor(), g.target())) {
                notes.add(
                        a.name()
                                + " left out: a burn rate of "
                                + number(a.factor())
                                + " exceeds the largest an SLO with target "
                                + number(targetPercent)
                                + "% can show (1 / (1 − target)), and Datadog refuses such an"
                                + " alert");
                continue;
            }
            String query =
                    "burn_rate(\""
                            + SLO_ID
                            + "\").over(\""
                            + timeframe.getValue()
                            + "\").long_window(\""
                            + window(a.longWindow())
                            + "\").short_window(\""
                            + window(a.shortWindow())
                            + "\") > "
                            + number(a.factor());
            Monitor m =
                    new Monitor()
                            .type(MonitorType.SLO_ALERT)
                            .name(
                                    PREFIX
                                            + g.workspaceId()
                                            + "/"
                                            + g.goalId()
                                            + ": "
                                            + a.name().replace('_', ' ')
                                            + " of the success-rate budget for "
                                            + scopeText(g))
                            .query(query)
                            .message(
                                    message(
                                            "{{#is_alert}}The success-rate goal "
                                                    + g.goalId()
                                                    + " of workspace "
                                                    + g.workspaceId()
                                                    + " ("
                                                    + scopeText(g)
                                                    + ", at least "
                                                    + number(targetPercent)
                                                    + "% over "
                                                    + window(g.window())
                                                    + ") spends its error budget more than "
                                                    + number(a.factor())
                                                    + " times as fast as it may, over both the last "
                                                    + window(a.longWindow())
                                                    + " and the last "
                                                    + window(a.shortWindow())
                                                    + ".{{/is_alert}}",
                                            g))
                            .tags(tags(g, a.name()))
                            .options(
                                    new MonitorOptions()
                                            .thresholds(
                                                    new MonitorThresholds().critical(a.factor())));
            monitors.add(new RoleMonitor(a.name(), m));
        }
        return new GoalDefinitions(g, Optional.of(slo), monitors, notes);
    }

    private RoleMonitor latency(DeliveryGoal g) {
        String query =
                "min("
                        + LATENCY_WINDOW
                        + "):max:event_delivery.latency.p95{"
                        + scope(g, true)
                        + "} > "
                        + number(g.target());
        Monitor m =
                new Monitor()
                        .type(MonitorType.QUERY_ALERT)
                        .name(
                                PREFIX
                                        + g.workspaceId()
                                        + "/"
                                        + g.goalId()
                                        + ": p95 latency above "
                                        + number(g.target())
                                        + " ms for "
                                        + scopeText(g))
                        .query(query)
                        .message(
                                message(
                                        "{{#is_alert}}For the whole last hour, the p95 latency of"
                                                + " the slowest pair ("
                                                + scopeText(g)
                                                + ", workspace "
                                                + g.workspaceId()
                                                + ") stayed above "
                                                + number(g.target())
                                                + " ms in every reported minute (lowest {{value}}"
                                                + " ms): the goal "
                                                + g.goalId()
                                                + " (p95 at most "
                                                + number(g.target())
                                                + " ms over "
                                                + window(g.window())
                                                + ") is at risk.{{/is_alert}}\nPer-minute"
                                                + " percentiles of single pairs; the goal's own"
                                                + " p95 over its window is in the goal status.",
                                        g))
                        .tags(tags(g, LATENCY_ROLE))
                        .options(
                                new MonitorOptions()
                                        .thresholds(new MonitorThresholds().critical(g.target()))
                                        .evaluationDelay(EVALUATION_DELAY_SECONDS)
                                        .requireFullWindow(false)
                                        .notifyNoData(false)
                                        .includeTags(true));
        return new RoleMonitor(LATENCY_ROLE, m);
    }

    /** Whole minutes of silence that mean the lag is above {@code targetSeconds}; at least 2. */
    static long noDataMinutes(double targetSeconds) {
        return Math.max(2, (long) Math.ceil(targetSeconds / 60));
    }

    private RoleMonitor lag(DeliveryGoal g) {
        long minutes = noDataMinutes(g.target());
        String query =
                "sum(last_1m):sum:event_delivery.successes{" + scope(g, false) + "}.as_count() < 0";
        Monitor m =
                new Monitor()
                        .type(MonitorType.QUERY_ALERT)
                        .name(
                                PREFIX
                                        + g.workspaceId()
                                        + "/"
                                        + g.goalId()
                                        + ": data lag above "
                                        + number(g.target())
                                        + " s")
                        .query(query)
                        .message(
                                message(
                                        "{{#is_no_data}}No complete minute of workspace "
                                                + g.workspaceId()
                                                + " reached Datadog for "
                                                + minutes
                                                + " minutes: the data lag goal "
                                                + g.goalId()
                                                + " (at most "
                                                + number(g.target())
                                                + " s) is probably missed. Either the pipeline"
                                                + " stopped completing minutes, or the forwarder"
                                                + " stopped, or the workspace sent nothing for"
                                                + " longer than the forwarder's poll.overlap."
                                                + "{{/is_no_data}}",
                                        g))
                        .tags(tags(g, LAG_ROLE))
                        .options(
                                new MonitorOptions()
                                        .thresholds(new MonitorThresholds().critical(0.0))
                                        .notifyNoData(true)
                                        .noDataTimeframe(minutes)
                                        .requireFullWindow(false)
                                        .includeTags(true));
        return new RoleMonitor(LAG_ROLE, m);
    }

    private String message(String text, DeliveryGoal g) {
        StringBuilder m = new StringBuilder(text);
        if (!g.description().isBlank()) {
            m.append('\n').append(g.description().strip());
        }
        m.append("\nStatus: GET /v1/workspaces/")
                .append(g.workspaceId())
                .append("/goals/status (goal ")
                .append(g.goalId())
                .append(").");
        if (!notify.isEmpty()) {
            m.append('\n').append(notify);
        }
        return m.toString();
    }

    private static String description(DeliveryGoal g) {
        return g.description().isBlank() ? "" : g.description().strip() + "\n";
    }

    /**
     * The tag filter of the goal's scope and the extra tags. Data lag is a property of the
     * pipeline, not of a pair, so its heartbeat is the whole workspace ({@code withPair} false).
     */
    private String scope(DeliveryGoal g, boolean withPair) {
        List<String> filter = new ArrayList<>();
        filter.add(tag("workspace", g.workspaceId()));
        if (withPair && g.sourceId() != null) {
            filter.add(tag("source", g.sourceId()));
        }
        if (withPair && g.destinationId() != null) {
            filter.add(tag("destination", g.destinationId()));
        }
        filter.addAll(extraTags);
        return String.join(",", filter);
    }

    private List<String> tags(DeliveryGoal g, String role) {
        Set<String> tags = new LinkedHashSet<>();
        tags.add(MANAGED_BY);
        tags.add(tag("workspace", g.workspaceId()));
        tags.add(tag(GOAL_TAG, g.goalId()));
        tags.add(tag(ROLE_TAG, role));
        if (g.sourceId() != null) {
            tags.add(tag("source", g.sourceId()));
        }
        if (g.destinationId() != null) {
            tags.add(tag("destination", g.destinationId()));
        }
        tags.addAll(extraTags);
        return new ArrayList<>(tags);
    }

    /** {@code key:value}, lower-cased as Datadog stores tags (ids are tag-safe characters). */
    static String tag(String key, String value) {
        return (key + ":" + value).toLowerCase(Locale.ROOT);
    }

    private static String scopeText(DeliveryGoal g) {
        return switch (g.scope()) {
            case "workspace" -> "all pairs";
            case "destination" -> "destination " + g.destinationId();
            default -> g.sourceId() + " → " + g.destinationId();
        };
    }

    /** {@code 28d}, {@code 36h}, {@code 5m}: the shortest exact form, as the API writes windows. */
    static String window(Duration d) {
        long minutes = d.toMinutes();
        if (minutes % 1440 == 0) {
            return minutes / 1440 + "d";
        }
        return minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    /** A number without a trailing {@code .0}: 14.4, 6, 99.5. */
    static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
