package io.deliverymetrics.datadog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.datadog.goals.DeliveryGoal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpMetricsSourceGoalsTest {

    private static List<DeliveryGoal> parse(String json) throws Exception {
        return HttpMetricsSource.parseGoals("ws_acme", new ObjectMapper().readTree(json));
    }

    @Test
    void shouldReadTheGoalListAsTheApiServesIt() throws Exception {
        List<DeliveryGoal> goals =
                parse(
                        """
                        {"workspace_id":"ws_acme","goals":[
                         {"goal_id":"g1","kind":"success_rate","target":0.995,"window":"28d",
                          "scope":"pair","source_id":"src_web","destination_id":"dst_s3",
                          "description":"d","created_at":"2026-11-26T12:00:00Z",
                          "updated_at":"2026-11-26T12:00:00Z"},
                         {"goal_id":"g2","kind":"latency_p95","target":2500.0,"window":"36h",
                          "scope":"destination","source_id":null,"destination_id":"dst_s3",
                          "description":"","created_at":null,"updated_at":null},
                         {"goal_id":"g3","kind":"data_lag","target":300.0,"window":null,
                          "scope":"workspace","source_id":null,"destination_id":null,
                          "description":""}]}
                        """);

        assertThat(goals).hasSize(3);
        assertThat(goals.get(0))
                .isEqualTo(
                        new DeliveryGoal(
                                "ws_acme",
                                "g1",
                                DeliveryGoal.Kind.SUCCESS_RATE,
                                0.995,
                                Duration.ofDays(28),
                                "src_web",
                                "dst_s3",
                                "d"));
        assertThat(goals.get(1).window()).isEqualTo(Duration.ofHours(36));
        assertThat(goals.get(1).scope()).isEqualTo("destination");
        assertThat(goals.get(2).window()).isNull();
        assertThat(goals.get(2).scope()).isEqualTo("workspace");
        assertThat(HttpMetricsSource.window("90m")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void shouldRefuseWhatItCannotMapRatherThanGuess() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"goals\":[{\"goal_id\":\"g\",\"kind\":\"apdex\","
                                                + "\"target\":0.9,\"window\":\"7d\"}]}"))
                .hasMessageContaining("unknown goal kind apdex");
        assertThatThrownBy(() -> parse("{\"goals\":[{\"goal_id\":\"g\",\"kind\":\"data_lag\"}]}"))
                .hasMessageContaining("target");
        assertThatThrownBy(() -> HttpMetricsSource.window("7w")).hasMessageContaining("7w");
    }
}
