package io.deliverymetrics.bench.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Machine investigations a run may add to the product benchmarks ({@code --diagnostics}); none by
 * default. They explain this machine's figures, they are not figures of the product.
 */
public enum Diagnostic {
    /**
     * Measure each fixed-rate load of the API benchmark, and the isolation benchmark's incident
     * with the budget, a second time with the kernel's DAMON paused (needs a running kdamond whose
     * state this user may write).
     */
    DAMON;

    private final String cliName = name().toLowerCase(Locale.ROOT);

    /** The name on the command line, e.g. {@code damon}. */
    public String cliName() {
        return cliName;
    }

    public static Optional<Diagnostic> fromCliName(String name) {
        return Arrays.stream(values()).filter(d -> d.cliName.equals(name)).findFirst();
    }

    /** The accepted names, comma-separated, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(Diagnostic::cliName).collect(Collectors.joining(", "));
    }
}
