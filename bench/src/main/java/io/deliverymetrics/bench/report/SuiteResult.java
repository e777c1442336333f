package io.deliverymetrics.bench.report;

import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Section;
import java.time.Instant;
import java.util.List;

/**
 * Everything one suite run produced, for the report.
 *
 * @param command the command line of the run
 * @param database the database server and its main settings
 * @param skipped benchmarks that were not run, with the reason
 */
public record SuiteResult(
        BenchConfig config,
        RunCommand command,
        MachineInfo machine,
        String database,
        Instant started,
        Instant finished,
        String loadBefore,
        String loadAfter,
        List<Section> sections,
        List<String> skipped) {

    public SuiteResult {
        sections = List.copyOf(sections);
        skipped = List.copyOf(skipped);
    }

    public List<Figure> figures() {
        return sections.stream().flatMap(s -> s.figures().stream()).toList();
    }
}
