package io.deliverymetrics.datadog.assets;

import static org.assertj.core.api.Assertions.assertThat;

import com.datadog.api.client.JSON;
import com.datadog.api.client.v1.model.Dashboard;
import com.datadog.api.client.v1.model.Monitor;
import com.datadog.api.client.v1.model.MonitorType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.datadog.model.DeliveryMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The dashboard, monitors and Agent config under {@code datadog/} are importable: every JSON file
 * deserializes into the Datadog client's own model with nothing left unknown, and the queries use
 * only this project's metrics, tags and template variables.
 */
class DatadogAssetsTest {

    /** The client's ObjectMapper, as the client reads Datadog's own answers. */
    private static final ObjectMapper CLIENT = new JSON().getMapper();

    private static final Set<String> METRICS = Set.copyOf(DeliveryMetric.datadogNames());

    /** The tags the forwarder puts on the series of each scope. */
    private static final Map<DeliveryMetric.Scope, Set<String>> TAGS =
            Map.of(
                    DeliveryMetric.Scope.PAIR,
                    Set.of("workspace", "source", "destination"),
                    DeliveryMetric.Scope.DESTINATION_TYPE,
                    Set.of("destination_type", "status"));

    /** The dashboard's filter of each scope's queries: its template variables. */
    private static final Map<DeliveryMetric.Scope, String> FILTERS =
            Map.of(
                    DeliveryMetric.Scope.PAIR,
                    "$workspace,$source,$destination",
                    DeliveryMetric.Scope.DESTINATION_TYPE,
                    "$destination_type");

    private static final Pattern METRIC_QUERY =
            Pattern.compile(
                    "\\b(?:sum|avg|min|max):([A-Za-z0-9_.]+)\\{([^}]*)\\}(?:\\s*by\\s*\\{([^}]*)\\})?");
    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\$([A-Za-z0-9_]+)");

    private static Path module() {
        return Path.of(System.getProperty("basedir", "."));
    }

    private static DeliveryMetric.Scope scope(String datadogName) {
        return Arrays.stream(DeliveryMetric.values())
                .filter(m -> m.datadogName().equals(datadogName))
                .findFirst()
                .orElseThrow(() -> new AssertionError("not a forwarded metric: " + datadogName))
                .scope();
    }

    private static JsonNode tree(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    /** Every string under a "query" key, with the path to it. */
    private static List<String> queries(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, out);
        return out;
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            e -> {
                                if (e.getKey().equals("query") && e.getValue().isTextual()) {
                                    out.add(e.getValue().asText());
                                } else {
                                    collect(e.getValue(), out);
                                }
                            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }

    @Test
    void shouldDeserializeTheDashboardIntoTheClientModelWithNothingUnknown() throws Exception {
        Dashboard dashboard =
                CLIENT.readValue(module().resolve("dashboard.json").toFile(), Dashboard.class);

        assertThat(ClientModelCheck.problems(dashboard)).isEmpty();
        assertThat(dashboard.getTemplateVariables())
                .extracting(v -> v.getName(), v -> v.getPrefix())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("workspace", "workspace"),
                        org.assertj.core.groups.Tuple.tuple("source", "source"),
                        org.assertj.core.groups.Tuple.tuple("destination", "destination"),
                        org.assertj.core.groups.Tuple.tuple(
                                "destination_type", "destination_type"));
    }

    @Test
    void shouldNoticeWhatTheClientModelDoesNotUnderstand() throws Exception {
        String broken =
                """
                {"title": "t", "layout_type": "ordered", "colour": "blue",
                 "widgets": [
                   {"definition": {"type": "query_value", "requests": [{"q": "sum:x{*}"}],
                                   "autoscale": true, "precision": 2, "shiny": true}},
                   {"definition": {"type": "no_such_widget", "title": "x"}},
                   {"definition": {"type": "timeseries", "requests": [], "legend_size": "2",
                                   "show_legend": true, "display_type": "sparkles"}}]}
                """;

        List<String> problems =
                ClientModelCheck.problems(CLIENT.readValue(broken, Dashboard.class));

        assertThat(problems)
                .anyMatch(p -> p.contains("colour"))
                .anyMatch(p -> p.contains("shiny"))
                .anyMatch(p -> p.contains("widgets[1]"))
                .anyMatch(p -> p.contains("widgets[2]"));
    }

