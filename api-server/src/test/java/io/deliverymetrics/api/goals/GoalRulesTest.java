package io.deliverymetrics.api.goals;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.exposition.Promtool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated rules, run by Prometheus' own rule evaluator ({@code promtool test rules}) over
 * constructed series of the workspace exposition: an incident on one pair fires its burn-rate
 * alerts and the healthy pair's none, a stalled pipeline fires the data-lag alert.
 */
class GoalRulesTest {

    private static final String WS = "ws_acme";

    private static final Goal CHECKOUT =
            goal(
                    "checkout",
                    GoalKind.SUCCESS_RATE,
                    0.99,
                    Duration.ofDays(28),
                    "src_web",
                    "dst_braze");
    private static final Goal ARCHIVE =
            goal("archive", GoalKind.SUCCESS_RATE, 0.99, Duration.ofDays(28), "src_web", "dst_s3");
    private static final Goal LAG = goal("lag", GoalKind.DATA_LAG, 600, null, null, null);
    private static final Goal P95 =
            goal("p95", GoalKind.LATENCY_P95, 2000, Duration.ofDays(7), null, "dst_braze");

    @Test
    void shouldFireTheFastBurnOfTheBurningPairOnlyAndTheLagAlertOfAStalledPipeline(
            @TempDir Path dir) throws Exception {
        Path rules = dir.resolve("goals.rules.yml");
        Files.writeString(
                rules,
                GoalRules.render(WS, List.of(CHECKOUT, ARCHIVE, LAG, P95)),
                StandardCharsets.UTF_8);
        Path test = dir.resolve("goals.test.yml");
        // One sample a minute for three hours (the 6 h window holds what there is). dst_braze
        // delivers 600 events a minute; from
        // minute 120 it also discards 300 a minute (a third of its events fail: a burn rate of
        // 33 for a 99 % goal). dst_s3 delivers 600 a minute and never fails. The final minutes
        // follow the clock for 100 minutes, then stop at 6,000 s.
        String series =
                """
                rule_files:
                  - goals.rules.yml
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'event_delivery_successes_total{workspace="ws_acme",source="src_web",destination="dst_braze"}'
                        values: '0+600x180'
                      - series: 'event_delivery_discarded_total{workspace="ws_acme",source="src_web",destination="dst_braze"}'
                        values: '0x120 300+300x60'
                      - series: 'event_delivery_expired_total{workspace="ws_acme",source="src_web",destination="dst_braze"}'
                        values: '0x180'
                      - series: 'event_delivery_successes_total{workspace="ws_acme",source="src_web",destination="dst_s3"}'
                        values: '0+600x180'
                      - series: 'event_delivery_discarded_total{workspace="ws_acme",source="src_web",destination="dst_s3"}'
                        values: '0x180'
                      - series: 'event_delivery_final_through_seconds{workspace="ws_acme",source="src_web",destination="dst_braze"}'
                        values: '0+60x100 6000x80'
                    alert_rule_test:
                      - eval_time: 100m
                        alertname: DeliveryGoalFastBurn
                        exp_alerts: []
                      - eval_time: 100m
                        alertname: DeliveryGoalDataLag
                        exp_alerts: []
                      - eval_time: 150m
                        alertname: DeliveryGoalFastBurn
                        exp_alerts:
                          - exp_labels:
                              workspace: ws_acme
                              goal: checkout
                              severity: page
                            exp_annotations:
                              summary: "%s"
                      - eval_time: 100m
                        alertname: DeliveryGoalSlowBurn
                        exp_alerts: []
                      - eval_time: 150m
                        alertname: DeliveryGoalSlowBurn
                        exp_alerts:
                          - exp_labels:
                              workspace: ws_acme
                              goal: checkout
                              severity: ticket
                            exp_annotations:
                              summary: "%s"
                      - eval_time: 150m
                        alertname: DeliveryGoalDataLag
                        exp_alerts:
                          - exp_labels:
                              workspace: ws_acme
                              goal: lag
                              severity: ticket
                            exp_annotations:
                              summary: "Goal lag of workspace ws_acme (workspace): final minutes trail the clock by more than 600 s"
                    promql_expr_test:
                      - expr: delivery_goal:error_ratio:rate5m{goal="checkout"}
                        eval_time: 150m
                        exp_samples:
                          - labels: 'delivery_goal:error_ratio:rate5m{workspace="ws_acme",goal="checkout"}'
                            value: 0.3333333333333333
                      - expr: delivery_goal:error_ratio:rate1h{goal="archive"}
                        eval_time: 150m
                        exp_samples:
                          - labels: 'delivery_goal:error_ratio:rate1h{workspace="ws_acme",goal="archive"}'
                            value: 0
                """
                        .formatted(burn("14.4", "1h", "5m"), burn("6", "6h", "30m"));
        Files.writeString(test, series, StandardCharsets.UTF_8);

        Promtool.Result check = Promtool.checkRules(rules);
        Promtool.Result run = Promtool.testRules(test);

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void shouldWriteAValidFileForAWorkspaceWithoutGoals(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("none.rules.yml");
        Files.writeString(rules, GoalRules.render(WS, List.of()), StandardCharsets.UTF_8);

        Promtool.Result check = Promtool.checkRules(rules);

        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void shouldWriteThresholdsAsPlainDecimals() {
        assertThat(GoalRules.number(14.4 * (1 - 0.999))).isEqualTo("0.0144");
        assertThat(GoalRules.number(600)).isEqualTo("600");
        assertThat(GoalRules.number(2.5)).isEqualTo("2.5");
    }

    private static String burn(String factor, String longWindow, String shortWindow) {
        return "Goal checkout of workspace ws_acme (pair src_web -> dst_braze): burns its error"
                + " budget over "
                + factor
                + " times too fast ("
                + longWindow
                + " and "
                + shortWindow
                + ")";
    }

    private static Goal goal(
            String id, GoalKind kind, double target, Duration window, String src, String dst) {
        return new Goal(WS, id, kind, target, window, src, dst, "", null, null);
    }
}
