package io.deliverymetrics.bench.state;

import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.StateSettings;
import io.deliverymetrics.bench.internal.Directories;
import io.deliverymetrics.bench.internal.ShardDatabases;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.bench.state.CheckpointStats.Checkpoint;
import io.deliverymetrics.bench.streaming.internal.LiveJob;
import io.deliverymetrics.flink.config.JobConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 6: the job's state at a given number of active pairs — the size of a completed
 * checkpoint (Flink REST API of the MiniCluster) and the heap it takes (used heap after a full GC,
 * minus a baseline taken before the job started). The production job runs live on a MiniCluster in
 * this JVM while a paced producer keeps every pair active; both are measured while two minutes are
 * open for every pair (the current one and the previous one, which the window keeps for the allowed
 * lateness).
 */
public final class StateSizeBench {

    private static final Logger LOG = LoggerFactory.getLogger(StateSizeBench.class);
    private static final int SHARDS = 2;
    private static final long MINUTE_MS = 60_000;

    /** Producing starts this long before the minute that is measured: one whole minute first. */
    private static final long ALIGNED_LEAD_MS = 62_000;

    private static final Duration CHECKPOINT_WAIT = Duration.ofMinutes(2);
    private static final double MIB = 1024.0 * 1024.0;

    private final BenchConfig config;
    private final BenchInfra infra;

    public StateSizeBench(BenchConfig config, BenchInfra infra) {
        this.config = config;
        this.infra = infra;
    }

    /** What one pair count produced. */
    record StateRun(
            int pairs,
            Checkpoint checkpoint,
            int checkpointsInWindow,
            long diskBytes,
            long heapBaseline,
            long heapDuring,
            long sent,
            double rate,
            long pairsWithRows,
            boolean checkpointOutsideWindow,
            double measuredAtSeconds,
            String measuredMinute) {
        long heapGrowth() {
            return heapDuring - heapBaseline;
        }
    }

    public Section run() throws Exception {
        StateSettings s = config.state();
        List<StateRun> runs = new ArrayList<>();
        JobConfig defaults = null;
        for (int pairs : s.pairCounts()) {
            ShardDatabases databases =
                    ShardDatabases.create(infra.db(), infra.names(), "bench_state_shard", SHARDS);
            String topic = infra.names().topic("bench-state");
            infra.kafka().createTopic(topic, config.partitions());
            infra.kafka().createTopic(topic + "-dead-letter", 1);
            infra.kafka().createTopic(topic + "-late", 1);
            Path checkpoints = Files.createTempDirectory("bench-state-checkpoints-");
            JobConfig job = LiveJob.config(infra, databases, topic, checkpoints, s.jobOverrides());
            defaults = job;
            runs.add(runOne(s, job, databases, topic, pairs, checkpoints));
        }
        return section(s, defaults, runs);
    }

