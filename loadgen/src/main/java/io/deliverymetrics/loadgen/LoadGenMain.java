package io.deliverymetrics.loadgen;

import io.deliverymetrics.loadgen.cli.DurationConverter;
import io.deliverymetrics.loadgen.config.Incident;
import io.deliverymetrics.loadgen.config.KafkaSinkConfig;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.generator.LoadGenerator;
import io.deliverymetrics.loadgen.sink.DryRunSink;
import io.deliverymetrics.loadgen.sink.KafkaLoadSink;
import io.deliverymetrics.loadgen.sink.LoadSink;
import io.deliverymetrics.loadgen.truth.Truth;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Command line of the load generator: builds a LoadSpec and a sink from options, runs, writes the
 * truth.
 */
@Command(
        name = "loadgen",
        mixinStandardHelpOptions = true,
        versionProvider = LoadGenMain.PomVersion.class,
        sortOptions = false,
        description =
                "Publishes realistic delivery-attempt records to Kafka (or nowhere, with"
                        + " --dry-run) and writes the exact totals the pipeline must report"
                        + " (--truth).")
public final class LoadGenMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGenMain.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    @Spec private CommandSpec command;

    @Option(
            names = "--bootstrap",
            description = "Kafka bootstrap servers (required unless --dry-run).")
    private String bootstrap;

    @Option(
            names = "--topic",
            defaultValue = KafkaSinkConfig.DEFAULT_TOPIC,
            description = "Topic (default: ${DEFAULT-VALUE}).")
    private String topic;

    @Option(names = "--rate", description = "Events received per second (default: 1000).")
    private Double rate;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            description = "Run length in simulated time, e.g. 60s, 10m (default: 60s).")
    private Duration duration;

    @Option(names = "--events", description = "Number of events instead of --duration.")
    private Long events;

    @Option(names = "--workspaces", description = "Number of workspaces (default: 20).")
    private Integer workspaces;

    @Option(names = "--pairs", description = "Source-destination pairs in all (default: 2000).")
    private Integer pairs;

    @Option(names = "--seed", description = "Seed of all random choices (default: 42).")
    private Long seed;

    @Option(
            names = "--start",
            description =
                    "Simulated receipt time of the first event (default: 2026-11-26T00:00:00Z).")
    private Instant start;

    @Option(names = "--realtime", description = "Use the wall clock and pace records to the rate.")
    private boolean realtime;

    @Option(names = "--truth", description = "Write the ground truth as JSON Lines to this file.")
    private Path truthFile;

    @Option(names = "--zipf", description = "Zipf exponent of pair popularity (default: 1.1).")
    private Double zipf;

    @Option(names = "--max-attempts", description = "Attempts per event at most (default: 5).")
    private Integer maxAttempts;

    @Option(
            names = "--out-of-order-share",
            description = "Share of records emitted out of order (default: 0.02).")
    private Double outOfOrderShare;

    @Option(
            names = "--out-of-order",
            converter = DurationConverter.class,
            description = "Largest extra delay of an out-of-order record (default: 20s).")
    private Duration outOfOrder;

    @Option(names = "--late-share", description = "Share of events emitted late (default: 0.005).")
    private Double lateShare;

    @Option(
            names = "--late-by",
            converter = DurationConverter.class,
            description = "How far behind the clock late records are, at least (default: 10m).")
    private Duration lateBy;

    @Option(
            names = "--malformed-share",
            description = "Share of all records that are malformed (default: 0.005).")
    private Double malformedShare;

    @Option(
            names = "--epoch-millis-share",
            description = "Share of records with epoch-ms integer timestamps (default: 0.1).")
    private Double epochMillisShare;

    @Option(
            names = "--incident",
            paramLabel = "INCIDENT",
            description =
                    "Scheduled incident, repeatable: type-down:TYPE:+START:LENGTH,"
                            + " type-rate-limited:TYPE:+START:LENGTH,"
                            + " type-failing:TYPE:+START:LENGTH,"
                            + " pair-discards:WS/SRC/DST:SHARE:+START:LENGTH or"
                            + " workspace-surge:WS:FACTOR:+START:LENGTH"
                            + " (e.g. type-down:braze:+5m:10m); START is from the run's start.")
    private List<String> incidents = new ArrayList<>();

    @Option(
            names = "--incident-every",
            converter = DurationConverter.class,
            description =
                    "Run one rotating incident every period (kinds, types and pairs from the"
                            + " seed), each lasting half of it.")
    private Duration incidentEvery;

    @Option(
            names = "--compression",
            defaultValue = KafkaSinkConfig.DEFAULT_COMPRESSION,
            description =
                    "Producer compression: none, lz4, zstd, snappy, gzip (default: ${DEFAULT-VALUE}).")
    private String compression;

    @Option(
            names = "--producer-property",
            description = "Extra Kafka producer property, KEY=VALUE; repeatable.")
    private Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(
            names = "--dry-run",
            description = "Send nothing to Kafka; useful to write the truth only.")
    private boolean dryRun;

    @Option(names = "--quiet", description = "No progress line on stderr.")
    private boolean quiet;

    public static void main(String[] args) {
        // Kafka's client logs its full configuration at INFO; keep the console readable.
        if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line; tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        return new CommandLine(new LoadGenMain())
                .setExecutionExceptionHandler(
                        (e, cmd, parseResult) -> {
                            LOG.error("load run failed", e);
                            cmd.getErr().println("loadgen: failed: " + e);
                            cmd.getErr().flush();
                            return 1;
                        });
    }

    @Override
    public Integer call() throws IOException {
        LoadSpec spec = loadSpec();
        PrintWriter err = command.commandLine().getErr();
        Truth truth = new Truth();
        RunStats stats;
        try (LoadSink sink = openSink(truth)) {
            LoadRunner runner = new LoadRunner(spec, sink);
            if (!quiet) {
                runner.withProgress(
                        s -> {
                            err.println("loadgen: " + s.toLine());
                            err.flush();
                        },
                        Duration.ofSeconds(1));
            }
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> stopAndWait(runner, finished), "loadgen-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stats = runner.run();
                if (truthFile != null) {
                    truth.writeJsonLines(truthFile);
                }
            } finally {
                finished.countDown();
                removeHook(hook);
            }
        }
        err.println(
                "loadgen: "
                        + (stats.complete() ? "done " : "stopped early ")
                        + stats.toLine()
                        + (truthFile != null ? " truth=" + truthFile : ""));
        err.flush();
        return stats.complete() ? 0 : 1;
    }

    private static void stopAndWait(LoadRunner runner, CountDownLatch finished) {
        runner.stop();
        try {
            if (!finished.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("run did not finish within {} after the stop request", SHUTDOWN_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while waiting for the run to finish", e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            LOG.debug("JVM is already shutting down; hook stays", e);
        }
    }

    /** Reads the version from the Maven metadata packaged in the jar. */
    static final class PomVersion implements CommandLine.IVersionProvider {
        private static final String POM_PROPERTIES =
                "/META-INF/maven/io.deliverymetrics/delivery-metrics-loadgen/pom.properties";

        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = LoadGenMain.class.getResourceAsStream(POM_PROPERTIES)) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"loadgen " + p.getProperty("version", "(development build)")};
        }
    }

    private LoadSink openSink(Truth truth) {
        if (dryRun) {
            return new DryRunSink(truth);
        }
        return KafkaLoadSink.create(
                new KafkaSinkConfig(bootstrap, topic, compression, producerProperties), truth);
    }

    /** The spec the options describe; option errors become picocli usage errors (exit 2). */
    LoadSpec loadSpec() {
        CommandLine cl = command.commandLine();
        if (start != null && realtime) {
            throw new ParameterException(cl, "--start and --realtime are mutually exclusive");
        }
        if (duration != null && events != null) {
            throw new ParameterException(cl, "--duration and --events are mutually exclusive");
        }
        if (!dryRun && (bootstrap == null || bootstrap.isBlank())) {
            throw new ParameterException(cl, "--bootstrap is required unless --dry-run is given");
        }
        LoadSpec.Builder b = LoadSpec.builder();
        if (seed != null) {
            b.withSeed(seed);
        }
        if (start != null) {
            b.withStart(start);
        }
        b.withRealtime(realtime);
        if (rate != null) {
            b.withRate(rate);
        }
        if (duration != null) {
            b.withDuration(duration);
        }
        if (events != null) {
            b.withTotalEvents(events);
        }
        if (workspaces != null) {
            b.withWorkspaces(workspaces);
        }
        if (pairs != null) {
            b.withPairs(pairs);
        }
        if (zipf != null) {
            b.withZipfExponent(zipf);
        }
        if (maxAttempts != null) {
            b.withMaxAttempts(maxAttempts);
        }
        if (outOfOrderShare != null) {
            b.withOutOfOrderShare(outOfOrderShare);
        }
        if (outOfOrder != null) {
            b.withOutOfOrder(outOfOrder);
        }
        if (lateShare != null) {
            b.withLateShare(lateShare);
        }
        if (lateBy != null) {
            b.withLateBy(lateBy);
        }
        if (malformedShare != null) {
            b.withMalformedShare(malformedShare);
        }
        if (epochMillisShare != null) {
            b.withEpochMillisShare(epochMillisShare);
        }
        b.withIncidentEvery(incidentEvery);
        try {
            for (String i : incidents) {
                b.withIncident(Incident.parse(i));
            }
            if (!dryRun) {
                new KafkaSinkConfig(bootstrap, topic, compression, producerProperties);
            }
            LoadSpec spec = b.build();
            if (!spec.incidents().isEmpty()) {
                // Checks that the incidents name types, pairs and workspaces of this run.
                LoadGenerator.create(spec);
            }
            return spec;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage(), e);
        }
    }
}
