package io.deliverymetrics.datadog.assets;

import static org.assertj.core.api.Assertions.assertThat;

import com.datadog.api.client.JSON;
import com.datadog.api.client.v1.model.Monitor;
import com.datadog.api.client.v1.model.MonitorType;
import com.datadog.api.client.v1.model.ServiceLevelObjectiveRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deliverymetrics.datadog.GoalsCommand;
import io.deliverymetrics.datadog.goals.GoalMapper;
import io.deliverymetrics.datadog.model.DeliveryMetric;
import io.deliverymetrics.datadog.support.ExampleGoals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The SLOs and monitors the {@code goals} command generates pass the same contract check as the
 * monitor JSON under {@code datadog/monitors}: read back into the Datadog client's own model with
 * nothing unknown, using only this project's metrics and tags; burn-rate queries in Datadog's
 * documented form. {@code monitors/goals/example-dry-run.json} is what the dry run prints for
 * {@link ExampleGoals}, kept up to date by this test (run with {@code -Dgoals.example.write=true}
 * to rewrite it).
 */
class GoalDefinitionsContractTest {

    private static final ObjectMapper CLIENT = new JSON().getMapper();
    private static final Set<String> METRICS = Set.copyOf(DeliveryMetric.datadogNames());
    private static final Set<String> TAGS = Set.of("workspace", "source", "destination");
    private static final Pattern METRIC_QUERY =
            Pattern.compile("\\b(?:sum|avg|min|max):([A-Za-z0-9_.]+)\\{([^}]*)\\}");
    // https://docs.datadoghq.com/service_level_objectives/burn_rate/#api-and-terraform
    private static final Pattern BURN_RATE =
            Pattern.compile(
                    "burn_rate\\(\"([^\"]+)\"\\)\\.over\\(\"(7d|30d|90d)\"\\)"
                            + "\\.long_window\\(\"(\\d+[mh])\"\\)\\.short_window\\(\"(\\d+[mh])\"\\)"
                            + " > ([0-9.]+)");

    private static Path example() {
        return Path.of(System.getProperty("basedir", "."))
                .resolve("monitors/goals/example-dry-run.json");
    }

    private static String dryRun() throws Exception {
        ObjectMapper json = CLIENT.copy().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode report = json.createObjectNode();
        report.put("mode", "dry_run");
        report.putArray("workspaces")
                .add(
                        GoalsCommand.dryRun(
                                json,
                                ExampleGoals.WS,
                                GoalsCommand.definitions(
                                        new GoalMapper(List.of(), "@your-team"),
                                        ExampleGoals.all())));
        return json.writeValueAsString(report) + "\n";
    }

    @Test
    void shouldKeepTheExampleDryRunUpToDate() throws Exception {
        String expected = dryRun();
        if (Boolean.getBoolean("goals.example.write")) {
            Files.createDirectories(example().getParent());
            Files.writeString(example(), expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(example(), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void shouldReadEveryGeneratedDefinitionBackIntoTheClientModelWithNothingUnknown()
            throws Exception {
        JsonNode goals = CLIENT.readTree(dryRun()).at("/workspaces/0/goals");
        int slos = 0;
        int monitors = 0;
        for (JsonNode g : goals) {
            String id = g.get("goal_id").asText();
            if (g.has("slo")) {
                slos++;
                ServiceLevelObjectiveRequest slo =
                        CLIENT.treeToValue(g.get("slo"), ServiceLevelObjectiveRequest.class);
                assertThat(ClientModelCheck.problems(slo)).as(id).isEmpty();
                assertOurMetricsAndTags(slo.getQuery().getNumerator());
                assertOurMetricsAndTags(slo.getQuery().getDenominator());
                assertThat(slo.getTags()).contains("delivery_goal:" + id, "workspace:ws_acme");
            }
            for (JsonNode m : g.get("monitors")) {
                monitors++;
                Monitor monitor = CLIENT.treeToValue(m.get("monitor"), Monitor.class);
                assertThat(ClientModelCheck.problems(monitor)).as(id).isEmpty();
                assertThat(monitor.getOptions().getThresholds().getCritical()).isNotNull();
                assertThat(monitor.getTags()).contains("delivery_goal:" + id);
                if (MonitorType.SLO_ALERT.equals(monitor.getType())) {
                    Matcher b = BURN_RATE.matcher(monitor.getQuery());
                    assertThat(b.matches()).as(monitor.getQuery()).isTrue();
                    assertThat(b.group(1)).isEqualTo(GoalMapper.SLO_ID);
                    assertThat(Double.parseDouble(b.group(5)))
                            .isEqualTo(monitor.getOptions().getThresholds().getCritical());
                } else {
                    assertThat(monitor.getType()).isEqualTo(MonitorType.QUERY_ALERT);
                    assertOurMetricsAndTags(monitor.getQuery());
                }
            }
        }
        // three success-rate goals (one at 90 %: only the slow burn), a latency and a lag goal
        assertThat(slos).isEqualTo(3);
        assertThat(monitors).isEqualTo(2 + 2 + 1 + 1 + 1);
    }

    private static void assertOurMetricsAndTags(String query) {
        Matcher m = METRIC_QUERY.matcher(query);
        int found = 0;
        while (m.find()) {
            found++;
            assertThat(METRICS).as(query).contains(m.group(1));
            for (String t : m.group(2).split(",")) {
                assertThat(TAGS).as(query).contains(t.substring(0, t.indexOf(':')));
            }
        }
        assertThat(found).as(query).isPositive();
    }
}
