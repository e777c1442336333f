package io.deliverymetrics.bench.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Sizes and settings of one benchmark run; {@link #full} and {@link #smoke} are the two modes.
 *
 * @param mode {@code full} or {@code smoke}
 * @param runs measured runs of every figure (the spread is over these)
 * @param streamingRecords attempt records pre-loaded into the input topic
 * @param streamingPairs (workspace, source, destination) pairs of the streaming load (Zipf)
 * @param streamingRate simulated events per second of the streaming load (sets its event-time span)
 * @param partitions partitions of the input topic
 * @param parallelism parallelism of both Flink jobs
 * @param micro settings of the JMH micro-benchmarks
 * @param apiWorkspaces workspaces of the API data set
 * @param apiPairs pairs of the API data set, spread evenly over the workspaces
 * @param apiDays days of minute rows seeded for the API
 * @param apiClients concurrent HTTP clients of the load loop
 * @param apiDuration measured time per query and variant (the loop also stops at apiMaxRequests)
 * @param apiMaxRequests most requests per query and variant
 * @param apiWarmup unmeasured time before each measurement
 * @param apiRate requests/s of the fixed-rate (open-loop) measurement of the pair query
 * @param apiWorkspaceRate requests/s of the fixed-rate measurement of the hourly workspace query
 *     and of each event breakdown query, well below the closed loop's throughput of that query
 *     (which takes tens of ms of CPU), since at or above it the queue only grows
 * @param dayCompaction whether to run the day tier compaction of the API data set too
 * @param wrk whether to also measure with {@code wrk} when it is installed
 * @param dbBufferPoolMiB InnoDB buffer pool the database gets before the suite (0: its default)
 * @param batchJar the batch-compaction jar (Spring Boot executable)
 * @param apiJar the shaded api-server jar the API benchmark starts as its own process
 * @param apiInProcess whether the API benchmark runs the server inside its own JVM instead
 * @param report where REPORT.md goes
 * @param freshness settings of the freshness benchmark
 * @param state settings of the state-size benchmark
 * @param isolation settings of the isolation benchmark
 * @param scrape settings of the scrape benchmark
 * @param status settings of the destination status benchmark
 * @param streamingJob job settings of the streaming benchmark's job runs (b and b0) that differ
 *     from {@code delivery-metrics-job.yaml} ({@code --streaming-job}; default none)
 * @param benchmarks the benchmarks to run ({@code --only}; default all)
 * @param diagnostics machine investigations added to the benchmarks ({@code --diagnostics}; default
 *     none)
 * @param apiQueries the API benchmark's queries to run, by a part of their names ({@code
 *     --api-queries}; default, empty: all)
 * @param apiMinuteRows whether the API benchmark also forces each query onto minute rows ({@code
 *     --api-tier-rows-only} turns it off: on a large workspace the minute-row variants take seconds
 *     per request)
 */
