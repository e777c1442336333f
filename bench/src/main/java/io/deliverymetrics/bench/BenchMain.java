package io.deliverymetrics.bench;

import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.Benchmark;
import io.deliverymetrics.bench.config.Diagnostic;
import io.deliverymetrics.bench.diagnostics.KernelMemoryMonitor;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.bench.report.ReportWriter;
import io.deliverymetrics.bench.report.RunCommand;
import io.deliverymetrics.bench.report.SuiteResult;
import io.deliverymetrics.infra.EmbeddedKafka;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the benchmark suite: starts the embedded broker and database, runs every benchmark, prints
 * the figures and ratios and writes the report. {@code bench/run.sh} builds and runs it.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Runs the Delivery Metrics benchmark suite and writes REPORT.md.")
public final class BenchMain implements Callable<Integer> {

    @Option(
            names = "--mode",
            defaultValue = "full",
            description = "full (the report's sizes, 3 runs) or smoke (tiny, proves it runs)")
    String mode;

    @Option(
            names = "--report",
            defaultValue = "bench/REPORT.md",
            description = "where the Markdown report goes (default: ${DEFAULT-VALUE})")
    Path report;

    @Option(
            names = "--batch-jar",
            defaultValue =
                    "batch-compaction/target/delivery-metrics-batch-compaction-0.1.0-SNAPSHOT.jar",
            description = "the batch-compaction executable jar (default: ${DEFAULT-VALUE})")
    Path batchJar;

    @Option(
            names = "--api-jar",
            defaultValue = "api-server/target/api-server.jar",
            description =
                    "the shaded api-server jar the API benchmark runs as its own process (default:"
                            + " ${DEFAULT-VALUE})")
    Path apiJar;

    @Option(
            names = "--api-in-process",
            description =
                    "run the API benchmark's server inside the benchmark's JVM instead of as its"
                            + " own process (for profiling it with the load)")
    boolean apiInProcess;

    @Option(
            names = "--api-tier-rows-only",
            description =
                    "measure the API queries on the tier rows only, without forcing each onto"
                            + " minute rows (for a large workspace, where those take seconds)")
    boolean apiTierRowsOnly;

    @Option(names = "--runs", description = "measured runs per figure (overrides the mode)")
    Integer runs;

    @Option(
            names = "--streaming-records",
            description = "records pre-loaded for the streaming benchmark (overrides the mode)")
    Long streamingRecords;

    @Option(names = "--api-pairs", description = "pairs of the API data set (overrides the mode)")
    Integer apiPairs;

    @Option(
            names = "--api-days",
            description =
                    "days of minute rows seeded for the API data set, at least 2 (overrides the"
                            + " mode)")
    Integer apiDays;

    @Option(
            names = "--api-workspaces",
            description =
                    "workspaces of the API data set, its pairs spread evenly over them (overrides"
                            + " the mode)")
    Integer apiWorkspaces;

    @Option(
            names = "--api-queries",
            split = ",",
            description =
                    "run only the API queries whose names contain one of these (e.g. \"event"
                            + " breakdown\"; default: all)")
    List<String> apiQueries;

    @Option(
            names = "--api-rate",
            description =
                    "requests/s of the API benchmark's fixed-rate run of the pair query (overrides"
                            + " the mode)")
    Double apiRate;

    @Option(
            names = "--api-workspace-rate",
            description =
                    "requests/s of the API benchmark's fixed-rate run of the hourly workspace"
                            + " query (overrides the mode)")
    Double apiWorkspaceRate;

    @Option(
            names = "--only",
            split = ",",
            paramLabel = "BENCHMARK",
            description =
                    "run only these benchmarks, comma-separated: micro, streaming, freshness,"
                            + " state, api, compaction, isolation, scrape, status,"
                            + " incidents (default: all)")
    List<String> only;

    @Option(
            names = "--diagnostics",
            split = ",",
            paramLabel = "DIAGNOSTIC",
            description =
                    "machine investigations to add, comma-separated: damon (measure the API"
                            + " benchmark's fixed-rate loads again with the kernel's DAMON paused;"
                            + " needs write access to its sysfs state) (default: none)")
    List<String> diagnostics;

    @Option(
            names = "--freshness-rate",
            description =
                    "attempts/s the freshness benchmark's producer aims at (overrides the mode)")
    Double freshnessRate;

