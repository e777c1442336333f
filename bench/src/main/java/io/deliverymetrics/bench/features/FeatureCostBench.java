package io.deliverymetrics.bench.features;

import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.FeatureSettings;
import io.deliverymetrics.bench.internal.MachineCpu;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.bench.streaming.JobThroughput;
import io.deliverymetrics.bench.streaming.StreamRun;
import io.deliverymetrics.bench.streaming.StreamingLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 11: what the switchable parts of the job cost. The job runs end to end over one
 * pre-loaded topic (the streaming benchmark's load, whose default mix of destination failure
 * profiles makes about a fifth of the attempt records fail) with everything on (the defaults), with
 * the global roll-up off ({@code global.enabled=false}), with the event breakdown and the error
 * samples off ({@code events.enabled=false}, {@code samples.enabled=false}) and with all three off,
 * interleaved run by run; then the rows and bytes each minute table of the all-on run holds, scaled
 * to a day of this load.
 */
public final class FeatureCostBench {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureCostBench.class);
    private static final int SHARDS = 2;
    private static final double MINUTES_PER_DAY = 24 * 60;

    /** Unmeasured runs of the all-on job before the measured ones (full mode). */
    private static final int WARM_UP_RUNS = 2;

    /** Minute tables of a shard, in the report's order. */
    private static final List<String> SHARD_TABLES =
            List.of("delivery_metrics_minute", "delivery_errors_minute", "destination_types");

    /** Minute tables of the global database. */
    private static final List<String> GLOBAL_TABLES =
            List.of("destination_type_metrics_minute", "destination_type_errors_minute");

    private record Variant(String label, Map<String, String> overrides) {}

    private static final List<Variant> VARIANTS =
            List.of(
                    new Variant("all on (the defaults)", Map.of()),
                    new Variant("global roll-up off", Map.of("global.enabled", "false")),
                    new Variant(
                            "event breakdown and error samples off",
                            Map.of("events.enabled", "false", "samples.enabled", "false")),
                    new Variant(
                            "all three off",
                            Map.of(
                                    "global.enabled", "false",
                                    "events.enabled", "false",
                                    "samples.enabled", "false")));

    private final BenchConfig config;
    private final BenchInfra infra;

    public FeatureCostBench(BenchConfig config, BenchInfra infra) {
        this.config = config;
        this.infra = infra;
    }

    public Section run() throws Exception {
        FeatureSettings settings = config.features();
        String topic = infra.names().topic("bench-features");
        infra.kafka().createTopic(topic, config.partitions());
        infra.kafka().createTopic(topic + "-dead-letter", 1);
        infra.kafka().createTopic(topic + "-late", 1);
        long records =
                StreamingLoad.preload(
                        StreamingLoad.spec(config, settings.records()),
                        infra.kafka().bootstrapServers(),
                        topic);

        Path checkpoints = Files.createTempDirectory("bench-features-checkpoints-");
        List<JobThroughput> jobs = new ArrayList<>();
        for (int i = 0; i < VARIANTS.size(); i++) {
            // Benchmark 1's job settings (--streaming-job) under every variant's own.
            Map<String, String> overrides = new TreeMap<>(config.streamingJob());
            overrides.putAll(VARIANTS.get(i).overrides());
            jobs.add(
                    new JobThroughput(
                            infra,
                            topic,
                            SHARDS,
                            config.parallelism(),
                            checkpoints.resolve("variant-" + i),
                            overrides));
        }
        List<List<Double>> rates = new ArrayList<>();
        List<List<Double>> cpu = new ArrayList<>();
        for (int i = 0; i < VARIANTS.size(); i++) {
            rates.add(new ArrayList<>());
            cpu.add(new ArrayList<>());
        }
        List<String> notes = new ArrayList<>();
        if (!config.smoke()) {
            // As in the streaming benchmark: the JVM's first Flink job runs slower; not measured.
            // Twice: after one run the all-on rate still rose run by run (by about 20 % each),
            // while the variants without the breakdown did not.
            for (int i = 1; i <= WARM_UP_RUNS; i++) {
                LOG.info("feature cost warm-up: unmeasured run {}/{} of the job", i, WARM_UP_RUNS);
                jobs.get(0).run(records);
            }
        }
        JobThroughput.Kept allOn = null;
        for (int run = 1; run <= config.runs(); run++) {
            List<String> exactness = new ArrayList<>();
            for (int i = 0; i < VARIANTS.size(); i++) {
                JobThroughput.Kept kept = jobs.get(i).runKeeping(records);
                StreamRun r = kept.run();
                rates.get(i).add(r.recordsPerSecond());
                cpu.get(i).add(r.cpuMicrosPerRecord());
                exactness.add(
                        String.format(
                                "%s %,d rows accounting for %,d of %,d records (%s)",
                                VARIANTS.get(i).label(),
                                r.rows(),
                                r.counted(),
                                records,
                                r.exact() ? "exact" : "NOT exact"));
                if (i == 0) {
                    allOn = kept;
                }
                LOG.info(
                        "feature cost run {}/{}: {}: {}/s",
                        run,
                        config.runs(),
                        VARIANTS.get(i).label(),
                        Math.round(r.recordsPerSecond()));
            }
            notes.add("Run " + run + ": " + String.join("; ", exactness) + ".");
        }

        List<Figure> figures = new ArrayList<>();
        List<Figure> rateFigures = new ArrayList<>();
        for (int i = 0; i < VARIANTS.size(); i++) {
            Figure f =
                    Figure.rate(
                            "the job end to end · " + VARIANTS.get(i).label(),
                            "records/s",
                            rates.get(i));
            rateFigures.add(f);
            figures.add(f);
        }
        if (MachineCpu.available()) {
            for (int i = 0; i < VARIANTS.size(); i++) {
                figures.add(
                        Figure.cost(
                                "machine CPU per record · " + VARIANTS.get(i).label(),
                                "µs",
                                cpu.get(i)));
            }
        }
        List<Ratio> ratios =
                List.of(
                        new Ratio(
                                "global roll-up on / off (goal ≥ " + settings.globalGoal() + ")",
                                rateFigures.get(0),
                                rateFigures.get(1)),
                        new Ratio(
                                "event breakdown and error samples on / off (goal ≥ "
                                        + settings.eventsGoal()
                                        + ")",
                                rateFigures.get(0),
                                rateFigures.get(2)),
                        new Ratio("all on / all three off", rateFigures.get(0), rateFigures.get(3)),
                        new Ratio(
                                "global roll-up on / off, with breakdown and samples off",
                                rateFigures.get(2),
                                rateFigures.get(3)));
        for (Ratio r : ratios.subList(0, 2)) {
            double goal = r == ratios.get(0) ? settings.globalGoal() : settings.eventsGoal();
            notes.add(
                    String.format(
                            "Goal %s: %.3f, %s.",
                            r.name(), r.value(), r.value() >= goal ? "met" : "NOT met"));
        }

        Storage storage = Storage.of(infra, allOn);
        notes.add(
                String.format(
                        "Load: %.1f %% of the attempt records failed (retried, discarded or"
                                + " expired), over %,d minutes of event time; a day of it is"
                                + " %.0f times that.",
                        100 * storage.failedShare(),
                        storage.minutes(),
                        MINUTES_PER_DAY / storage.minutes()));
        double perDay = MINUTES_PER_DAY / storage.minutes();
        for (Map.Entry<String, long[]> e : storage.tables().entrySet()) {
            long rows = e.getValue()[0];
            long bytes = e.getValue()[1];
            if (rows == 0) {
                notes.add(e.getKey() + ": no row (nothing to report per day).");
                continue;
            }
            figures.add(
                    Figure.cost(
                            "rows per day of this load · " + e.getKey(),
                            "rows",
                            List.of(rows * perDay)));
            figures.add(
                    Figure.cost(
                            "bytes per day of this load · " + e.getKey(),
                            "MiB",
                            List.of(bytes * perDay / (1024.0 * 1024.0))));
            figures.add(
                    Figure.cost(
                            "bytes per row · " + e.getKey(), "B", List.of((double) bytes / rows)));
        }

        figures.add(
                Figure.cost(
                        "bytes per day of this load · event breakdown (event_counts of"
                                + " delivery_metrics_minute, encoded)",
                        "MiB",
                        List.of(storage.eventCountsBytes() * perDay / (1024.0 * 1024.0))));
        figures.add(
                Figure.cost(
                        "bytes per day of this load · error samples (samples of"
                                + " delivery_errors_minute, encoded)",
                        "MiB",
                        List.of(storage.samplesBytes() * perDay / (1024.0 * 1024.0))));

        String setup =
                String.format(
                                "%,d attempt records pre-loaded once with loadgen (the streaming"
                                        + " benchmark's load: simulated clock at %,.0f events/s, seed 2026,"
                                        + " Zipf 1.1 over %,d pairs, ≈2%% out of order by ≤ 20 s, loadgen's"
                                        + " default mix of healthy, rate-limited, flaky and rejecting"
                                        + " destinations: the failed share is in the notes) into a %d-partition topic. The job runs end to end as in"
                                        + " benchmark 1 (b), parallelism %d, %d shard databases and a"
                                        + " global database, fresh for every run, in four variants"
                                        + " interleaved run by run after %d unmeasured run(s) of the"
                                        + " all-on job: %s. A run's rate is records / (the"
                                        + " last row committed to the shards' or the global minute table −"
                                        + " the first record). Rows and bytes: the minute tables of the"
                                        + " last all-on run (summed over the shards), bytes being InnoDB"
                                        + " data + index length of the partitions holding rows after"
                                        + " ANALYZE TABLE (the event breakdown is a column of the pair"
                                        + " minute rows and the error samples one of the error rows, so"
                                        + " their bytes include them; their encoded bytes are also"
                                        + " reported alone), scaled to a day by the event-time minutes the"
                                        + " load spans; the hour and day tiers add fewer rows (one per"
                                        + " hour or day a key has data) and are not counted.",
                                records,
                                config.streamingRate(),
                                config.streamingPairs(),
                                config.partitions(),
                                config.parallelism(),
                                SHARDS,
                                config.smoke() ? 0 : WARM_UP_RUNS,
                                VARIANTS.stream()
                                        .map(v -> v.label() + " " + v.overrides())
                                        .reduce((x, y) -> x + "; " + y)
                                        .orElse(""))
                        + (config.streamingJob().isEmpty()
                                ? ""
                                : " Every variant also with the job settings "
                                        + new TreeMap<>(config.streamingJob())
                                        + " (`--streaming-job`).");
        return new Section("11. Feature cost", setup, figures, ratios, notes);
    }

    /**
     * What one all-on run left in its minute tables.
     *
     * @param tables per table: rows and bytes, summed over the shards
     * @param minutes event-time minutes the pair minute rows span
     * @param failedShare retried + discarded + expired over all counted attempt records
     * @param eventCountsBytes the event breakdown's encoded bytes in the pair minute rows (part of
     *     their table's bytes)
     * @param samplesBytes the error samples' encoded bytes in the minute error rows (part of their
     *     table's bytes)
     */
    private record Storage(
            Map<String, long[]> tables,
            long minutes,
            double failedShare,
            long eventCountsBytes,
            long samplesBytes) {

        static Storage of(BenchInfra infra, JobThroughput.Kept kept) throws SQLException {
            Map<String, long[]> tables = new LinkedHashMap<>();
            long firstMinute = Long.MAX_VALUE;
            long lastMinute = Long.MIN_VALUE;
            long failed = 0;
            long counted = 0;
            long eventCountsBytes = 0;
            long samplesBytes = 0;
            for (int shard = 0; shard < SHARDS; shard++) {
                try (Connection c = kept.shards().connect(shard)) {
                    for (String t : SHARD_TABLES) {
                        add(tables, t, footprint(c, t));
                    }
                    try (Statement st = c.createStatement();
                            ResultSet rs =
                                    st.executeQuery(
                                            "SELECT UNIX_TIMESTAMP(MIN(bucket_start)) DIV 60,"
                                                    + " UNIX_TIMESTAMP(MAX(bucket_start)) DIV 60,"
                                                    + " COALESCE(SUM(retried + discarded + expired),"
                                                    + " 0), COALESCE(SUM(successes + retried +"
                                                    + " discarded + expired + filtered), 0),"
                                                    + " COALESCE(SUM(LENGTH(event_counts)), 0)"
                                                    + " FROM delivery_metrics_minute")) {
                        rs.next();
                        if (rs.getObject(1) != null) {
                            firstMinute = Math.min(firstMinute, rs.getLong(1));
                            lastMinute = Math.max(lastMinute, rs.getLong(2));
                        }
                        failed += rs.getLong(3);
                        counted += rs.getLong(4);
                        eventCountsBytes += rs.getLong(5);
                    }
                    try (Statement st = c.createStatement();
                            ResultSet rs =
                                    st.executeQuery(
                                            "SELECT COALESCE(SUM(LENGTH(samples)), 0) FROM"
                                                    + " delivery_errors_minute")) {
                        rs.next();
                        samplesBytes += rs.getLong(1);
                    }
                }
            }
            if (!kept.globalDatabase().isEmpty()) {
                try (Connection c =
                        DriverManager.getConnection(
                                infra.db().jdbcUrl(kept.globalDatabase()),
                                infra.db().user(),
                                infra.db().password())) {
                    for (String t : GLOBAL_TABLES) {
                        add(tables, "global " + t, footprint(c, t));
                    }
                }
            }
            if (counted == 0) {
                throw new IllegalStateException("the all-on run wrote no pair minute row");
            }
            return new Storage(
                    tables,
                    lastMinute - firstMinute + 1,
                    (double) failed / counted,
                    eventCountsBytes,
                    samplesBytes);
        }

        private static void add(Map<String, long[]> tables, String table, long[] footprint) {
            long[] sum = tables.computeIfAbsent(table, t -> new long[2]);
            sum[0] += footprint[0];
            sum[1] += footprint[1];
        }

        /** Rows and InnoDB bytes of {@code table} (a fixed identifier of this class). */
        private static long[] footprint(Connection c, String table) throws SQLException {
            long rows;
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE TABLE " + table);
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT COALESCE(SUM(data_length + index_length), 0) FROM"
                                    + " information_schema.partitions WHERE table_schema ="
                                    + " DATABASE() AND table_name = ? AND table_rows > 0")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new long[] {rows, rs.getLong(1)};
                }
            }
        }
    }
}
