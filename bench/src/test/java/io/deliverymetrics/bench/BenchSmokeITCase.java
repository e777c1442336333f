package io.deliverymetrics.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.bench.report.SuiteResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole benchmark suite in smoke mode (tiny sizes, one run): proves that every benchmark runs
 * and reports a figure, and that the counts the benchmarks check are exact (for freshness: the
 * API's final totals of the polled pairs and the database totals of all pairs equal what the
 * producer had acknowledged; for state size: every active pair reached the database; for isolation:
 * the noisy workspace's clients were answered and the quiet one's query always was when alone; for
 * the scrape: both expositions exported every seeded pair; for the destination status: every
 * request was answered, some waited for a recomputation; for the incidents: the same as for
 * freshness, with a workspace surge and a failing type in the load; for the feature cost: every
 * variant's rows account for every record). It asserts nothing about speed.
 */
class BenchSmokeITCase {

    @Test
    void shouldReportAFinitePositiveFigureForEveryBenchmarkAndWriteTheReport(@TempDir Path tmp)
            throws Exception {
        Path report = tmp.resolve("REPORT.md");
        BenchConfig config =
                BenchConfig.smoke(
                        Path.of(System.getProperty("bench.batch-jar")),
                        Path.of(System.getProperty("bench.api-jar")),
                        report);

        SuiteResult result = BenchMain.run(config);

        assertThat(result.sections())
                .extracting(Section::title)
                .containsExactly(
                        "1. Streaming throughput",
                        "2. API latency",
                        "3. Compaction",
                        "4. Parse and aggregate (micro)",
                        "5. Freshness",
                        "6. State size",
                        "7. Isolation",
                        "8. Metrics scrape",
                        "9. Destination status",
                        "10. Incidents",
                        "11. Feature cost");
        for (Section s : result.sections()) {
            assertThat(s.figures()).as(s.title()).isNotEmpty();
            for (Figure f : s.figures()) {
                assertThat(f.allFinitePositive()).as(s.title() + ": " + f.name()).isTrue();
            }
            for (Ratio r : s.ratios()) {
                assertThat(r.value()).as(s.title() + ": " + r.name()).isFinite().isPositive();
            }
            assertThat(s.notes()).as(s.title()).noneMatch(n -> n.contains("NOT exact"));
        }
        assertThat(section(result, "5. Freshness").notes()).anyMatch(n -> n.startsWith("Exact: "));
        assertThat(section(result, "5. Freshness").figures())
                .extracting(Figure::name)
                .anyMatch(n -> n.startsWith("visible: "))
                .anyMatch(n -> n.startsWith("complete: "));
        assertThat(section(result, "6. State size").figures())
                .extracting(Figure::name)
                .anyMatch(n -> n.startsWith("checkpoint size · "))
                .anyMatch(n -> n.startsWith("heap after full GC"));
        assertThat(section(result, "7. Isolation").figures())
                .extracting(Figure::name)
                .anyMatch(n -> n.startsWith("B, 1 h pair series · during A's saturation · budget "))
                .anyMatch(n -> n.endsWith(" · 200 responses"));
        assertThat(section(result, "4. Parse and aggregate (micro)").figures())
                .extracting(Figure::name)
                .contains("AttemptParser.parse", "parse + add");
        assertThat(section(result, "8. Metrics scrape").figures())
                .extracting(Figure::name)
                .anyMatch(n -> n.startsWith("workspace exposition ") && n.endsWith(" · p99"))
                .anyMatch(
                        n ->
                                n.startsWith("operator exposition ")
                                        && n.endsWith(" · pairs exported"));
        assertThat(section(result, "9. Destination status").figures())
                .extracting(Figure::name)
                .anyMatch(n -> n.startsWith("GET /v1/destinations · cached answer · p99"))
                .anyMatch(n -> n.contains("waited for a recomputation · p99"))
                .anyMatch(n -> n.contains("complete_through moving · all requests · p99"))
                .anyMatch(n -> n.startsWith("statements per recomputation"));
        assertThat(section(result, "2. API latency").figures())
                .extracting(Figure::name)
                .anyMatch(n -> n.startsWith("event breakdown, 1 h") && n.endsWith(" · p99"))
                .anyMatch(n -> n.contains("compare=previous") && n.endsWith(" · p99"));
        assertThat(section(result, "10. Incidents").notes()).anyMatch(n -> n.startsWith("Exact: "));
        assertThat(section(result, "10. Incidents").figures())
                .extracting(Figure::name)
                .contains(
                        "other workspaces: complete minute p99 · steady",
                        "other workspaces: complete minute p99 · during the surge",
                        "other workspaces: complete minute p99 · during the failing type");
        assertThat(section(result, "10. Incidents").ratios())
                .extracting(Ratio::name)
                .anyMatch(
                        n ->
                                n.startsWith(
                                        "other workspaces' complete minute p99: during the surge"));
        assertThat(section(result, "11. Feature cost").figures())
                .extracting(Figure::name)
                .contains(
                        "the job end to end · all on (the defaults)",
                        "the job end to end · global roll-up off",
                        "the job end to end · event breakdown and error samples off",
                        "rows per day of this load · delivery_metrics_minute",
                        "bytes per day of this load · event breakdown (event_counts of"
                                + " delivery_metrics_minute, encoded)",
                        "bytes per day of this load · error samples (samples of"
                                + " delivery_errors_minute, encoded)",
                        "rows per day of this load · global destination_type_metrics_minute");
        assertThat(section(result, "11. Feature cost").ratios())
                .extracting(Ratio::name)
                .anyMatch(n -> n.startsWith("global roll-up on / off"))
                .anyMatch(n -> n.startsWith("event breakdown and error samples on / off"));
        assertThat(section(result, "11. Feature cost").notes())
                .filteredOn(n -> n.startsWith("Run "))
                .isNotEmpty()
                .allMatch(n -> n.contains("(exact)"));
        assertThat(report).isRegularFile();
        assertThat(Files.readString(report, StandardCharsets.UTF_8))
                .contains(
                        "## Machine",
                        "## 1. Streaming throughput",
                        "## 3. Compaction",
                        "## 5. Freshness",
                        "## 6. State size",
                        "## 7. Isolation",
                        "## 8. Metrics scrape",
                        "## 9. Destination status",
                        "## 10. Incidents",
                        "## 11. Feature cost",
                        "this section alone: `bench/run.sh --mode smoke --only ")
                .doesNotContain("## Not measured");
    }

    private static Section section(SuiteResult result, String title) {
        return result.sections().stream()
                .filter(s -> s.title().equals(title))
                .findFirst()
                .orElseThrow();
    }
}
