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
 * @param commands the command lines that produced these figures, Markdown (empty until the suite
 *     sets them)
 */
public record Section(
        String title,
        String setup,
        List<Figure> figures,
        List<Ratio> ratios,
        List<String> notes,
        String commands) {

    public Section {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(setup, "setup");
        figures = List.copyOf(figures);
        ratios = List.copyOf(ratios);
        notes = List.copyOf(notes);
        Objects.requireNonNull(commands, "commands");
    }

    /** A section whose commands the suite adds later ({@link #withCommands}). */
    public Section(
            String title,
            String setup,
            List<Figure> figures,
            List<Ratio> ratios,
            List<String> notes) {
        this(title, setup, figures, ratios, notes, "");
    }

    /** This section with the command lines that produced it. */
    public Section withCommands(String markdown) {
        return new Section(title, setup, figures, ratios, notes, markdown);
    }
}
