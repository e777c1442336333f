package io.deliverymetrics.bench.compaction;

import io.deliverymetrics.bench.api.ApiDataset;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.sql.MetricRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 3: hour compaction of one whole UTC day of the API data set with the batch jar ({@code
 * compact --tier hour --from D --to D+1d}, which merges every minute row's full bucket — sketch,
 * attempt histogram, errors — with {@code MetricBucket.merge}) against a counters-only {@code
 * INSERT … SELECT … GROUP BY} of the same day in SQL, one statement per shard, both shards at once
 * (as compaction runs its two shard partitions at once). Also reports the seeding and the catch-up
 * compactions that prepared the API data set.
 */
public final class CompactionBench {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionBench.class);

    private static final String BASELINE_TABLE_DDL =
            """
            CREATE TABLE IF NOT EXISTS bench_counters_hour (
                workspace_id   VARCHAR(64) NOT NULL,
                source_id      VARCHAR(64) NOT NULL,
                destination_id VARCHAR(64) NOT NULL,
                bucket_start   DATETIME    NOT NULL,
                successes      BIGINT      NOT NULL,
                retried        BIGINT      NOT NULL,
                discarded      BIGINT      NOT NULL,
                expired        BIGINT      NOT NULL,
                filtered       BIGINT      NOT NULL,
                PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start)
            ) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin""";

    private static final String BASELINE_ROLLUP =
            """
            INSERT INTO bench_counters_hour
                (workspace_id, source_id, destination_id, bucket_start,
                 successes, retried, discarded, expired, filtered)
            SELECT workspace_id, source_id, destination_id,
                   DATE_FORMAT(bucket_start, '%Y-%m-%d %H:00:00'),
                   SUM(successes), SUM(retried), SUM(discarded), SUM(expired), SUM(filtered)
            FROM delivery_metrics_minute
            WHERE bucket_start >= ? AND bucket_start < ?
            GROUP BY workspace_id, source_id, destination_id,
                     DATE_FORMAT(bucket_start, '%Y-%m-%d %H:00:00')
            ON DUPLICATE KEY UPDATE successes = VALUES(successes), retried = VALUES(retried),
                discarded = VALUES(discarded), expired = VALUES(expired),
                filtered = VALUES(filtered)""";

    private static final String COUNT_MINUTE_ROWS =
            """
            SELECT COUNT(*) FROM delivery_metrics_minute
            WHERE bucket_start >= ? AND bucket_start < ?""";

    private final BenchConfig config;
    private final BatchJar batch;
    private final ApiDataset data;

    public CompactionBench(BenchConfig config, BatchJar batch, ApiDataset data) {
        this.config = config;
        this.batch = batch;
        this.data = data;
    }

    /** What preparing the API data set took: the seeding and the catch-up compactions. */
    public record CatchUp(BatchJar.Result hour, BatchJar.Result day) {}

    /**
     * Compacts the whole data set to hour (and day, when configured) rows, as a scheduler would.
     */
    public CatchUp catchUp() throws Exception {
        BatchJar.Result hour = batch.compact(data.settings(), "hour", null, null);
        LOG.info(
                "catch-up hour compaction: {} minute rows in {} s",
                hour.sourceRows(),
                String.format("%.1f", hour.jobSeconds()));
        BatchJar.Result day = null;
        if (config.dayCompaction()) {
            day = batch.compact(data.settings(), "day", null, null);
            LOG.info(
                    "catch-up day compaction: {} hour rows in {} s",
                    day.sourceRows(),
                    String.format("%.1f", day.jobSeconds()));
        }
        return new CatchUp(hour, day);
    }

    public Section run(CatchUp catchUp) throws Exception {
        Instant day = data.end().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        Instant next = day.plus(Duration.ofDays(1));
        long minuteRows = 0;
        int shards = data.databases().shards().size();
        for (int shard = 0; shard < shards; shard++) {
            try (Connection c = data.databases().connect(shard);
                    Statement st = c.createStatement();
                    PreparedStatement count = c.prepareStatement(COUNT_MINUTE_ROWS)) {
                st.execute(BASELINE_TABLE_DDL);
                count.setObject(1, MetricRows.toDateTime(day));
                count.setObject(2, MetricRows.toDateTime(next));
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    minuteRows += rs.getLong(1);
                }
            }
        }
        List<Double> compaction = new ArrayList<>();
        List<Double> baseline = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int run = 1; run <= config.runs(); run++) {
            // The same command every run: an explicit --from range is recomputed each time.
            BatchJar.Result r = batch.compact(data.settings(), "hour", day, next);
            if (r.sourceRows() != minuteRows) {
                throw new IllegalStateException(
                        "compaction read "
                                + r.sourceRows()
                                + " minute rows, the day has "
                                + minuteRows);
            }
            compaction.add(r.sourceRowsPerSecond());
            double baselineSecs = baseline(day, next, shards);
            baseline.add(minuteRows / baselineSecs);
            notes.add(
                    String.format(
                            "Run %d: compaction job %.2f s (%,d hour rows written; the process"
                                    + " with JVM and Spring start-up %.1f s), SQL baseline %.2f s.",
                            run, r.jobSeconds(), r.targetRows(), r.processSeconds(), baselineSecs));
            LOG.info(
                    "compaction run {}: job {} minute rows/s, SQL baseline {} minute rows/s",
                    run,
                    Math.round(r.sourceRowsPerSecond()),
                    Math.round(minuteRows / baselineSecs));
        }
        Figure job =
                Figure.rate(
                        "hour compaction of one day (batch jar, full buckets)",
                        "minute rows/s",
                        compaction);
        Figure sql =
                Figure.rate(
                        "counters-only INSERT … SELECT … GROUP BY (SQL baseline)",
                        "minute rows/s",
                        baseline);
        List<Figure> figures = new ArrayList<>(List.of(job, sql));
        figures.add(
                Figure.rate(
                        "seeding with MetricRows.write, 2 writer threads (preparation)",
                        "minute rows/s",
                        List.of(data.rowsPerSecond())));
        figures.add(
                Figure.rate(
                        "catch-up hour compaction of the whole data set (preparation)",
                        "minute rows/s",
                        List.of(catchUp.hour().sourceRowsPerSecond())));
        if (catchUp.day() != null) {
            figures.add(
                    Figure.rate(
                            "catch-up day compaction (preparation)",
                            "hour rows/s",
                            List.of(catchUp.day().sourceRowsPerSecond())));
        } else {
            notes.add(
                    0,
                    "Day compaction: not run in "
                            + config.mode()
                            + " mode (the queries read minute and hour rows only).");
        }
        notes.add(
                0,
                String.format(
                        "Catch-up: hour %,d minute rows → %,d hour rows in %.1f s; %s.",
                        catchUp.hour().sourceRows(),
                        catchUp.hour().targetRows(),
                        catchUp.hour().jobSeconds(),
                        catchUp.day() == null
                                ? "no day compaction"
                                : String.format(
                                        "day %,d hour rows → %,d day rows in %.1f s",
                                        catchUp.day().sourceRows(),
                                        catchUp.day().targetRows(),
                                        catchUp.day().jobSeconds())));
        String setup =
                String.format(
                        "Day %s of the API data set: %,d minute rows (%,d pairs × 1,440"
                                + " minutes) on 2 shards. Compaction time is the Spring Batch"
                                + " job's own START_TIME → END_TIME from the job repository"
                                + " (`compaction.parallelism` 2, defaults otherwise), so JVM and"
                                + " Spring start-up are excluded; it recomputes the day's 24"
                                + " hour buckets per shard, overwriting the same rows each run"
                                + " (the identical `compact --tier hour --from D --to D+1d`"
                                + " every run)."
                                + " The baseline sums the five outcome counters per (pair, hour)"
                                + " into a plain table, one statement per shard, both shards in"
                                + " parallel.",
                        day.toString().substring(0, 10), minuteRows, data.pairs().size());
        return new Section(
                "3. Compaction",
                setup,
                figures,
                List.of(new Ratio("compaction / SQL baseline", job, sql)),
                notes);
    }

    private double baseline(Instant day, Instant next, int shards) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(shards);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int shard = 0; shard < shards; shard++) {
                int id = shard;
                futures.add(
                        pool.submit(
                                () -> {
                                    try (Connection c = data.databases().connect(id);
                                            PreparedStatement ps =
                                                    c.prepareStatement(BASELINE_ROLLUP)) {
                                        ps.setObject(1, MetricRows.toDateTime(day));
                                        ps.setObject(2, MetricRows.toDateTime(next));
                                        ps.executeUpdate();
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }
}
