package io.deliverymetrics.bench;

import io.deliverymetrics.bench.api.ApiDataset;
import io.deliverymetrics.bench.api.ApiLatencyBench;
import io.deliverymetrics.bench.compaction.BatchJar;
import io.deliverymetrics.bench.compaction.CompactionBench;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.Benchmark;
import io.deliverymetrics.bench.features.FeatureCostBench;
import io.deliverymetrics.bench.freshness.FreshnessBench;
import io.deliverymetrics.bench.freshness.IncidentsBench;
import io.deliverymetrics.bench.isolation.IsolationBench;
import io.deliverymetrics.bench.micro.MicroBench;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.bench.report.DatabaseInfo;
import io.deliverymetrics.bench.report.MachineInfo;
import io.deliverymetrics.bench.report.RunCommand;
import io.deliverymetrics.bench.report.SuiteResult;
import io.deliverymetrics.bench.scrape.ScrapeBench;
import io.deliverymetrics.bench.state.StateSizeBench;
import io.deliverymetrics.bench.status.DestinationStatusBench;
import io.deliverymetrics.bench.streaming.StreamingThroughputBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the selected benchmarks once, in order, on shared embedded infrastructure: the JMH
 * micro-benchmarks (forked JVMs), streaming throughput, freshness and state size (live runs of the
 * job), then the API data set (seeding and catch-up compaction, only when API latency or compaction
 * is selected), API latency and compaction on that data set, then isolation between workspaces, the
 * metrics scrape and the destination status, each on a data set of its own, the incidents (a live
 * run of the job with a workspace surge and a failing destination type), and last the cost of the
 * job's switchable parts (bounded runs with each on and off). The report lists sections in their
 * numbered order, each with the command that produced it.
 */
public final class BenchSuite {

    private static final Logger LOG = LoggerFactory.getLogger(BenchSuite.class);

    /** Sections in the report's numbered order. */
    private static final List<Benchmark> REPORT_ORDER =
            List.of(
                    Benchmark.STREAMING,
                    Benchmark.API,
                    Benchmark.COMPACTION,
                    Benchmark.MICRO,
                    Benchmark.FRESHNESS,
                    Benchmark.STATE,
                    Benchmark.ISOLATION,
                    Benchmark.SCRAPE,
                    Benchmark.STATUS,
                    Benchmark.INCIDENTS,
                    Benchmark.FEATURES);

    private static final Map<Benchmark, String> TITLES =
            Map.ofEntries(
                    Map.entry(Benchmark.STREAMING, "1. Streaming throughput"),
                    Map.entry(Benchmark.API, "2. API latency"),
                    Map.entry(Benchmark.COMPACTION, "3. Compaction"),
                    Map.entry(Benchmark.MICRO, "4. Parse and aggregate (micro)"),
                    Map.entry(Benchmark.FRESHNESS, "5. Freshness"),
                    Map.entry(Benchmark.STATE, "6. State size"),
                    Map.entry(Benchmark.ISOLATION, "7. Isolation"),
                    Map.entry(Benchmark.SCRAPE, "8. Metrics scrape"),
                    Map.entry(Benchmark.STATUS, "9. Destination status"),
                    Map.entry(Benchmark.INCIDENTS, "10. Incidents"),
                    Map.entry(Benchmark.FEATURES, "11. Feature cost"));

    private final BenchConfig config;
    private final BenchInfra infra;
    private final RunCommand command;

    /** {@code command} is the run's command line, which the report states with every section. */
    public BenchSuite(BenchConfig config, BenchInfra infra, RunCommand command) {
        this.config = config;
        this.infra = infra;
        this.command = command;
    }

