package io.deliverymetrics.bench.model;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one benchmark: its figures, the ratios between them and notes on how it ran.
 *
 * @param title e.g. {@code 1. Streaming throughput}
 * @param setup what was measured and on what data, one paragraph of Markdown
 * @param figures every measured figure
 * @param ratios ratios between figures of this section
 * @param notes checks and remarks (correctness checks, sample counts, what was skipped)
 */
public record Section(
        String title, String setup, List<Figure> figures, List<Ratio> ratios, List<String> notes) {

    public Section {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(setup, "setup");
        figures = List.copyOf(figures);
        ratios = List.copyOf(ratios);
        notes = List.copyOf(notes);
    }
}