    @Option(
            names = "--freshness-job",
            paramLabel = "KEY=VALUE",
            description =
                    "a job setting of the freshness benchmark that differs from"
                            + " delivery-metrics-job.yaml, e.g. window.allowed-lateness=3s"
                            + " (repeatable; over the mode's own)")
    Map<String, String> freshnessJob;

    @Option(
            names = "--streaming-job",
            paramLabel = "KEY=VALUE",
            description =
                    "a job setting of the streaming benchmark's job runs that differs from"
                            + " delivery-metrics-job.yaml, e.g. pre-aggregate.flush-interval=1s"
                            + " (repeatable)")
    Map<String, String> streamingJob;

    @Option(
            names = "--state-backend",
            description =
                    "state backend of the streaming, freshness and state benchmarks' jobs: hashmap"
                            + " (default, Flink's) or rocksdb (with incremental checkpoints, as"
                            + " flink-conf/ runs the job)")
    String stateBackend;

    @Option(
            names = "--state-pairs",
            split = ",",
            paramLabel = "PAIRS",
            description =
                    "active pair counts of the state benchmark, comma-separated (overrides the"
                            + " mode)")
    List<Integer> statePairs;

    @Option(
            names = "--state-attempts-per-minute",
            paramLabel = "N",
            description =
                    "attempts each active pair gets per minute in the state benchmark (overrides"
                            + " the mode's 6; at least 3 in full mode, so that the measurement"
                            + " window after one producer cycle is not empty)")
    Integer stateAttemptsPerMinute;

    private final PrintStream out;
    private final RunCommand command;