    private StateRun runOne(
            StateSettings s,
            JobConfig job,
            ShardDatabases databases,
            String topic,
            int pairs,
            Path checkpoints)
            throws Exception {
        long intervalMs = job.checkpointInterval().toMillis();
        long cycleMs = PacedAttemptProducer.cycleMillis(s.attemptsPerPairMinute());
        LOG.info(
                "state: {} active pairs, {} attempts per pair and minute ({} records/s)",
                pairs,
                s.attemptsPerPairMinute(),
                Math.round(pairs * s.attemptsPerPairMinute() / 60.0));
        try (PacedAttemptProducer producer =
                new PacedAttemptProducer(
                        infra.kafka().bootstrapServers(),
                        topic,
                        pairs,
                        s.attemptsPerPairMinute())) {
            long baseline = usedHeapAfterGc();
            try (LiveJob live = LiveJob.start(job, config.parallelism(), true)) {
                long now = System.currentTimeMillis();
                long measuredMinute;
                long offset;
                if (s.alignToMinute()) {
                    // The producer's clock is the wall clock shifted so that producing starts
                    // 62 s before a minute boundary B: minute B-1 gets every pair's attempts for
                    // its whole length, minute B is the one measured in.
                    measuredMinute = ceilMinute(now + ALIGNED_LEAD_MS);
                    offset = measuredMinute - ALIGNED_LEAD_MS - now;
                } else {
                    measuredMinute = now;
                    offset = 0;
                }
                Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(offset));
                producer.start(clock);
                // From W0 on, every pair has attempts in the measured minute as well as in the one
                // before; until W1 the window still keeps the one before.
                long margin = s.alignToMinute() ? 2_000 : 1_000;
                long w0 = measuredMinute + cycleMs + margin;
                long w1 = w0 + 2 * intervalMs + margin;
                if (s.alignToMinute()) {
                    w1 =
                            Math.min(
                                    w1,
                                    measuredMinute
                                            + job.outOfOrderness().toMillis()
                                            + job.allowedLateness().toMillis()
                                            - 1_000);
                }
                long heapAt = w0 + Math.min(5_000, (w1 - w0) / 2);
                sleepUntil(clock, heapAt, live);
                long during = usedHeapAfterGc();
                double measuredAt = (clock.millis() - measuredMinute) / 1e3;
                sleepUntil(clock, w1, live);
                CheckpointStats stats = new CheckpointStats(live.restJobUri());
                List<Checkpoint> inWindow = awaitCheckpoints(stats, w0 - offset, w1 - offset);
                Optional<Checkpoint> best =
                        inWindow.stream()
                                .filter(Checkpoint::completed)
                                .max(Comparator.comparingLong(Checkpoint::stateSize));
                boolean outsideWindow = best.isEmpty();
                if (outsideWindow) {
                    best = awaitFirstCompletedAfter(stats, w0 - offset);
                }
                Checkpoint largest =
                        best.orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "no checkpoint of the state run with "
                                                        + pairs
                                                        + " pairs completed; history: "
                                                        + inWindow));
                long disk = diskBytes(largest.externalPath());
                producer.stop();
                live.requireRunning();
                long withRows = pairsWithRows(databases);
                StateRun run =
                        new StateRun(
                                pairs,
                                largest,
                                (int) inWindow.stream().filter(Checkpoint::completed).count(),
                                disk,
                                baseline,
                                during,
                                producer.sent(),
                                producer.rate(),
                                withRows,
                                outsideWindow,
                                measuredAt,
                                s.alignToMinute()
                                        ? Instant.ofEpochMilli(measuredMinute).toString()
                                        : "");
                LOG.info(
                        "state: {} pairs: checkpoint {} bytes ({} bytes/pair), heap +{} MiB; {}"
                                + " of {} pairs have rows",
                        pairs,
                        largest.stateSize(),
                        largest.stateSize() / pairs,
                        String.format("%.1f", run.heapGrowth() / MIB),
                        withRows,
                        pairs);
                return run;
            }
        } finally {
            Directories.deleteQuietly(checkpoints);
        }
    }

    /**
     * The checkpoints triggered in [{@code fromMs}, {@code toMs}] (wall clock), once none of them
     * is still in progress.
     */
    private static List<Checkpoint> awaitCheckpoints(CheckpointStats stats, long fromMs, long toMs)
            throws Exception {
        long deadline = System.nanoTime() + CHECKPOINT_WAIT.toNanos();
        while (true) {
            List<Checkpoint> window =
                    stats.history().stream()
                            .filter(c -> c.triggerMs() >= fromMs && c.triggerMs() <= toMs)
                            .toList();
            if (window.stream().noneMatch(c -> "IN_PROGRESS".equals(c.status()))
                    || System.nanoTime() > deadline) {
                return window;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** The first completed checkpoint triggered at or after {@code fromMs} (wall clock). */
    private static Optional<Checkpoint> awaitFirstCompletedAfter(CheckpointStats stats, long fromMs)
            throws Exception {
        long deadline = System.nanoTime() + CHECKPOINT_WAIT.toNanos();
        while (true) {
            Optional<Checkpoint> first =
                    stats.history().stream()
                            .filter(c -> c.completed() && c.triggerMs() >= fromMs)
                            .min(Comparator.comparingLong(Checkpoint::triggerMs));
            if (first.isPresent() || System.nanoTime() > deadline) {
                return first;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static void sleepUntil(Clock clock, long atMs, LiveJob live)
            throws InterruptedException {
        long nextCheck = 0;
        while (true) {
            long now = clock.millis();
            if (now >= atMs) {
                return;
            }
            if (now >= nextCheck) {
                live.requireRunning();
                nextCheck = now + 5_000;
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(500, atMs - now));
        }
    }

    /** Used heap after two explicit full collections. */
    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Distinct pairs with at least one minute row, over all shards. */
    private static long pairsWithRows(ShardDatabases databases) throws SQLException {
        long n = 0;
        for (int shard = 0; shard < databases.shards().size(); shard++) {
            try (Connection c = databases.connect(shard);
                    Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT COUNT(DISTINCT workspace_id, source_id,"
                                            + " destination_id) FROM delivery_metrics_minute")) {
                rs.next();
                n += rs.getLong(1);
            }
        }
        return n;
    }

    /** Bytes of the files under the checkpoint's directory, -1 when it is gone or unknown. */
    private static long diskBytes(String externalPath) {
        if (externalPath == null || externalPath.isEmpty()) {
            return -1;
        }
        try {
            Path dir = Path.of(URI.create(externalPath));
            if (!Files.isDirectory(dir)) {
                return -1;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile)
                        .mapToLong(
                                p -> {
                                    try {
                                        return Files.size(p);
                                    } catch (IOException e) {
                                        return 0;
                                    }
                                })
                        .sum();
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return -1;
        }
    }

    private Section section(StateSettings s, JobConfig job, List<StateRun> runs) {
        List<Figure> figures = new ArrayList<>();
        List<Ratio> ratios = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Figure firstCheckpoint = null;
        Figure lastCheckpoint = null;
        Figure firstHeap = null;
        Figure lastHeap = null;
        boolean allActive = true;
        for (StateRun r : runs) {
            String n = String.format("%,d active pairs", r.pairs());
            Figure checkpoint =
                    Figure.cost(
                            "checkpoint size · " + n,
                            "bytes",
                            List.of((double) r.checkpoint().stateSize()));
            Figure heap =
                    Figure.cost(
                            "heap after full GC − baseline · " + n,
                            "MiB",
                            List.of(r.heapGrowth() / MIB));
            figures.add(checkpoint);
            figures.add(
                    Figure.cost(
                            "checkpoint bytes per active pair · " + n,
                            "bytes/pair",
                            List.of((double) r.checkpoint().stateSize() / r.pairs())));
            figures.add(
                    Figure.cost(
                            "checkpoint bytes written · " + n,
                            "bytes",
                            List.of((double) r.checkpoint().checkpointedSize())));
            figures.add(
                    Figure.cost(
                            "checkpoint duration · " + n,
                            "s",
                            List.of(Math.max(1, r.checkpoint().durationMs()) / 1e3)));
            figures.add(heap);
            if (firstCheckpoint == null) {
                firstCheckpoint = checkpoint;
                firstHeap = heap;
            }
            lastCheckpoint = checkpoint;
            lastHeap = heap;
            boolean active = r.pairsWithRows() == r.pairs();
            allActive &= active;
            notes.add(
                    String.format(
                            "%s: checkpoint %d (%s), state size %,d bytes, %,d bytes written,"
                                    + " %.1f s trigger to last acknowledgement, %s on disk;"
                                    + " %s. Heap: %.1f MiB used after full GC"
                                    + " before the job, %.1f MiB %.0f s into the measured minute."
                                    + " Producer: %,d records at %,.0f records/s. %s: %,d of %,d"
                                    + " pairs have minute rows.",
                            n,
                            r.checkpoint().id(),
                            r.measuredMinute().isEmpty()
                                    ? "no minute alignment"
                                    : "measured minute " + r.measuredMinute(),
                            r.checkpoint().stateSize(),
                            r.checkpoint().checkpointedSize(),
                            r.checkpoint().durationMs() / 1e3,
                            r.diskBytes() < 0
                                    ? "size on disk not available (already replaced)"
                                    : String.format("%,d bytes", r.diskBytes()),
                            r.checkpointOutsideWindow()
                                    ? "NO checkpoint completed in the measurement window, so"
                                            + " this is the first one after (it may hold one"
                                            + " open minute per pair)"
                                    : String.format(
                                            "largest of %d completed checkpoint(s) triggered"
                                                    + " in the measurement window",
                                            r.checkpointsInWindow()),
                            r.heapBaseline() / MIB,
                            r.heapDuring() / MIB,
                            r.measuredAtSeconds(),
                            r.sent(),
                            r.rate(),
                            active ? "Active" : "NOT all active",
                            r.pairsWithRows(),
                            r.pairs()));
        }
        if (runs.size() >= 2) {
            StateRun a = runs.get(0);
            StateRun b = runs.get(runs.size() - 1);
            String label = String.format("%,d / %,d pairs", b.pairs(), a.pairs());
            ratios.add(
                    new Ratio("state: checkpoint size " + label, lastCheckpoint, firstCheckpoint));
            ratios.add(new Ratio("state: heap growth " + label, lastHeap, firstHeap));
            double checkpointPerPair =
                    (double) (b.checkpoint().stateSize() - a.checkpoint().stateSize())
                            / (b.pairs() - a.pairs());
            double heapPerPair =
                    (double) (b.heapGrowth() - a.heapGrowth()) / (b.pairs() - a.pairs());
            String between = String.format("between %,d and %,d pairs", a.pairs(), b.pairs());
            figures.add(
                    Figure.cost(
                            "checkpoint bytes per additional active pair · " + between,
                            "bytes/pair",
                            List.of(checkpointPerPair)));
            if (heapPerPair > 0) {
                figures.add(
                        Figure.cost(
                                "heap bytes per additional active pair · " + between,
                                "bytes/pair",
                                List.of(heapPerPair)));
            }
            notes.add(
                    String.format(
                            "Marginal cost of one more active pair (difference %s): %,.0f"
                                    + " checkpoint bytes, %,.0f heap bytes. The heap growth at"
                                    + " few pairs is mostly the MiniCluster itself (JobManager,"
                                    + " TaskManager, network stack, Kafka and JDBC clients), so"
                                    + " heap growth / pairs overstates the per-pair cost at"
                                    + " small counts.",
                            between, checkpointPerPair, heapPerPair));
        }
        if (!allActive) {
            notes.add("NOT exact: some pairs of a run never reached the database.");
        }
        String setup =
                String.format(
                        "Per pair count, a paced producer in the bench JVM sends attempt records"
                                + " (core's `AttemptWriter`, loadgen's producer settings) to the"
                                + " pairs in round-robin order, %d attempts per pair per minute"
                                + " (one every %.0f s per pair; 88 %% first-try deliveries with"
                                + " log-normal latencies around 200 ms, 4 %% second-try"
                                + " deliveries, 4 %% retries with http_429/http_503, 2 %%"
                                + " discards with http_400, 2 %% filtered), with the producer's"
                                + " clock as completed_at, into a %d-partition topic. The"
                                + " production job (`DeliveryMetricsJob.build` with the Kafka"
                                + " source and shard JDBC sinks, defaults of"
                                + " `delivery-metrics-job.yaml`: out-of-orderness %s s, allowed"
                                + " lateness %s s, early firings every %s s, checkpoints every %s"
                                + " s) runs live on a local MiniCluster in the bench JVM,"
                                + " parallelism %d, %s, into %d fresh shard databases. %s"
                                + " **Checkpoint size**: the largest `state_size` among the"
                                + " completed checkpoints triggered in that time, from the"
                                + " MiniCluster's REST API (`GET /jobs/ID/checkpoints`)."
                                + " **Heap**: used heap of the bench JVM after two"
                                + " `System.gc()` calls (MemoryMXBean) during that time, minus"
                                + " the same taken just before the job was submitted; the"
                                + " MiniCluster (JobManager and TaskManager) runs in the bench"
                                + " JVM, so the growth includes its own fixed overhead and the"
                                + " producer's buffer pool (≤ 8 MiB) besides the window state."
                                + " One run per pair count.",
                        s.attemptsPerPairMinute(),
                        PacedAttemptProducer.cycleMillis(s.attemptsPerPairMinute()) / 1e3,
                        config.partitions(),
                        trim(job.outOfOrderness().toMillis() / 1e3),
                        trim(job.allowedLateness().toMillis() / 1e3),
                        trim(job.earlyFiringInterval().toMillis() / 1e3),
                        trim(job.checkpointInterval().toMillis() / 1e3),
                        config.parallelism(),
                        "rocksdb".equals(job.stateBackend())
                                ? "RocksDB state backend (state serialized off heap, as the"
                                        + " production flink-conf runs it), "
                                        + ("true".equals(job.incrementalCheckpoints())
                                                ? "incremental"
                                                : "full")
                                        + " checkpoints to a local directory (bytes written is"
                                        + " what one checkpoint adds; state size is the whole)"
                                : "Flink's heap state backend (HashMap), full checkpoints to a"
                                        + " local directory (the production flink-conf uses"
                                        + " RocksDB with incremental checkpoints: `--state-backend"
                                        + " rocksdb`)",
                        SHARDS,
                        s.alignToMinute()
                                ? "Producing starts 62 s before a minute boundary (the"
                                        + " producer's clock is the wall clock shifted by a"
                                        + " constant so no time is spent waiting for one), so"
                                        + " the minute before the measured one gets every"
                                        + " pair's attempts for its whole length; measurements"
                                        + " are taken from one producer cycle + 2 s into the"
                                        + " measured minute (every pair has attempts in it)"
                                        + " until the window drops the previous minute"
                                        + " (out-of-orderness + allowed lateness after its"
                                        + " end): two open minutes per pair, the steady-state"
                                        + " peak."
                                : "Measurements are taken as soon as every pair has"
                                        + " attempts (no minute alignment in this mode).");
        if (!s.jobOverrides().isEmpty()) {
            setup +=
                    " Job settings changed from the production defaults for this mode: "
                            + s.jobOverrides()
                            + ".";
        }
        return new Section("6. State size", setup, figures, ratios, notes);
    }

    private static long ceilMinute(long ms) {
        return Math.floorDiv(ms + MINUTE_MS - 1, MINUTE_MS) * MINUTE_MS;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
