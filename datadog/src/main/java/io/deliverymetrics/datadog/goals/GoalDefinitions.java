package io.deliverymetrics.datadog.goals;

import com.datadog.api.client.v1.model.Monitor;
import com.datadog.api.client.v1.model.ServiceLevelObjectiveRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one goal becomes in Datadog: an SLO (success-rate goals only) and its monitors, each with
 * the role that, with the goal id, identifies it among existing objects.
 *
 * @param slo the metric-based SLO of a success-rate goal
 * @param monitors burn-rate monitors of the SLO, or the latency or lag monitor
 * @param notes what was left out and why (a burn rate the SLO's target cannot reach)
 */
public record GoalDefinitions(
        DeliveryGoal goal,
        Optional<ServiceLevelObjectiveRequest> slo,
        List<RoleMonitor> monitors,
        List<String> notes) {

    /**
     * A monitor with its role: {@code fast_burn}, {@code slow_burn}, {@code latency_p95} or {@code
     * data_lag}.
     */
    public record RoleMonitor(String role, Monitor monitor) {
        public RoleMonitor {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(monitor, "monitor");
        }
    }

    public GoalDefinitions {
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(slo, "slo");
        monitors = List.copyOf(monitors);
        notes = List.copyOf(notes);
    }
}
