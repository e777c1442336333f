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
 * and reports a figure. It asserts nothing about speed.
 */
class BenchSmokeITCase {

    @Test
    void shouldReportAFinitePositiveFigureForEveryBenchmarkAndWriteTheReport(@TempDir Path tmp)
            throws Exception {
        Path report = tmp.resolve("REPORT.md");
        BenchConfig config =
                BenchConfig.smoke(Path.of(System.getProperty("bench.batch-jar")), report);

        SuiteResult result = BenchMain.run(config);

        assertThat(result.sections())
                .extracting(Section::title)
                .containsExactly(
                        "1. Streaming throughput",
                        "2. API latency",
                        "3. Compaction",
                        "4. Parse and aggregate (micro)");
        for (Section s : result.sections()) {
            assertThat(s.figures()).as(s.title()).isNotEmpty();
            for (Figure f : s.figures()) {
                assertThat(f.allFinitePositive()).as(s.title() + ": " + f.name()).isTrue();
            }
            for (Ratio r : s.ratios()) {
                assertThat(r.value()).as(s.title() + ": " + r.name()).isFinite().isPositive();
            }
        }
        assertThat(report).isRegularFile();
        assertThat(Files.readString(report, StandardCharsets.UTF_8))
                .contains("## Machine", "## 1. Streaming throughput", "## 3. Compaction");
    }
}
