package io.deliverymetrics.bench.config;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The benchmarks of the suite, by the names {@code --only} accepts. */
public enum Benchmark {
    MICRO,
    STREAMING,
    FRESHNESS,
    STATE,
    API,
    COMPACTION,
    ISOLATION,
    SCRAPE,
    STATUS,
    INCIDENTS,
    FEATURES;

    private final String cliName = name().toLowerCase(Locale.ROOT);

    /** The name on the command line, e.g. {@code freshness}. */
    public String cliName() {
        return cliName;
    }

    /** Every benchmark: the default selection. */
    public static Set<Benchmark> all() {
        return EnumSet.allOf(Benchmark.class);
    }

    public static Optional<Benchmark> fromCliName(String name) {
        return Arrays.stream(values()).filter(b -> b.cliName.equals(name)).findFirst();
    }

    /** The accepted names, comma-separated, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(Benchmark::cliName).collect(Collectors.joining(", "));
    }
}
