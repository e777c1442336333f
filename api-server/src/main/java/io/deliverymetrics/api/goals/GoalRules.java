package io.deliverymetrics.api.goals;

import io.deliverymetrics.core.goals.BurnAlert;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Prometheus recording and alerting rules for a workspace's goals, over the series of its own
 * exposition ({@code /v1/workspaces/{ws}/metrics}): the file a customer loads into the Prometheus
 * that scrapes it. Each success-rate goal gets its error ratio recorded over 5 min, 30 min, 1 h and
 * 6 h and the SRE workbook's multi-window burn-rate alerts (the same pairs and factors as {@link
 * GoalEvaluator#BURN_ALERTS}); a p95-latency goal an alert on the p95 of the last hour from the
 * exposition's histogram (as coarse as its buckets); a data-lag goal an alert on how far the final
 * minutes trail the clock (the exposition counts final minutes, which trail complete ones by the
 * job's allowed lateness). Ids are {@code [A-Za-z0-9_.:-]}, so they need no escaping in label
 * values.
 */
public final class GoalRules {

    /** The windows the error ratio is recorded over. */
    static final List<Duration> WINDOWS =
            List.of(
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(30),
                    Duration.ofHours(1),
                    Duration.ofHours(6));

    private GoalRules() {}

    /** A rule file for {@code goals}, all of {@code workspaceId}. */
    public static String render(String workspaceId, List<Goal> goals) {
        StringBuilder y = new StringBuilder();
        y.append("# Delivery goals of workspace ").append(workspaceId).append('\n');
        y.append("# Generated from its declared goals; load into the Prometheus that scrapes\n");
        y.append("# /v1/workspaces/").append(workspaceId).append("/metrics.\n");
        y.append("groups:\n");
        y.append("  - name: delivery-goals-").append(workspaceId).append('\n');
        y.append("    rules:\n");
        if (goals.isEmpty()) {
            y.setLength(y.length() - "    rules:\n".length());
            y.append("    rules: []\n");
            return y.toString();
        }
        for (Goal g : goals) {
            switch (g.kind()) {
                case SUCCESS_RATE -> successRate(y, g);
                case LATENCY_P95 -> latency(y, g);
                case DATA_LAG -> lag(y, g);
            }
        }
        return y.toString();
    }

    private static void successRate(StringBuilder y, Goal g) {
        String sel = selector(g);
        for (Duration w : WINDOWS) {
            String r = GoalEvaluator.label(w);
            String failures =
                    "(sum(rate(event_delivery_discarded_total"
                            + sel
                            + "["
                            + r
                            + "])) or vector(0)) + (sum(rate(event_delivery_expired_total"
                            + sel
                            + "["
                            + r
                            + "])) or vector(0))";
            String events =
                    "(sum(rate(event_delivery_successes_total"
                            + sel
                            + "["
                            + r
                            + "])) or vector(0)) + "
                            + failures;
            y.append("      - record: delivery_goal:error_ratio:rate").append(r).append('\n');
            y.append("        expr: (").append(failures).append(") / (").append(events);
            y.append(") > -1\n");
            labels(y, g);
        }
        for (BurnAlert a : GoalEvaluator.BURN_ALERTS) {
            String threshold = number(a.factor() * (1 - g.target()));
            String goalSel = goalSelector(g);
            y.append("      - alert: DeliveryGoal").append(camel(a.name())).append('\n');
            y.append("        expr: delivery_goal:error_ratio:rate")
                    .append(GoalEvaluator.label(a.longWindow()))
                    .append(goalSel)
                    .append(" > ")
                    .append(threshold)
                    .append(" and delivery_goal:error_ratio:rate")
                    .append(GoalEvaluator.label(a.shortWindow()))
                    .append(goalSel)
                    .append(" > ")
                    .append(threshold)
                    .append('\n');
            y.append("        labels:\n");
            y.append("          severity: ")
                    .append(a.name().equals("fast_burn") ? "page" : "ticket")
                    .append('\n');
            annotations(
                    y,
                    g,
                    "burns its error budget over "
                            + number(a.factor())
                            + " times too fast ("
                            + GoalEvaluator.label(a.longWindow())
                            + " and "
                            + GoalEvaluator.label(a.shortWindow())
                            + ")");
        }
    }

    private static void latency(StringBuilder y, Goal g) {
        y.append("      - alert: DeliveryGoalLatencyP95\n");
        y.append("        expr: histogram_quantile(0.95, sum by (le) (rate(")
                .append("event_delivery_latency_seconds_bucket")
                .append(selector(g))
                .append("[1h]))) > ")
                .append(number(g.target() / 1000))
                .append('\n');
        y.append("        for: 10m\n");
        labels(y, g);
        y.append("          severity: ticket\n");
        annotations(y, g, "p95 latency of the last hour above " + number(g.target()) + " ms");
    }

    private static void lag(StringBuilder y, Goal g) {
        y.append("      - alert: DeliveryGoalDataLag\n");
        y.append("        expr: time() - max(event_delivery_final_through_seconds")
                .append(selector(g))
                .append(") > ")
                .append(number(g.target()))
                .append('\n');
        y.append("        for: 5m\n");
        labels(y, g);
        y.append("          severity: ticket\n");
        annotations(
                y, g, "final minutes trail the clock by more than " + number(g.target()) + " s");
    }

    private static void labels(StringBuilder y, Goal g) {
        y.append("        labels:\n");
        y.append("          workspace: \"").append(g.workspaceId()).append("\"\n");
        y.append("          goal: \"").append(g.goalId()).append("\"\n");
    }

    private static void annotations(StringBuilder y, Goal g, String what) {
        y.append("        annotations:\n");
        y.append("          summary: \"Goal ")
                .append(g.goalId())
                .append(" of workspace ")
                .append(g.workspaceId())
                .append(" (")
                .append(g.scope())
                .append(g.destinationId() == null ? "" : " " + scopeName(g))
                .append("): ")
                .append(what)
                .append("\"\n");
    }

    private static String scopeName(Goal g) {
        return g.sourceId() == null ? g.destinationId() : g.sourceId() + " -> " + g.destinationId();
    }

    /** The exposition's labels of the goal's scope. */
    static String selector(Goal g) {
        StringBuilder s = new StringBuilder("{workspace=\"").append(g.workspaceId()).append('"');
        if (g.sourceId() != null) {
            s.append(",source=\"").append(g.sourceId()).append('"');
        }
        if (g.destinationId() != null) {
            s.append(",destination=\"").append(g.destinationId()).append('"');
        }
        return s.append('}').toString();
    }

    private static String goalSelector(Goal g) {
        return "{workspace=\"" + g.workspaceId() + "\",goal=\"" + g.goalId() + "\"}";
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        for (String part : snake.split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    /** A plain decimal (no exponent), as PromQL and YAML read it. */
    static String number(double v) {
        String s = String.format(Locale.ROOT, "%.10f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
