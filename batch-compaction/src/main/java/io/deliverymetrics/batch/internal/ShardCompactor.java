package io.deliverymetrics.batch.internal;

import io.deliverymetrics.batch.compaction.CompactionLimits;
import io.deliverymetrics.batch.compaction.PairRollup;
import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.model.BucketResult;
import io.deliverymetrics.batch.model.CompactionPlan;
import io.deliverymetrics.batch.model.CompactionProgress;
import io.deliverymetrics.batch.model.CompactionRequest;
import io.deliverymetrics.batch.model.Databases;
import io.deliverymetrics.batch.model.TierStatus;
import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.sql.DestinationTypeRows;
import io.deliverymetrics.sql.MetricRows;
import io.deliverymetrics.sql.PipelineProgress;
import io.deliverymetrics.sql.RangeQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The JDBC side of compacting one shard, or the global database ({@link Databases#GLOBAL}):
 * planning a run from the progress row, the pipeline's progress and the finer tier's changes, and
 * rolling target buckets up from their finer rows: per pair on a shard, per destination type (with
 * its distinct-contributor sketches) on the global database. Both keep {@code compaction_progress}
 * and {@code pipeline_progress} the same way.
 */
public final class ShardCompactor {

    private final int shardId;
    private final DataSource reader;
    private final DataSource writer;
    private final Settings settings;
    private final Clock clock;

    /**
     * What the compactor needs from the configuration.
     *
     * @param blockBuckets consecutive target buckets compacted together at most
     * @param pairReadMinRows finer rows per pair, on average, from which a block is read pair by
     *     pair
     * @param pipelineName the speed layer's name in {@code pipeline_progress}
     */
    public record Settings(
            Duration buffer,
            Duration changeOverlap,
            int chunkSize,
            int fetchSize,
            int blockBuckets,
            int pairReadMinRows,
            String pipelineName) {

        /** The compaction settings of {@code config}. */
        public static Settings of(BatchConfig config) {
            BatchConfig.Compaction c = config.compaction();
            return new Settings(
                    c.buffer(),
                    c.changeOverlap(),
                    c.chunkSize(),
                    c.fetchSize(),
                    c.blockBuckets(),
                    c.pairReadMinRows(),
                    config.pipelineName());
        }
    }

    public ShardCompactor(
            int shardId, DataSource reader, DataSource writer, Settings settings, Clock clock) {
        this.shardId = shardId;
        this.reader = reader;
        this.writer = writer;
        this.settings = settings;
        this.clock = clock;
    }

    public int shardId() {
        return shardId;
    }

    /** Plans one run on this shard. */
    public CompactionPlan plan(CompactionRequest request) throws SQLException {
        Granularity tier = request.tier();
        Granularity finer = finer(tier);
        try (Connection c = writer.getConnection()) {
            // Taken before the change scan: a change committed after the scan has a later
            // updated_at, so the next scan (from this mark minus the overlap) sees it.
            LocalDateTime changeMark = databaseNow(c);
            Optional<CompactionProgress> progress = ProgressStore.read(c, tier);
            Optional<Instant> pipeline = PipelineProgress.finalThrough(c, settings.pipelineName());
            if (request.explicitRange()) {
                Instant limit =
                        CompactionLimits.limit(
                                tier,
                                request.to(),
                                clock.instant(),
                                settings.buffer(),
                                pipeline,
                                Optional.empty());
                return new CompactionPlan(
                        tier,
                        CompactionLimits.explicitRange(
                                tier, request.from().orElseThrow(), request.to(), limit),
                        Optional.empty(),
                        limit,
                        Optional.empty());
            }
            Optional<Instant> finerDone =
                    tier == Granularity.DAY
                            ? Optional.of(
                                    ProgressStore.read(c, Granularity.HOUR)
                                            .map(CompactionProgress::compactedThrough)
                                            .orElse(Instant.EPOCH))
                            : Optional.empty();
            Instant limit =
                    CompactionLimits.limit(
                            tier,
                            request.to(),
                            clock.instant(),
                            settings.buffer(),
                            pipeline,
                            finerDone);
            List<Instant> dirty = List.of();
            if (progress.isPresent()) {
                dirty =
                        CompactionLimits.dirtyTargets(
                                tier,
                                changedBuckets(
                                        c,
                                        finer,
                                        progress.get()
                                                .changesSeenThrough()
                                                .minus(settings.changeOverlap()),
                                        progress.get().compactedThrough()));
            }
            Optional<Instant> catchUpFrom =
                    CompactionLimits.catchUpStart(
                            tier,
                            progress.map(CompactionProgress::compactedThrough),
                            progress.isPresent() ? Optional.empty() : oldestRow(c, finer));
            return new CompactionPlan(tier, dirty, catchUpFrom, limit, Optional.of(changeMark));
        }
    }

    /**
     * Recomputes the {@code count} consecutive target buckets starting at {@code first} as one
     * block: reads their finer rows, merges them per pair and target bucket and overwrite-upserts
     * the results (errors replaced) in transactions of {@code chunkSize} rows, then rolls {@code
     * late_dropped} up.
     *
     * <p>A block whose pairs have at least {@code pairReadMinRows} finer rows on average is read
     * pair by pair: each read is a primary-key range of one pair, already in order, so the database
     * neither sorts nor looks rows up twice, and the client holds one pair's rows of the block at a
     * time. A sparser block is streamed bucket by bucket with a server-side cursor.
     *
     * @return one result per target bucket, in order; the block's time is shared evenly by the
     *     buckets that had finer rows
     */
    public List<BucketResult> compact(
            Granularity tier, Instant first, int count, BucketResult.Kind kind)
            throws SQLException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, was " + count);
        }
        if (shardId == Databases.GLOBAL) {
            return compactTypes(tier, first, count, kind);
        }
        long started = System.nanoTime();
        Granularity finer = finer(tier);
        Instant end = first.plusMillis(tier.sizeMillis() * count);
        PairRollup[] rollups = new PairRollup[count];
        for (int i = 0; i < count; i++) {
            rollups[i] = new PairRollup(first.plusMillis(tier.sizeMillis() * i));
        }
        try (Connection read = reader.getConnection();
                Connection write = writer.getConnection()) {
            write.setAutoCommit(false);
            try {
                List<PairBucket> chunk = new ArrayList<>(settings.chunkSize());
                PairRollup.Sink<SQLException> sink =
                        row -> {
                            chunk.add(row);
                            if (chunk.size() >= settings.chunkSize()) {
                                flush(write, tier, chunk);
                            }
                        };
                // Target buckets whose finer rows may hold late_dropped counts to roll up.
                BitSet late = new BitSet(count);
                Optional<List<PairKey>> pairs = densePairs(read, tier, first, end, count);
                if (pairs.isPresent()) {
                    readPairByPair(read, tier, first, end, pairs.get(), rollups, sink, late);
                } else {
                    late.set(0, count);
                    for (int i = 0; i < count; i++) {
                        PairRollup rollup = rollups[i];
                        Instant start = first.plusMillis(tier.sizeMillis() * i);
                        RangeQuery.of(finer, start, start.plus(tier.size()))
                                .fetchSize(settings.fetchSize())
                                .forEach(read, row -> rollup.add(row, sink));
                        rollup.finish(sink);
                    }
                }
                flush(write, tier, chunk);
                if (!late.isEmpty()) {
                    try (PreparedStatement ps =
                            write.prepareStatement(MetricRows.rollUpLateDroppedSql(tier))) {
                        for (int i = late.nextSetBit(0); i >= 0; i = late.nextSetBit(i + 1)) {
                            Instant start = first.plusMillis(tier.sizeMillis() * i);
                            ps.setObject(1, MetricRows.toDateTime(start));
                            ps.setObject(2, MetricRows.toDateTime(start));
                            ps.setObject(3, MetricRows.toDateTime(start.plus(tier.size())));
                            ps.executeUpdate();
                        }
                    }
                }
                write.commit();
            } catch (SQLException | RuntimeException e) {
                write.rollback();
                throw e;
            }
        }
        long[] sourceRows = new long[count];
        long[] targetRows = new long[count];
        for (int i = 0; i < count; i++) {
            sourceRows[i] = rollups[i].sourceRows();
            targetRows[i] = rollups[i].targetRows();
        }
        return results(tier, first, kind, sourceRows, targetRows, started);
    }

    /**
     * One result per target bucket of a block; the block's time is shared evenly by its buckets
     * with finer rows (or by all of them).
     */
    private List<BucketResult> results(
            Granularity tier,
            Instant first,
            BucketResult.Kind kind,
            long[] sourceRows,
            long[] targetRows,
            long startedNanos) {
        int withRows = 0;
        for (long n : sourceRows) {
            withRows += n > 0 ? 1 : 0;
        }
        Duration share =
                Duration.ofNanos((System.nanoTime() - startedNanos) / Math.max(withRows, 1));
        List<BucketResult> out = new ArrayList<>(sourceRows.length);
        for (int i = 0; i < sourceRows.length; i++) {
            out.add(
                    new BucketResult(
                            shardId,
                            tier,
                            first.plusMillis(tier.sizeMillis() * i),
                            kind,
                            sourceRows[i],
                            targetRows[i],
                            withRows == 0 || sourceRows[i] > 0 ? share : Duration.ZERO));
        }
        return out;
    }

    /**
     * The global database's {@link #compact}: each target bucket's finer rows of every destination
     * type read (a few hundred types at most, so a bucket's rows fit in memory), merged per type
     * with {@link MetricBucket#merge} and {@link DistinctContributors#merge}, and
     * overwrite-upserted (error rows replaced) in one transaction per block.
     */
    private List<BucketResult> compactTypes(
            Granularity tier, Instant first, int count, BucketResult.Kind kind)
            throws SQLException {
        long started = System.nanoTime();
        Granularity finer = finer(tier);
        long[] sourceRows = new long[count];
        long[] targetRows = new long[count];
        try (Connection read = reader.getConnection();
                Connection write = writer.getConnection()) {
            write.setAutoCommit(false);
            try {
                for (int i = 0; i < count; i++) {
                    Instant start = first.plusMillis(tier.sizeMillis() * i);
                    Map<String, TypeBucket> merged = new TreeMap<>();
                    for (TypeBucket row :
                            DestinationTypeRows.list(read, finer, start, start.plus(tier.size()))) {
                        sourceRows[i]++;
                        merged.merge(
                                row.destinationType(),
                                new TypeBucket(
                                        row.destinationType(),
                                        start,
                                        row.bucket().copy(),
                                        row.contributors().copy()),
                                (a, b) -> {
                                    a.bucket().merge(b.bucket());
                                    a.contributors().merge(b.contributors());
                                    return a;
                                });
                    }
                    DestinationTypeRows.write(write, tier, merged.values());
                    targetRows[i] = merged.size();
                }
                write.commit();
            } catch (SQLException | RuntimeException e) {
                write.rollback();
                throw e;
            }
        }
        return results(tier, first, kind, sourceRows, targetRows, started);
    }

    /**
     * Reads the finer rows of [first, end) pair by pair into the rollup of each row's target
     * bucket, and marks in {@code late} the target buckets where a pair has {@code late_dropped}
     * counts: a roll-up of {@code late_dropped} over finer rows that have none writes nothing, and
     * checking one pair's key range is far cheaper than the roll-up's scan of the whole bucket.
     */
    private static void readPairByPair(
            Connection read,
            Granularity tier,
            Instant first,
            Instant end,
            List<PairKey> pairs,
            PairRollup[] rollups,
            PairRollup.Sink<SQLException> sink,
            BitSet late)
            throws SQLException {
        Granularity finer = finer(tier);
        long firstMillis = first.toEpochMilli();
        long size = tier.sizeMillis();
        String lateSql =
                "SELECT bucket_start FROM "
                        + finer.metricsTable()
                        + " WHERE workspace_id = ? AND source_id = ? AND destination_id = ?"
                        + " AND bucket_start >= ? AND bucket_start < ? AND late_dropped > 0";
        try (PreparedStatement lateRows = read.prepareStatement(lateSql)) {
            for (PairKey pair : pairs) {
                RangeQuery.of(finer, first, end)
                        .workspace(pair.workspaceId())
                        .source(pair.sourceId())
                        .destination(pair.destinationId())
                        .forEach(
                                read,
                                row -> {
                                    long offset = row.bucketStart().toEpochMilli() - firstMillis;
                                    rollups[(int) (offset / size)].add(row, sink);
                                });
                for (PairRollup rollup : rollups) {
                    rollup.finish(sink);
                }
                MetricRows.bindKey(lateRows, pair, first);
                lateRows.setObject(5, MetricRows.toDateTime(end));
                try (ResultSet rs = lateRows.executeQuery()) {
                    while (rs.next()) {
                        Instant t = MetricRows.fromDateTime(rs.getObject(1, LocalDateTime.class));
                        late.set((int) ((t.toEpochMilli() - firstMillis) / size));
                    }
                }
            }
        }
    }

    /**
     * The pairs with finer rows in [first, end), ascending, when they have at least {@code
     * pairReadMinRows} rows on average; empty when the block is sparser, or cannot be that dense
     * (too few finer buckets), and is better streamed bucket by bucket.
     */
    private Optional<List<PairKey>> densePairs(
            Connection c, Granularity tier, Instant first, Instant end, int count)
            throws SQLException {
        Granularity finer = finer(tier);
        long finerBuckets = tier.sizeMillis() / finer.sizeMillis() * count;
        if (finerBuckets < settings.pairReadMinRows()) {
            return Optional.empty();
        }
        // The bucket_start index (V1__metric_tables.sql) covers the key columns: the pairs are
        // listed from it without reading rows. Left to itself the optimizer may scan the whole
        // table in key order instead.
        String table = finer.metricsTable();
        String sql =
                "SELECT workspace_id, source_id, destination_id, COUNT(*) FROM "
                        + table
                        + " FORCE INDEX (ix_"
                        + table
                        + "_bucket) WHERE bucket_start >= ? AND bucket_start < ?"
                        + " GROUP BY workspace_id, source_id, destination_id";
        List<PairKey> pairs = new ArrayList<>();
        long rows = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, MetricRows.toDateTime(first));
            ps.setObject(2, MetricRows.toDateTime(end));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pairs.add(new PairKey(rs.getString(1), rs.getString(2), rs.getString(3)));
                    rows += rs.getLong(4);
                }
            }
        }
        if (pairs.isEmpty() || rows < (long) settings.pairReadMinRows() * pairs.size()) {
            return Optional.empty();
        }
        pairs.sort(null);
        return Optional.of(pairs);
    }

    /** The first target bucket in [from, limit) that has finer rows, so catch-up skips gaps. */
    public Optional<Instant> nextBucketWithRows(Granularity tier, Instant from, Instant limit)
            throws SQLException {
        if (!from.isBefore(limit)) {
            return Optional.empty();
        }
        String sql =
                "SELECT MIN(bucket_start) FROM "
                        + metricsTable(finer(tier))
                        + " WHERE bucket_start >= ? AND bucket_start < ?";
        try (Connection c = writer.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, MetricRows.toDateTime(from));
            ps.setObject(2, MetricRows.toDateTime(limit));
            try (ResultSet rs = ps.executeQuery()) {
                LocalDateTime t = rs.next() ? rs.getObject(1, LocalDateTime.class) : null;
                return t == null
                        ? Optional.empty()
                        : Optional.of(tier.floor(MetricRows.fromDateTime(t)));
            }
        }
    }

    /** Records catch-up progress (creating the row on the first run). */
    public void advance(Granularity tier, Instant compactedThrough, LocalDateTime changeMark)
            throws SQLException {
        try (Connection c = writer.getConnection()) {
            ProgressStore.advance(c, tier, compactedThrough, changeMark);
        }
    }

    /** Stores the change mark once every dirty bucket found before it is recomputed. */
    public void saveChangeMark(Granularity tier, LocalDateTime changeMark) throws SQLException {
        try (Connection c = writer.getConnection()) {
            ProgressStore.saveChangeMark(c, tier, changeMark);
        }
    }

    /** Progress and lag of one tier, for status output and health. */
    public TierStatus status(Granularity tier) throws SQLException {
        try (Connection c = writer.getConnection()) {
            return status(c, tier);
        }
    }

    /** Progress and lag of one tier, read over {@code c}, a connection to this shard. */
    public TierStatus status(Connection c, Granularity tier) throws SQLException {
        Optional<CompactionProgress> progress = ProgressStore.read(c, tier);
        Optional<Instant> finerDone =
                tier == Granularity.DAY
                        ? Optional.of(
                                ProgressStore.read(c, Granularity.HOUR)
                                        .map(CompactionProgress::compactedThrough)
                                        .orElse(Instant.EPOCH))
                        : Optional.empty();
        Instant now = clock.instant();
        Instant limit =
                CompactionLimits.limit(
                        tier,
                        now,
                        now,
                        settings.buffer(),
                        PipelineProgress.finalThrough(c, settings.pipelineName()),
                        finerDone);
        Optional<Instant> through = progress.map(CompactionProgress::compactedThrough);
        return new TierStatus(
                shardId,
                tier,
                through,
                progress.map(CompactionProgress::changesSeenThrough),
                limit,
                CompactionLimits.lagBuckets(tier, through, limit));
    }

    private static void flush(Connection write, Granularity tier, List<PairBucket> chunk)
            throws SQLException {
        if (chunk.isEmpty()) {
            return;
        }
        MetricRows.write(write, tier, chunk);
        write.commit();
        chunk.clear();
    }

    /** Finer buckets before {@code before} whose rows changed after {@code since}. */
    private List<Instant> changedBuckets(
            Connection c, Granularity finer, LocalDateTime since, Instant before)
            throws SQLException {
        String sql =
                "SELECT DISTINCT bucket_start FROM "
                        + metricsTable(finer)
                        + " WHERE updated_at > ? AND bucket_start < ?";
        List<Instant> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, since);
            ps.setObject(2, MetricRows.toDateTime(before));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(MetricRows.fromDateTime(rs.getObject(1, LocalDateTime.class)));
                }
            }
        }
        return out;
    }

    private Optional<Instant> oldestRow(Connection c, Granularity g) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT MIN(bucket_start) FROM " + metricsTable(g))) {
            LocalDateTime t = rs.next() ? rs.getObject(1, LocalDateTime.class) : null;
            return Optional.ofNullable(t).map(MetricRows::fromDateTime);
        }
    }

    private static LocalDateTime databaseNow(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT NOW(6)")) {
            rs.next();
            return rs.getObject(1, LocalDateTime.class);
        }
    }

    /** The metrics table of tier {@code g} on this database. */
    private String metricsTable(Granularity g) {
        return shardId == Databases.GLOBAL ? DestinationTypeRows.metricsTable(g) : g.metricsTable();
    }

    private static Granularity finer(Granularity tier) {
        return tier.finer()
                .orElseThrow(
                        () -> new IllegalArgumentException("the minute tier is not compacted"));
    }
}
