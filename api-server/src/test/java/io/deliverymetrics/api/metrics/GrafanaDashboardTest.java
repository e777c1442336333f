package io.deliverymetrics.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.api.metrics.DeliverySeries.Scope;
import io.deliverymetrics.api.model.DeliveryExport;
import io.deliverymetrics.core.exposition.Promtool;
import io.deliverymetrics.core.exposition.Scrape;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.sql.TotalsRows.PairTotals;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Grafana dashboard ({@code grafana/delivery-metrics.json}) stays true to the
 * exposition: every query parses as PromQL (checked by promtool) and names only series the
 * exposition serves.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("grafana", "delivery-metrics.json");
    private static final Pattern SERIES = Pattern.compile("event_delivery_[a-z_]+");

    private static List<String> queries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                out.add(target.get("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            out.add(
                    variable.get("query")
                            .get("query")
                            .asText()
                            .replaceAll("^label_values\\((.*), [a-z_]+\\)$", "$1"));
        }
        return out;
    }

    /** The template variables as Grafana fills them with "All". */
    private static String filled(String query) {
        return query.replace("$workspace", ".*").replace("$destination", ".*");
    }

    @Test
    void shouldParseEveryQueryOfTheDashboardAsPromQl(@TempDir Path dir) throws Exception {
        List<String> queries = queries();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard:query_")
                    .append(i)
                    .append("\n        expr: '")
                    .append(filled(queries.get(i)).replace("'", "''"))
                    .append("'\n");
        }
        Path file = dir.resolve("dashboard-rules.yml");
        Files.writeString(file, rules, StandardCharsets.UTF_8);

        Promtool.Result check = Promtool.checkRules(file);

        assertThat(queries).hasSizeGreaterThanOrEqualTo(6);
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void shouldNameOnlySeriesTheExpositionServes() throws Exception {
        DeliveryExport export =
                new DeliveryExport(
                        List.of(
                                new DeliveryExport.ShardStatus(
                                        0,
                                        Optional.of(Instant.parse("2026-11-26T12:00:00Z")),
                                        Optional.empty())),
                        List.of(
                                new PairTotals(
                                        new PairKey("ws_a", "src", "dst"),
                                        Instant.parse("2026-11-26T12:00:00Z"),
                                        DeliveryTotals.ZERO)),
                        10,
                        false);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Exposition.of(DeliverySeries.of(export, Scope.WORKSPACE), Scrape.PROMETHEUS_TEXT)
                .writeTo(body);
        Set<String> served = new TreeSet<>();
        for (String sample : Scrape.samples(body.toString(StandardCharsets.UTF_8)).keySet()) {
            served.add(sample.replaceAll("\\{.*", ""));
        }

        Set<String> named = new TreeSet<>();
        for (String q : queries()) {
            Matcher m = SERIES.matcher(q);
            while (m.find()) {
                named.add(m.group());
            }
        }

        assertThat(named).isNotEmpty();
        assertThat(served).containsAll(named);
    }
}
