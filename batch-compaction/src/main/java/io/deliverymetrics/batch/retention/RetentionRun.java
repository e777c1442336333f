package io.deliverymetrics.batch.retention;

import io.deliverymetrics.batch.internal.PartitionStore;
import io.deliverymetrics.batch.model.Databases;
import io.deliverymetrics.batch.model.PartitionChanges;
import io.deliverymetrics.batch.model.PartitionInfo;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.core.time.TierPolicy;
import io.deliverymetrics.sql.DestinationTypeRows;
import io.deliverymetrics.sql.MetricRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention on one shard (or the global database): for the metrics (with their event breakdown) and
 * errors (with their error samples) tables of every tier (the destination-type metrics and errors
 * tables on the global database), creates the partitions of the coming periods, then drops the
 * partitions entirely older than the tier's retention.
 *
 * <p>Error samples (tenant text: error messages and event names) keep the shorter of their tier's
 * retention and {@code retention.samples}. They are a column of the error rows, so where the
 * samples retention is the shorter one the column is set to {@code NULL} on the error rows of the
 * buckets that expired, one day of buckets per transaction, from where the previous run stopped
 * ({@code error_samples_retention}) to the samples' oldest retained bucket.
 */
public final class RetentionRun {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionRun.class);

    private final int shardId;
    private final DataSource shard;
    private final TierPolicy policy;
    private final Map<Granularity, Integer> partitionsAhead;
    private final RetentionListener listener;
    private final Duration samplesRetention;

    /**
     * @param samplesRetention how long error samples are kept at most (in every tier)
     */
    public RetentionRun(
            int shardId,
            DataSource shard,
            TierPolicy policy,
            Duration samplesRetention,
            Map<Granularity, Integer> partitionsAhead,
            RetentionListener listener) {
        this.samplesRetention = samplesRetention;
        this.shardId = shardId;
        this.shard = shard;
        this.policy = policy;
        this.partitionsAhead = Map.copyOf(partitionsAhead);
        this.listener = listener;
    }

    /** Applies retention as of {@code now}; returns what changed per table. */
    public List<PartitionChanges> run(Instant now) throws SQLException {
        List<PartitionChanges> out = new ArrayList<>();
        try (Connection c = shard.getConnection()) {
            for (Granularity tier : Granularity.values()) {
                for (String table : tables(tier)) {
                    out.add(apply(c, tier, table, now, policy.oldestRetained(tier, now)));
                }
                if (shardId != Databases.GLOBAL) {
                    clearSamples(c, tier, now);
                }
            }
        }
        return out;
    }

    /** The tables of {@code tier} on this database, all partitioned on bucket_start. */
    private List<String> tables(Granularity tier) {
        return shardId == Databases.GLOBAL
                ? List.of(
                        DestinationTypeRows.metricsTable(tier),
                        DestinationTypeRows.errorsTable(tier))
                : List.of(tier.metricsTable(), tier.errorsTable());
    }

    /**
     * Clears the samples of the error rows of {@code tier} older than the samples retention, where
     * that is shorter than the tier's (the rows themselves go with their partitions).
     */
    private void clearSamples(Connection c, Granularity tier, Instant now) throws SQLException {
        Instant oldestRetained = policy.oldestRetained(tier, now);
        Instant samplesOldest = tier.floor(now.minus(samplesRetention));
        if (!samplesOldest.isAfter(oldestRetained)) {
            return;
        }
        Instant from = oldestRetained;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT cleared_before FROM error_samples_retention WHERE tier = ?")) {
            ps.setString(1, tier.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    Instant cleared = MetricRows.fromDateTime(rs.getObject(1, LocalDateTime.class));
                    if (cleared.isAfter(from)) {
                        from = cleared;
                    }
                }
            }
        }
        long cleared = 0;
        // updated_at is kept: clearing samples is not a change compaction has to follow.
        String clear =
                "UPDATE "
                        + tier.errorsTable()
                        + " SET samples = NULL, updated_at = updated_at"
                        + " WHERE bucket_start >= ? AND bucket_start < ? AND samples IS NOT NULL";
        String progress =
                "INSERT INTO error_samples_retention (tier, cleared_before) VALUES (?, ?)"
                        + " ON DUPLICATE KEY UPDATE cleared_before = VALUES(cleared_before)";
        try (PreparedStatement up = c.prepareStatement(clear);
                PreparedStatement mark = c.prepareStatement(progress)) {
            mark.setString(1, tier.wireName());
            while (from.isBefore(samplesOldest)) {
                Instant to = from.plus(Duration.ofDays(1));
                if (to.isAfter(samplesOldest)) {
                    to = samplesOldest;
                }
                up.setObject(1, MetricRows.toDateTime(from));
                up.setObject(2, MetricRows.toDateTime(to));
                cleared += up.executeUpdate();
                mark.setObject(2, MetricRows.toDateTime(to));
                mark.executeUpdate();
                if (!c.getAutoCommit()) {
                    c.commit();
                }
                from = to;
            }
        }
        if (cleared > 0) {
            LOG.info(
                    "Shard {} {}: cleared the samples of {} error rows before {} (retention {})",
                    Databases.label(shardId),
                    tier.errorsTable(),
                    cleared,
                    samplesOldest,
                    samplesRetention);
        }
    }

    private PartitionChanges apply(
            Connection c, Granularity tier, String table, Instant now, Instant oldestRetained)
            throws SQLException {
        PartitionScheme scheme = PartitionScheme.of(tier);
        int ahead = partitionsAhead.get(tier);
        List<PartitionInfo> existing = PartitionStore.list(c, table);
        boolean firstSplit = existing.size() == 1;
        PartitionChanges creates =
                PartitionPlanner.plan(
                        table,
                        scheme,
                        existing,
                        now,
                        oldestRetained,
                        ahead,
                        firstSplit ? PartitionStore.oldestRow(c, table) : Optional.empty());
        PartitionStore.create(c, table, creates.create());
        // Plan the drops on the table as it is now, so a partition created above for a long
        // past period (after a long outage) is dropped in the same run.
        PartitionChanges drops =
                PartitionPlanner.plan(
                        table,
                        scheme,
                        PartitionStore.list(c, table),
                        now,
                        oldestRetained,
                        ahead,
                        Optional.empty());
        PartitionStore.drop(c, table, drops.drop());
        PartitionChanges done = new PartitionChanges(table, creates.create(), drops.drop());
        if (!done.isEmpty()) {
            LOG.info(
                    "Shard {} {}: created {}, dropped {} (retention {} before {})",
                    Databases.label(shardId),
                    table,
                    done.create().stream().map(PartitionInfo::name).toList(),
                    done.drop(),
                    policy.retention(tier),
                    oldestRetained);
        }
        listener.tableRetained(shardId, tier, done);
        return done;
    }
}