public record BenchConfig(
        String mode,
        int runs,
        long streamingRecords,
        int streamingPairs,
        double streamingRate,
        int partitions,
        int parallelism,
        MicroSettings micro,
        int apiWorkspaces,
        int apiPairs,
        int apiDays,
        int apiClients,
        Duration apiDuration,
        int apiMaxRequests,
        Duration apiWarmup,
        double apiRate,
        double apiWorkspaceRate,
        boolean dayCompaction,
        boolean wrk,
        int dbBufferPoolMiB,
        Path batchJar,
        Path apiJar,
        boolean apiInProcess,
        Path report,
        FreshnessSettings freshness,
        StateSettings state,
        IsolationSettings isolation,
        ScrapeSettings scrape,
        StatusSettings status,
        Map<String, String> streamingJob,
        Set<Benchmark> benchmarks,
        Set<Diagnostic> diagnostics,
        List<String> apiQueries,
        boolean apiMinuteRows) {

    public BenchConfig {
        List<String> problems = new ArrayList<>();
        if (!"full".equals(mode) && !"smoke".equals(mode)) {
            problems.add("mode must be full or smoke, was " + mode);
        }
        if (runs < 1) {
            problems.add("runs must be >= 1, was " + runs);
        }
        if (streamingRecords < 1) {
            problems.add("streamingRecords must be >= 1, was " + streamingRecords);
        }
        if (apiPairs < apiWorkspaces || apiWorkspaces < 1) {
            problems.add(
                    "apiPairs ("
                            + apiPairs
                            + ") must be >= apiWorkspaces ("
                            + apiWorkspaces
                            + ") >= 1");
        }
        if (apiDays < 2) {
            problems.add("apiDays must be >= 2 (a whole UTC day is compacted), was " + apiDays);
        }
        if (apiClients < 1 || apiMaxRequests < 1) {
            problems.add("apiClients and apiMaxRequests must be >= 1");
        }
        if (!(apiRate >= 1) || !(apiWorkspaceRate >= 1)) {
            problems.add(
                    "apiRate ("
                            + apiRate
                            + ") and apiWorkspaceRate ("
                            + apiWorkspaceRate
                            + ") must be >= 1 request/s");
        }
        Objects.requireNonNull(batchJar, "batchJar");
        Objects.requireNonNull(apiJar, "apiJar");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(freshness, "freshness");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(micro, "micro");
        Objects.requireNonNull(scrape, "scrape");
        Objects.requireNonNull(status, "status");
        diagnostics = Set.copyOf(diagnostics);
        if (benchmarks == null || benchmarks.isEmpty()) {
            problems.add("at least one benchmark must be selected");
        } else {
            benchmarks = Set.copyOf(EnumSet.copyOf(benchmarks));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid bench config: " + String.join("; ", problems));
        }
    }

    /**
     * The full suite for REPORT.md: 10,000 Zipf pairs, 1,000 API pairs over 7 days, the pair query
     * at 1,000 requests/s and the workspace query at 50 requests/s, three runs.
     */
    public static BenchConfig full(Path batchJar, Path apiJar, Path report) {
        return new BenchConfig(
                "full",
                3,
                10_000_000,
                10_000,
                10_000,
                4,
                2,
                MicroSettings.full(),
                20,
                1_000,
                7,
                8,
                Duration.ofSeconds(15),
                20_000,
                Duration.ofSeconds(3),
                1_000,
                50,
                true,
                true,
                4_096,
                batchJar,
                apiJar,
                false,
                report,
                FreshnessSettings.full(),
                StateSettings.full(),
                IsolationSettings.full(),
                ScrapeSettings.full(),
                StatusSettings.full(),
                Map.of(),
                Benchmark.all(),
                Set.of(),
                List.of(),
                true);
    }

    /** Tiny sizes that only prove every benchmark runs (CI). */
    public static BenchConfig smoke(Path batchJar, Path apiJar, Path report) {
        return new BenchConfig(
                "smoke",
                1,
                2_000,
                200,
                2_000,
                2,
                2,
                MicroSettings.smoke(),
                2,
                4,
                2,
                2,
                Duration.ofMillis(300),
                100,
                Duration.ofMillis(100),
                50,
                20,
                false,
                false,
                0,
                batchJar,
                apiJar,
                false,
                report,
                FreshnessSettings.smoke(),
                StateSettings.smoke(),
                IsolationSettings.smoke(),
                ScrapeSettings.smoke(),
                StatusSettings.smoke(),
                Map.of(),
                Benchmark.all(),
                Set.of(),
                List.of(),
                true);
    }

    public BenchConfig withRuns(int runs) {
        return with(c -> c.runs = runs);
    }

    public BenchConfig withStreamingRecords(long records) {
        return with(c -> c.streamingRecords = records);
    }

    public BenchConfig withApiPairs(int pairs) {
        return with(c -> c.apiPairs = pairs);
    }

    public BenchConfig withApiDays(int days) {
        return with(c -> c.apiDays = days);
    }

    public BenchConfig withApiWorkspaces(int workspaces) {
        return with(c -> c.apiWorkspaces = workspaces);
    }

    /** Runs only the API queries whose names contain one of {@code parts} (empty: all). */
    public BenchConfig withApiQueries(List<String> parts) {
        return with(c -> c.apiQueries = List.copyOf(parts));
    }

    /** The API benchmark also measures each query on minute rows, or not. */
    public BenchConfig withApiMinuteRows(boolean minuteRows) {
        return with(c -> c.apiMinuteRows = minuteRows);
    }

    /** Whether the API benchmark runs the query named {@code name} ({@code --api-queries}). */
    public boolean apiQuery(String name) {
        return apiQueries.isEmpty() || apiQueries.stream().anyMatch(name::contains);
    }

    public BenchConfig withApiRate(double rate) {
        return with(c -> c.apiRate = rate);
    }

    public BenchConfig withApiWorkspaceRate(double rate) {
        return with(c -> c.apiWorkspaceRate = rate);
    }

    /** Runs the API benchmark's server inside this JVM instead of as its own process. */
    public BenchConfig withApiInProcess(boolean inProcess) {
        return with(c -> c.apiInProcess = inProcess);
    }

    public BenchConfig withFreshness(FreshnessSettings settings) {
        return with(c -> c.freshness = settings);
    }

    /** Job settings of the streaming benchmark's job runs, over the defaults. */
    public BenchConfig withStreamingJob(Map<String, String> settings) {
        return with(c -> c.streamingJob = Map.copyOf(settings));
    }

    public BenchConfig withState(StateSettings settings) {
        return with(c -> c.state = settings);
    }

    public BenchConfig withIsolation(IsolationSettings settings) {
        return with(c -> c.isolation = settings);
    }

    public BenchConfig withScrape(ScrapeSettings settings) {
        return with(c -> c.scrape = settings);
    }

    public BenchConfig withStatus(StatusSettings settings) {
        return with(c -> c.status = settings);
    }

    /** Adds the machine investigations {@code selected} ({@code --diagnostics}). */
    public BenchConfig withDiagnostics(Set<Diagnostic> selected) {
        return with(c -> c.diagnostics = selected);
    }

    /** Runs only {@code selected} ({@code --only}). */
    public BenchConfig withBenchmarks(Set<Benchmark> selected) {
        return with(c -> c.benchmarks = selected);
    }

    /** A copy with {@code change} applied (validated again by the constructor). */
    private BenchConfig with(Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** The components of a config, to change one before building the copy. */
    private static final class Copy {
        String mode;
        int runs;
        long streamingRecords;
        int streamingPairs;
        double streamingRate;
        int partitions;
        int parallelism;
        MicroSettings micro;
        int apiWorkspaces;
        int apiPairs;
        int apiDays;
        int apiClients;
        Duration apiDuration;
        int apiMaxRequests;
        Duration apiWarmup;
        double apiRate;
        double apiWorkspaceRate;
        boolean dayCompaction;
        boolean wrk;
        int dbBufferPoolMiB;
        Path batchJar;
        Path apiJar;
        boolean apiInProcess;
        Path report;
        FreshnessSettings freshness;
        StateSettings state;
        IsolationSettings isolation;
        ScrapeSettings scrape;
        StatusSettings status;
        Map<String, String> streamingJob;
        Set<Benchmark> benchmarks;
        Set<Diagnostic> diagnostics;
        List<String> apiQueries;
        boolean apiMinuteRows;

        Copy(BenchConfig c) {
            mode = c.mode();
            runs = c.runs();
            streamingRecords = c.streamingRecords();
            streamingPairs = c.streamingPairs();
            streamingRate = c.streamingRate();
            partitions = c.partitions();
            parallelism = c.parallelism();
            micro = c.micro();
            apiWorkspaces = c.apiWorkspaces();
            apiPairs = c.apiPairs();
            apiDays = c.apiDays();
            apiClients = c.apiClients();
            apiDuration = c.apiDuration();
            apiMaxRequests = c.apiMaxRequests();
            apiWarmup = c.apiWarmup();
            apiRate = c.apiRate();
            apiWorkspaceRate = c.apiWorkspaceRate();
            dayCompaction = c.dayCompaction();
            wrk = c.wrk();
            dbBufferPoolMiB = c.dbBufferPoolMiB();
            batchJar = c.batchJar();
            apiJar = c.apiJar();
            apiInProcess = c.apiInProcess();
            report = c.report();
            freshness = c.freshness();
            state = c.state();
            isolation = c.isolation();
            scrape = c.scrape();
            status = c.status();
            streamingJob = c.streamingJob();
            benchmarks = c.benchmarks();
            diagnostics = c.diagnostics();
            apiQueries = c.apiQueries();
            apiMinuteRows = c.apiMinuteRows();
        }

        BenchConfig build() {
            return new BenchConfig(
                    mode,
                    runs,
                    streamingRecords,
                    streamingPairs,
                    streamingRate,
                    partitions,
                    parallelism,
                    micro,
                    apiWorkspaces,
                    apiPairs,
                    apiDays,
                    apiClients,
                    apiDuration,
                    apiMaxRequests,
                    apiWarmup,
                    apiRate,
                    apiWorkspaceRate,
                    dayCompaction,
                    wrk,
                    dbBufferPoolMiB,
                    batchJar,
                    apiJar,
                    apiInProcess,
                    report,
                    freshness,
                    state,
                    isolation,
                    scrape,
                    status,
                    streamingJob,
                    benchmarks,
                    diagnostics,
                    apiQueries,
                    apiMinuteRows);
        }
    }

    public boolean selected(Benchmark b) {
        return benchmarks.contains(b);
    }

    /** Whether {@code --diagnostics} asked for {@code d}. */
    public boolean diagnostic(Diagnostic d) {
        return diagnostics.contains(d);
    }

    public boolean smoke() {
        return "smoke".equals(mode);
    }

    /** Settings of the incidents benchmark, by mode. */
    public IncidentSettings incidents() {
        return smoke() ? IncidentSettings.smoke() : IncidentSettings.full(freshness);
    }

    /** Settings of the feature cost benchmark (its load is otherwise the streaming benchmark's). */
    public FeatureSettings features() {
        return smoke() ? FeatureSettings.of(streamingRecords) : FeatureSettings.full();
    }
}