    @Test
    void shouldQueryOnlyOurMetricsFilteredByTheTemplateVariablesOfTheirScope() throws Exception {
        List<String> queries = queries(tree(module().resolve("dashboard.json")));

        assertThat(queries).isNotEmpty();
        Set<String> used = new HashSet<>();
        for (String q : queries) {
            Matcher m = METRIC_QUERY.matcher(q);
            assertThat(m.find()).as("a metric query: " + q).isTrue();
            used.add(m.group(1));
            assertThat(METRICS).as(q).contains(m.group(1));
            DeliveryMetric.Scope scope = scope(m.group(1));
            assertThat(m.group(2)).as(q).isEqualTo(FILTERS.get(scope));
            if (m.group(3) != null) {
                assertThat(TAGS.get(scope)).as(q).containsAll(List.of(m.group(3).split(",")));
            }
            Matcher v = TEMPLATE_VARIABLE.matcher(q);
            while (v.find()) {
                assertThat(TAGS.get(scope)).as(q).contains(v.group(1));
            }
        }
        assertThat(used).isEqualTo(METRICS);
    }

    @Test
    void shouldShowEachDestinationTypesStatusSuccessRateP95AndAffectedWorkspaces()
            throws Exception {
        JsonNode group = null;
        for (JsonNode w : tree(module().resolve("dashboard.json")).get("widgets")) {
            if (w.at("/definition/title").asText().startsWith("Destination overview")) {
                group = w.get("definition");
            }
        }
        assertThat(group).as("the Destination overview group").isNotNull();
        Map<String, List<String>> queriesByType = new java.util.HashMap<>();
        for (JsonNode w : group.get("widgets")) {
            queriesByType
                    .computeIfAbsent(w.at("/definition/type").asText(), k -> new ArrayList<>())
                    .addAll(queries(w));
        }

        assertThat(queriesByType.get("query_table"))
                .anyMatch(
                        q ->
                                q.contains("event_delivery.destination.status{")
                                        && q.endsWith("by {destination_type}"));
        assertThat(queriesByType.get("timeseries"))
                .anyMatch(q -> q.contains("event_delivery.destination.success_rate{"))
                .anyMatch(q -> q.contains("event_delivery.destination.latency_p95_ms{"))
                .anyMatch(q -> q.contains("event_delivery.destination.affected_workspaces{"))
                .allMatch(q -> q.endsWith("by {destination_type}"));
    }

    @Test
    void shouldHaveTheOverviewOutcomesLatencyAndTopFailingPairsWidgets() throws Exception {
        JsonNode widgets = tree(module().resolve("dashboard.json")).get("widgets");
        List<String> types = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode w : widgets) {
            types.add(w.at("/definition/type").asText());
            titles.add(w.at("/definition/title").asText());
            for (JsonNode inner : w.at("/definition/widgets")) {
                types.add(inner.at("/definition/type").asText());
            }
        }

