package io.deliverymetrics.datadog.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datadog.api.client.v1.model.Monitor;
import com.datadog.api.client.v1.model.MonitorType;
import com.datadog.api.client.v1.model.SLOThreshold;
import com.datadog.api.client.v1.model.SLOTimeframe;
import com.datadog.api.client.v1.model.SLOType;
import com.datadog.api.client.v1.model.ServiceLevelObjectiveRequest;
import io.deliverymetrics.api.goals.GoalEvaluator;
import io.deliverymetrics.datadog.GoalsCommand;
import io.deliverymetrics.datadog.goals.DeliveryGoal.Kind;
import io.deliverymetrics.datadog.goals.GoalDefinitions.RoleMonitor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoalMapperTest {

    private final GoalMapper mapper = new GoalMapper(List.of(), "");

    private static DeliveryGoal rate(double target, Duration window, String src, String dst) {
        return new DeliveryGoal("ws_acme", "g1", Kind.SUCCESS_RATE, target, window, src, dst, "");
    }

    private static Monitor monitor(GoalDefinitions d, String role) {
        return d.monitors().stream()
                .filter(m -> m.role().equals(role))
                .map(RoleMonitor::monitor)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void shouldMapAWorkspaceSuccessRateGoalToAMetricSloWithTheGoalsDefinition() {
        GoalDefinitions d = mapper.map(rate(0.995, Duration.ofDays(28), null, null));

        ServiceLevelObjectiveRequest slo = d.slo().orElseThrow();
        assertThat(slo.getType()).isEqualTo(SLOType.METRIC);
        assertThat(slo.getQuery().getNumerator())
                .isEqualTo("sum:event_delivery.successes{workspace:ws_acme}.as_count()");
        assertThat(slo.getQuery().getDenominator())
                .isEqualTo(
                        "sum:event_delivery.successes{workspace:ws_acme}.as_count()"
                                + " + sum:event_delivery.discarded{workspace:ws_acme}.as_count()"
                                + " + sum:event_delivery.expired{workspace:ws_acme}.as_count()");
        assertThat(slo.getQuery().getDenominator()).doesNotContain("filtered", "retried");
        assertThat(slo.getThresholds()).hasSize(1);
        SLOThreshold t = slo.getThresholds().get(0);
        assertThat(t.getTimeframe()).isEqualTo(SLOTimeframe.THIRTY_DAYS);
        assertThat(t.getTarget()).isEqualTo(99.5); // not 99.49999999999999
        assertThat(slo.getTags())
                .contains(
                        "delivery_goal:g1",
                        "workspace:ws_acme",
                        "managed_by:delivery-metrics",
                        "delivery_goal_role:slo")
                .noneMatch(x -> x.startsWith("source:") || x.startsWith("destination:"));
        assertThat(slo.getDescription()).contains("28d", "30d");
    }

    @Test
    void shouldAddTheWorkbooksBurnRateMonitorsOverTheSlosTimeframe() {
        GoalDefinitions d = mapper.map(rate(0.995, Duration.ofDays(28), null, null));

        assertThat(d.monitors())
                .extracting(RoleMonitor::role)
                .containsExactly("fast_burn", "slow_burn");
        Monitor fast = monitor(d, "fast_burn");
        assertThat(fast.getType()).isEqualTo(MonitorType.SLO_ALERT);
        assertThat(fast.getQuery())
                .isEqualTo(
                        "burn_rate(\"<slo_id>\").over(\"30d\").long_window(\"1h\")"
                                + ".short_window(\"5m\") > 14.4");
        assertThat(fast.getOptions().getThresholds().getCritical()).isEqualTo(14.4);
        Monitor slow = monitor(d, "slow_burn");
        assertThat(slow.getQuery())
                .isEqualTo(
                        "burn_rate(\"<slo_id>\").over(\"30d\").long_window(\"6h\")"
                                + ".short_window(\"30m\") > 6");
        assertThat(slow.getOptions().getThresholds().getCritical()).isEqualTo(6.0);
        assertThat(slow.getTags()).contains("delivery_goal:g1", "delivery_goal_role:slow_burn");
        assertThat(d.notes()).isEmpty();
    }

    @Test
    void shouldUseTheSameAlertsAsTheApisGoalStatus() {
        assertThat(GoalMapper.BURN_ALERTS).isSameAs(GoalEvaluator.BURN_ALERTS);
    }

    @Test
    void shouldFilterByDestinationOrPairAndTagTheScope() {
        GoalDefinitions dst = mapper.map(rate(0.99, Duration.ofDays(7), null, "dst_s3"));
        GoalDefinitions pair =
                new GoalMapper(List.of("env:Prod"), "")
                        .map(rate(0.99, Duration.ofDays(90), "Src_Web", "DST_Amplitude"));

        assertThat(dst.slo().orElseThrow().getQuery().getNumerator())
                .isEqualTo(
                        "sum:event_delivery.successes{workspace:ws_acme,destination:dst_s3}.as_count()");
        assertThat(dst.slo().orElseThrow().getThresholds().get(0).getTimeframe())
                .isEqualTo(SLOTimeframe.SEVEN_DAYS);
        assertThat(dst.slo().orElseThrow().getTags()).contains("destination:dst_s3");
        assertThat(monitor(dst, "fast_burn").getQuery()).contains(".over(\"7d\")");

        // Datadog stores tags lower-cased, so the filters are too; extra tags filter as well.
        ServiceLevelObjectiveRequest p = pair.slo().orElseThrow();
        assertThat(p.getQuery().getDenominator())
                .contains(
                        "sum:event_delivery.expired{workspace:ws_acme,source:src_web,"
                                + "destination:dst_amplitude,env:prod}.as_count()");
        assertThat(p.getThresholds().get(0).getTimeframe()).isEqualTo(SLOTimeframe.NINETY_DAYS);
        assertThat(p.getTags()).contains("source:src_web", "destination:dst_amplitude", "env:prod");
    }

    @Test
    void shouldPickTheNearestDatadogTimeframe() {
        assertThat(GoalMapper.timeframe(Duration.ofHours(6))).isEqualTo(SLOTimeframe.SEVEN_DAYS);
        assertThat(GoalMapper.timeframe(Duration.ofDays(7))).isEqualTo(SLOTimeframe.SEVEN_DAYS);
        assertThat(GoalMapper.timeframe(Duration.ofDays(18))).isEqualTo(SLOTimeframe.SEVEN_DAYS);
        // 18.5 days is as near 7 as 30: the shorter wins
        assertThat(GoalMapper.timeframe(Duration.ofHours(18 * 24 + 12)))
                .isEqualTo(SLOTimeframe.SEVEN_DAYS);
        assertThat(GoalMapper.timeframe(Duration.ofDays(19))).isEqualTo(SLOTimeframe.THIRTY_DAYS);
        assertThat(GoalMapper.timeframe(Duration.ofDays(28))).isEqualTo(SLOTimeframe.THIRTY_DAYS);
        assertThat(GoalMapper.timeframe(Duration.ofDays(60))).isEqualTo(SLOTimeframe.THIRTY_DAYS);
        assertThat(GoalMapper.timeframe(Duration.ofDays(61))).isEqualTo(SLOTimeframe.NINETY_DAYS);
        assertThat(GoalMapper.timeframe(Duration.ofDays(400))).isEqualTo(SLOTimeframe.NINETY_DAYS);
    }

    @Test
    void shouldLeaveOutBurnRatesTheTargetCannotReach() {
        // 1 / (1 - 0.9) = 10: 14.4 can never be measured, 6 can
        GoalDefinitions ninety = mapper.map(rate(0.9, Duration.ofDays(30), null, null));
        // 1 / (1 - 0.8) = 5: neither
        GoalDefinitions eighty = mapper.map(rate(0.8, Duration.ofDays(30), null, null));
        // 1 / (1 - 0.93) ≈ 14.29 < 14.4
        GoalDefinitions ninetyThree = mapper.map(rate(0.93, Duration.ofDays(30), null, null));

        assertThat(ninety.monitors()).extracting(RoleMonitor::role).containsExactly("slow_burn");
        assertThat(ninety.notes()).singleElement().asString().startsWith("fast_burn left out");
        assertThat(eighty.monitors()).isEmpty();
        assertThat(eighty.notes()).hasSize(2);
        assertThat(eighty.slo()).isPresent();
        assertThat(ninetyThree.monitors())
                .extracting(RoleMonitor::role)
                .containsExactly("slow_burn");
        assertThat(GoalMapper.reachable(10, 0.9)).isTrue();
    }

    @Test
    void shouldMapALatencyGoalToAMonitorOnTheWorstPairsP95() {
        GoalDefinitions d =
                mapper.map(
                        new DeliveryGoal(
                                "ws_acme",
                                "lat",
                                Kind.LATENCY_P95,
                                2500,
                                Duration.ofHours(24),
                                "src_web",
                                "dst_s3",
                                "fast enough"));

        assertThat(d.slo()).isEmpty();
        Monitor m = monitor(d, "latency_p95");
        assertThat(m.getType()).isEqualTo(MonitorType.QUERY_ALERT);
        assertThat(m.getQuery())
                .isEqualTo(
                        "min(last_1h):max:event_delivery.latency.p95"
                                + "{workspace:ws_acme,source:src_web,destination:dst_s3} > 2500");
        assertThat(m.getOptions().getThresholds().getCritical()).isEqualTo(2500.0);
        assertThat(m.getOptions().getEvaluationDelay()).isEqualTo(300L);
        assertThat(m.getMessage()).contains("fast enough", "/v1/workspaces/ws_acme/goals/status");
        assertThat(m.getTags()).contains("delivery_goal:lat", "delivery_goal_role:latency_p95");
    }

    @Test
    void shouldMapADataLagGoalToANoDataMonitorOnTheWorkspacesForwardedMinutes() {
        GoalDefinitions d =
                new GoalMapper(List.of(), "@slack-oncall")
                        .map(
                                new DeliveryGoal(
                                        "ws_acme",
                                        "fresh",
                                        Kind.DATA_LAG,
                                        300,
                                        null,
                                        null,
                                        "dst_s3",
                                        ""));

        Monitor m = monitor(d, "data_lag");
        assertThat(m.getType()).isEqualTo(MonitorType.QUERY_ALERT);
        // the pipeline completes minutes for every pair at once: the heartbeat is the workspace's
        assertThat(m.getQuery())
                .isEqualTo(
                        "sum(last_1m):sum:event_delivery.successes{workspace:ws_acme}.as_count() < 0");
        assertThat(m.getOptions().getNotifyNoData()).isTrue();
        assertThat(m.getOptions().getNoDataTimeframe()).isEqualTo(5L);
        assertThat(m.getMessage()).contains("{{#is_no_data}}").endsWith("\n@slack-oncall");
        assertThat(GoalMapper.noDataMinutes(30)).isEqualTo(2);
        assertThat(GoalMapper.noDataMinutes(61)).isEqualTo(2);
        assertThat(GoalMapper.noDataMinutes(181)).isEqualTo(4);
    }

    @Test
    void shouldRefuseGoalIdsThatDifferOnlyInCase() {
        List<DeliveryGoal> goals =
                List.of(
                        new DeliveryGoal("ws", "Fresh", Kind.DATA_LAG, 60, null, null, null, ""),
                        new DeliveryGoal("ws", "fresh", Kind.DATA_LAG, 60, null, null, null, ""));

        assertThatThrownBy(() -> GoalsCommand.definitions(mapper, goals))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("differ only in case");
    }
}
