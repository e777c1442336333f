package io.deliverymetrics.bench;

import io.deliverymetrics.bench.api.ApiDataset;
import io.deliverymetrics.bench.api.ApiLatencyBench;
import io.deliverymetrics.bench.compaction.BatchJar;
import io.deliverymetrics.bench.compaction.CompactionBench;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.micro.ParseAggregateBench;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.bench.report.DatabaseInfo;
import io.deliverymetrics.bench.report.MachineInfo;
import io.deliverymetrics.bench.report.SuiteResult;
import io.deliverymetrics.bench.streaming.StreamingThroughputBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every benchmark once, in order, on shared embedded infrastructure: parse/aggregate micro
 * figures, streaming throughput, then the API data set (seeding and catch-up compaction), API
 * latency and compaction on that data set.
 */
public final class BenchSuite {

    private static final Logger LOG = LoggerFactory.getLogger(BenchSuite.class);

    private final BenchConfig config;
    private final BenchInfra infra;

    public BenchSuite(BenchConfig config, BenchInfra infra) {
        this.config = config;
        this.infra = infra;
    }

    public SuiteResult run() throws Exception {
        Instant started = Instant.now();
        String loadBefore = MachineInfo.loadAverage();
        List<Section> sections = new ArrayList<>();

        LOG.info("benchmark 4/4 first (no infrastructure): parse and aggregate");
        Section micro = new ParseAggregateBench(config).run();

        LOG.info("benchmark 1/4: streaming throughput ({} records)", config.streamingRecords());
        sections.add(new StreamingThroughputBench(config, infra).run());

        LOG.info(
                "benchmarks 2 and 3: seeding {} pairs x {} days of minute rows",
                config.apiPairs(),
                config.apiDays());
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        ApiDataset data =
                ApiDataset.seed(
                        infra, config.apiWorkspaces(), config.apiPairs(), config.apiDays(), end);
        LOG.info(
                "seeded {} minute rows ({} rows/s)", data.rows(), Math.round(data.rowsPerSecond()));
        Path workDir = Files.createTempDirectory("bench-batch-");
        CompactionBench compaction =
                new CompactionBench(config, new BatchJar(config.batchJar(), workDir), data);
        CompactionBench.CatchUp catchUp = compaction.catchUp();

        LOG.info("benchmark 2/4: API latency");
        sections.add(new ApiLatencyBench(config, data).run());
        LOG.info("benchmark 3/4: compaction");
        sections.add(compaction.run(catchUp));
        sections.add(micro);

        return new SuiteResult(
                config,
                MachineInfo.current(),
                DatabaseInfo.describe(infra.db()),
                started,
                Instant.now(),
                loadBefore,
                MachineInfo.loadAverage(),
                sections,
                List.of(
                        "Freshness (event time → row visible through the API) and memory/state"
                                + " size at 100k pairs: optional in the brief, not measured in"
                                + " this suite."));
    }
}