        assertThat(types).contains("query_value", "timeseries", "toplist");
        assertThat(titles)
                .anyMatch(t -> t.contains("Outcomes"))
                .anyMatch(t -> t.contains("p50 / p95 / p99"));
        JsonNode toplist =
                Stream.of(widgets.elements())
                        .flatMap(
                                it -> {
                                    List<JsonNode> l = new ArrayList<>();
                                    it.forEachRemaining(l::add);
                                    return l.stream();
                                })
                        .filter(w -> w.at("/definition/type").asText().equals("toplist"))
                        .findFirst()
                        .orElseThrow();
        assertThat(queries(toplist)).allMatch(q -> q.contains("by {source,destination}"));
    }

    @Test
    void shouldDeserializeEveryMonitorIntoTheClientModelWithNothingUnknown() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(module().resolve("monitors"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSize(4);
        for (Path f : files) {
            Monitor monitor = CLIENT.readValue(f.toFile(), Monitor.class);
            assertThat(ClientModelCheck.problems(monitor)).as(f.toString()).isEmpty();
            assertThat(monitor.getType()).as(f.toString()).isEqualTo(MonitorType.QUERY_ALERT);
            Matcher m = METRIC_QUERY.matcher(monitor.getQuery());
            int found = 0;
            while (m.find()) {
                found++;
                assertThat(METRICS).as(f.toString()).contains(m.group(1));
                assertThat(m.group(2)).as(f.toString()).isEqualTo("*");
                assertThat(TAGS.get(scope(m.group(1))))
                        .as(f.toString())
                        .containsAll(List.of(m.group(3).split(",")));
            }
            assertThat(found).as(f.toString()).isPositive();
            assertThat(monitor.getOptions().getThresholds().getCritical()).isNotNull();
        }
    }

    @Test
    void shouldAlertOnDiscardedChangesTheSuccessRateFormulaAndMissingSuccesses() throws Exception {
        Monitor change = monitor("discarded-change.json");
        Monitor rate = monitor("success-rate.json");
        Monitor noData = monitor("successes-no-data.json");

        assertThat(change.getQuery())
                .startsWith("change(sum(last_5m),last_5m):sum:event_delivery.discarded{*}");
        assertThat(rate.getQuery())
                .matches(
                        "sum\\(last_\\d+m\\):sum:event_delivery\\.successes\\S* by \\S+ / \\(sum:event_delivery\\.successes\\S* by \\S+ \\+ sum:event_delivery\\.discarded\\S* by \\S+ \\+ sum:event_delivery\\.expired\\S* by \\S+\\) < 0\\.95");
        assertThat(rate.getOptions().getThresholds().getCritical()).isEqualTo(0.95);
        assertThat(noData.getQuery()).contains("event_delivery.successes");
        assertThat(noData.getOptions().getNotifyNoData()).isTrue();
        assertThat(noData.getOptions().getNoDataTimeframe()).isPositive();
    }

    @Test
    void shouldAlertOnAnOutageOfADestinationTypeOnlyWhenManyWorkspacesAreAffected()
            throws Exception {
        Monitor outage = monitor("destination-outage.json");

        // status − 1 clamped to 1 is 1 for an outage (2) and ≤ 0 otherwise; affected / 5 clamped
        // to 1 is 1 from 5 affected workspaces on: the product reaches 1 only when both hold.
        assertThat(outage.getQuery())
                .isEqualTo(
                        "max(last_5m):clamp_max(max:event_delivery.destination.status{*} by"
                                + " {destination_type} - 1, 1) *"
                                + " clamp_max(max:event_delivery.destination.affected_workspaces{*}"
                                + " by {destination_type} / 5, 1) >= 1");
        assertThat(outage.getOptions().getThresholds().getCritical()).isEqualTo(1.0);
        assertThat(outage.getName()).contains("{{destination_type.name}}");
        for (int status = 0; status <= 2; status++) {
            for (int affected = 0; affected <= 8; affected++) {
                double value = Math.min(status - 1, 1) * Math.min(affected / 5.0, 1);
                assertThat(value >= 1)
                        .as("status %d, %d affected", status, affected)
                        .isEqualTo(status == 2 && affected >= 5);
            }
        }
    }

    private static Monitor monitor(String name) throws IOException {
        return CLIENT.readValue(module().resolve("monitors").resolve(name).toFile(), Monitor.class);
    }

    @Test
    void shouldMapEveryDeliverySeriesOfTheApiServerAndLetItsTypeDecideTheSubmission()
            throws Exception {
        Object doc =
                new Load(LoadSettings.builder().build())
                        .loadFromString(
                                Files.readString(module().resolve("openmetrics.d/conf.yaml")));
        @SuppressWarnings("unchecked")
        Map<String, Object> instance =
                ((List<Map<String, Object>>) ((Map<String, Object>) doc).get("instances")).get(0);
        String namespace = (String) instance.get("namespace");
        Map<String, String> mapped = new java.util.TreeMap<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) instance.get("metrics");
        for (Map<String, Object> entry : metrics) {
            entry.forEach(
                    (exposed, target) -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> t = (Map<String, Object>) target;
                        // Counters must go as monotonic counts and the histogram as one: a type
                        // override (gauge) would sample running totals instead.
                        assertThat(t).as(exposed).doesNotContainKey("type");
                        mapped.put(exposed, namespace + "." + t.get("name"));
                    });
        }

        // A workspace's own exposition, with its token: the public port has no /metrics of all.
        assertThat(instance.get("openmetrics_endpoint"))
                .asString()
                .matches("http://[^/]+/v1/workspaces/[A-Za-z0-9_.:-]+/metrics");
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) instance.get("headers");
        assertThat(headers).containsKey("Authorization");
        assertThat((String) headers.get("Authorization")).startsWith("Bearer ENC[");
        assertThat(mapped)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "event_delivery_successes", "event_delivery.successes",
                                "event_delivery_retried", "event_delivery.retried",
                                "event_delivery_discarded", "event_delivery.discarded",
                                "event_delivery_expired", "event_delivery.expired",
                                "event_delivery_filtered", "event_delivery.filtered",
                                "event_delivery_latency_seconds", "event_delivery.latency",
                                "event_delivery_final_through_seconds",
                                        "event_delivery.final_through"));
        assertThat(instance.get("histogram_buckets_as_distributions")).isEqualTo(true);
    }
}