    /** {@code arguments} are the command line's, which the report states. */
    BenchMain(PrintStream out, List<String> arguments) {
        this.out = out;
        this.command = new RunCommand(arguments);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain(System.out, List.of(args))).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        BenchConfig config =
                switch (mode) {
                    case "full" -> BenchConfig.full(batchJar, apiJar, report);
                    case "smoke" -> BenchConfig.smoke(batchJar, apiJar, report);
                    default ->
                            throw new CommandLine.ParameterException(
                                    new CommandLine(this), "--mode must be full or smoke");
                };
        if (runs != null) {
            config = config.withRuns(runs);
        }
        if (streamingRecords != null) {
            config = config.withStreamingRecords(streamingRecords);
        }
        if (apiWorkspaces != null) {
            config = config.withApiWorkspaces(apiWorkspaces);
        }
        if (apiTierRowsOnly) {
            config = config.withApiMinuteRows(false);
        }
        if (apiQueries != null) {
            config = config.withApiQueries(apiQueries);
        }
        if (apiPairs != null) {
            config = config.withApiPairs(apiPairs);
        }
        if (apiDays != null) {
            config = config.withApiDays(apiDays);
        }
        if (apiRate != null) {
            config = config.withApiRate(apiRate);
        }
        if (apiWorkspaceRate != null) {
            config = config.withApiWorkspaceRate(apiWorkspaceRate);
        }
        if (apiInProcess) {
            config = config.withApiInProcess(true);
        }
        if (freshnessRate != null) {
            config = config.withFreshness(config.freshness().withAttemptsPerSecond(freshnessRate));
        }
        if (freshnessJob != null) {
            config = config.withFreshness(config.freshness().withJobOverrides(freshnessJob));
        }
        if (streamingJob != null) {
            config = config.withStreamingJob(streamingJob);
        }
        if (stateBackend != null) {
            Map<String, String> backend =
                    switch (stateBackend) {
                        case "hashmap" -> Map.of("checkpoint.state-backend", "hashmap");
                        case "rocksdb" ->
                                Map.of(
                                        "checkpoint.state-backend", "rocksdb",
                                        "checkpoint.incremental", "true");
                        default ->
                                throw new CommandLine.ParameterException(
                                        new CommandLine(this),
                                        "--state-backend must be hashmap or rocksdb, was "
                                                + stateBackend);
                    };
            Map<String, String> streaming = new HashMap<>(config.streamingJob());
            streaming.putAll(backend);
            config =
                    config.withStreamingJob(streaming)
                            .withFreshness(config.freshness().withJobOverrides(backend))
                            .withState(config.state().withJobOverrides(backend));
        }
        if (statePairs != null) {
            config = config.withState(config.state().withPairCounts(statePairs));
        }
        if (stateAttemptsPerMinute != null) {
            if (stateAttemptsPerMinute < (config.state().alignToMinute() ? 3 : 1)) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this),
                        "--state-attempts-per-minute must be at least 3 in full mode (1 in smoke"
                                + " mode), was "
                                + stateAttemptsPerMinute);
            }
            config =
                    config.withState(
                            config.state().withAttemptsPerPairMinute(stateAttemptsPerMinute));
        }
        if (only != null) {
            config = config.withBenchmarks(selection(only));
        }
        if (diagnostics != null) {
            config = config.withDiagnostics(diagnosticSelection(diagnostics));
        }
        SuiteResult result = run(config, command);
        print(result, out);
        out.println("report written to " + config.report().toAbsolutePath());
        return 0;
    }

    private Set<Benchmark> selection(List<String> names) {
        Set<Benchmark> out = EnumSet.noneOf(Benchmark.class);
        for (String name : names) {
            String n = name.trim();
            if (n.isEmpty()) {
                continue;
            }
            out.add(
                    Benchmark.fromCliName(n)
                            .orElseThrow(
                                    () ->
                                            new CommandLine.ParameterException(
                                                    new CommandLine(this),
                                                    "--only: unknown benchmark '"
                                                            + n
                                                            + "'; known: "
                                                            + Benchmark.names())));
        }
        if (out.isEmpty()) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--only needs at least one of: " + Benchmark.names());
        }
        return out;
    }

    private Set<Diagnostic> diagnosticSelection(List<String> names) {
        Set<Diagnostic> out = EnumSet.noneOf(Diagnostic.class);
        for (String name : names) {
            String n = name.trim();
            if (n.isEmpty()) {
                continue;
            }
            out.add(
                    Diagnostic.fromCliName(n)
                            .orElseThrow(
                                    () ->
                                            new CommandLine.ParameterException(
                                                    new CommandLine(this),
                                                    "--diagnostics: unknown diagnostic '"
                                                            + n
                                                            + "'; known: "
                                                            + Diagnostic.names())));
        }
        if (out.contains(Diagnostic.DAMON) && !KernelMemoryMonitor.system().canPause()) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "--diagnostics damon: "
                            + KernelMemoryMonitor.system().describe()
                            + ", or its state under "
                            + KernelMemoryMonitor.SYSFS
                            + " is not writable by this user, so it cannot be paused");
        }
        return out;
    }

    /**
     * {@link #run(BenchConfig, RunCommand)} from code: the report names the command by the config's
     * mode and report path.
     */
    public static SuiteResult run(BenchConfig config) throws Exception {
        return run(config, RunCommand.of(config));
    }

    /** Starts the embedded infrastructure, runs the suite, writes the report and stops it all. */
    public static SuiteResult run(BenchConfig config, RunCommand command) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                EmbeddedMariaDb db = EmbeddedMariaDb.start()) {
            if (config.dbBufferPoolMiB() > 0) {
                resizeBufferPool(db, config.dbBufferPoolMiB());
            }
            SuiteResult result =
                    new BenchSuite(config, new BenchInfra(kafka, db, new UniqueNames()), command)
                            .run();
            ReportWriter.write(result, config.report());
            return result;
        }
    }

    /**
     * Gives InnoDB a buffer pool sized like a provisioned shard server's instead of MariaDB's 128
     * MiB default, which would make the multi-GB data set of the full suite disk-bound.
     */
    private static void resizeBufferPool(EmbeddedMariaDb db, int mib) throws SQLException {
        try (Connection c = db.connect("mysql");
                PreparedStatement ps =
                        c.prepareStatement("SET GLOBAL innodb_buffer_pool_size = ?")) {
            ps.setLong(1, mib * 1024L * 1024L);
            ps.execute();
        }
    }

    static void print(SuiteResult result, PrintStream out) {
        for (Section s : result.sections()) {
            out.println();
            out.println(s.title());
            for (Figure f : s.figures()) {
                out.printf(
                        "  %-95s %14.1f %s (min %.1f, max %.1f, %d runs)%n",
                        f.name(), f.median(), f.unit(), f.min(), f.max(), f.samples().size());
            }
            for (Ratio r : s.ratios()) {
                out.printf("  ratio %-89s %14.3f%n", r.name(), r.value());
            }
        }
    }
}
