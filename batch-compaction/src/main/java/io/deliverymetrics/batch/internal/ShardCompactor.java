package io.deliverymetrics.batch.internal;

import io.deliverymetrics.batch.compaction.CompactionLimits;
import io.deliverymetrics.batch.compaction.PairRollup;
import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.model.BucketResult;
import io.deliverymetrics.batch.model.CompactionPlan;
import io.deliverymetrics.batch.model.CompactionProgress;
import io.deliverymetrics.batch.model.CompactionRequest;
import io.deliverymetrics.batch.model.TierStatus;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.time.Granularity;
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
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The JDBC side of compacting one shard: planning a run from the progress row, the pipeline's
 * progress and the finer tier's changes, and rolling one target bucket up from its finer rows.
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
     * @param pipelineName the speed layer's name in {@code pipeline_progress}
     */
    public record Settings(
            Duration buffer,
            Duration changeOverlap,
            int chunkSize,
            int fetchSize,
            String pipelineName) {

        /** The compaction settings of {@code config}. */
        public static Settings of(BatchConfig config) {
            BatchConfig.Compaction c = config.compaction();
            return new Settings(
                    c.buffer(),
                    c.changeOverlap(),
                    c.chunkSize(),
                    c.fetchSize(),
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
            Optional<Instant> pipeline =
                    PipelineProgress.completeThrough(c, settings.pipelineName());
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
     * Recomputes one target bucket: streams its finer rows, merges them per pair and
     * overwrite-upserts the results (errors replaced) in transactions of {@code chunkSize} rows.
     */
    public BucketResult compact(Granularity tier, Instant bucketStart, BucketResult.Kind kind)
            throws SQLException {
        long started = System.nanoTime();
        Granularity finer = finer(tier);
        Instant end = bucketStart.plus(tier.size());
        PairRollup rollup = new PairRollup(bucketStart);
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
                RangeQuery.of(finer, bucketStart, end)
                        .fetchSize(settings.fetchSize())
                        .forEach(read, row -> rollup.add(row, sink));
                rollup.finish(sink);
                flush(write, tier, chunk);
                try (PreparedStatement ps =
                        write.prepareStatement(MetricRows.rollUpLateDroppedSql(tier))) {
                    ps.setObject(1, MetricRows.toDateTime(bucketStart));
                    ps.setObject(2, MetricRows.toDateTime(bucketStart));
                    ps.setObject(3, MetricRows.toDateTime(end));
                    ps.executeUpdate();
                }
                write.commit();
            } catch (SQLException | RuntimeException e) {
                write.rollback();
                throw e;
            }
        }
        return new BucketResult(
                shardId,
                tier,
                bucketStart,
                kind,
                rollup.sourceRows(),
                rollup.targetRows(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** The first target bucket in [from, limit) that has finer rows, so catch-up skips gaps. */
    public Optional<Instant> nextBucketWithRows(Granularity tier, Instant from, Instant limit)
            throws SQLException {
        if (!from.isBefore(limit)) {
            return Optional.empty();
        }
        String sql =
                "SELECT MIN(bucket_start) FROM "
                        + finer(tier).metricsTable()
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
                        PipelineProgress.completeThrough(c, settings.pipelineName()),
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
    private static List<Instant> changedBuckets(
            Connection c, Granularity finer, LocalDateTime since, Instant before)
            throws SQLException {
        String sql =
                "SELECT DISTINCT bucket_start FROM "
                        + finer.metricsTable()
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

    private static Optional<Instant> oldestRow(Connection c, Granularity g) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT MIN(bucket_start) FROM " + g.metricsTable())) {
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

    private static Granularity finer(Granularity tier) {
        return tier.finer()
                .orElseThrow(
                        () -> new IllegalArgumentException("the minute tier is not compacted"));
    }
}