    public SuiteResult run() throws Exception {
        Instant started = Instant.now();
        String loadBefore = MachineInfo.loadAverage();
        Map<Benchmark, Section> sections = new EnumMap<>(Benchmark.class);

        if (config.selected(Benchmark.MICRO)) {
            LOG.info("benchmark 4 first (JMH, forked JVMs): parse and aggregate");
            sections.put(Benchmark.MICRO, new MicroBench(config).run());
        }
        if (config.selected(Benchmark.STREAMING)) {
            LOG.info("benchmark 1: streaming throughput ({} records)", config.streamingRecords());
            sections.put(Benchmark.STREAMING, new StreamingThroughputBench(config, infra).run());
        }
        if (config.selected(Benchmark.FRESHNESS)) {
            LOG.info(
                    "benchmark 5: freshness at {} attempts/s",
                    Math.round(config.freshness().attemptsPerSecond()));
            sections.put(Benchmark.FRESHNESS, new FreshnessBench(config, infra).run());
        }
        if (config.selected(Benchmark.STATE)) {
            LOG.info("benchmark 6: state size at {} active pairs", config.state().pairCounts());
            sections.put(Benchmark.STATE, new StateSizeBench(config, infra).run());
        }
        if (config.selected(Benchmark.API) || config.selected(Benchmark.COMPACTION)) {
            LOG.info(
                    "benchmarks 2 and 3: seeding {} pairs x {} days of minute rows",
                    config.apiPairs(),
                    config.apiDays());
            Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
            ApiDataset data =
                    ApiDataset.seed(
                            infra,
                            config.apiWorkspaces(),
                            config.apiPairs(),
                            config.apiDays(),
                            end);
            LOG.info(
                    "seeded {} minute rows ({} rows/s)",
                    data.rows(),
                    Math.round(data.rowsPerSecond()));
            Path workDir = Files.createTempDirectory("bench-batch-");
            CompactionBench compaction =
                    new CompactionBench(config, new BatchJar(config.batchJar(), workDir), data);
            // The API reads the hour and day tiers, so it needs the catch-up compaction too.
            CompactionBench.CatchUp catchUp = compaction.catchUp();
            if (config.selected(Benchmark.API)) {
                LOG.info("benchmark 2: API latency");
                sections.put(Benchmark.API, new ApiLatencyBench(config, data).run());
            }
            if (config.selected(Benchmark.COMPACTION)) {
                LOG.info("benchmark 3: compaction");
                sections.put(Benchmark.COMPACTION, compaction.run(catchUp));
            }
        }
        if (config.selected(Benchmark.ISOLATION)) {
            LOG.info("benchmark 7: isolation between two workspaces on one shard");
            sections.put(Benchmark.ISOLATION, new IsolationBench(config, infra).run());
        }
        if (config.selected(Benchmark.SCRAPE)) {
            LOG.info(
                    "benchmark 8: metrics scrape of a workspace with {} pairs",
                    config.scrape().pairs());
            sections.put(Benchmark.SCRAPE, new ScrapeBench(config, infra).run());
        }
        if (config.selected(Benchmark.STATUS)) {
            LOG.info(
                    "benchmark 9: destination status over {} types and {} workspaces",
                    config.status().types(),
                    config.status().workspaces());
            sections.put(Benchmark.STATUS, new DestinationStatusBench(config, infra).run());
        }
        if (config.selected(Benchmark.INCIDENTS)) {
            LOG.info("benchmark 10: a workspace surge and a failing destination type");
            sections.put(Benchmark.INCIDENTS, new IncidentsBench(config, infra).run());
        }
        if (config.selected(Benchmark.FEATURES)) {
            LOG.info("benchmark 11: the job with the global roll-up, breakdown and samples on/off");
            sections.put(Benchmark.FEATURES, new FeatureCostBench(config, infra).run());
        }

        List<Section> ordered = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Benchmark b : REPORT_ORDER) {
            Section s = sections.get(b);
            if (s != null) {
                ordered.add(s.withCommands(commands(b)));
            } else {
                skipped.add(
                        TITLES.get(b)
                                + ": not selected in this run (`--only "
                                + selectedNames()
                                + "`).");
            }
        }
        return new SuiteResult(
                config,
                command,
                MachineInfo.current(),
                DatabaseInfo.describe(infra.db()),
                started,
                Instant.now(),
                loadBefore,
                MachineInfo.loadAverage(),
                ordered,
                skipped);
    }

    private String commands(Benchmark b) {
        return "Produced by `"
                + command.line()
                + "`; this section alone: `"
                + command.only(b)
                + "`.";
    }

    private String selectedNames() {
        return REPORT_ORDER.stream()
                .filter(config::selected)
                .map(Benchmark::cliName)
                .reduce((x, y) -> x + "," + y)
                .orElse("");
    }
}
