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
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention on one shard (or the global database): for the metrics (with their event breakdown),
 * errors and error samples tables of every tier (the destination-type metrics and errors tables on
 * the global database), creates the partitions of the coming periods, then drops the partitions
 * entirely older than the tier's retention.
 *
 * <p>Error samples (tenant text: error messages and event names) keep the shorter of their tier's
 * retention and {@code retention.samples}. Their partitions are dropped like the others; as the
 * hour and day tables have month and year partitions, the samples rows of those tiers older than
 * the samples retention are then deleted row by row (a small table: at most ten rows per error
 * row).
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
                    out.add(applySamples(c, tier, now));
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

    /** The samples table of {@code tier}: its partitions, then its rows beyond retention. */
    private PartitionChanges applySamples(Connection c, Granularity tier, Instant now)
            throws SQLException {
        Instant oldestRetained = policy.oldestRetained(tier, now);
        Instant samplesOldest = tier.floor(now.minus(samplesRetention));
        if (samplesOldest.isAfter(oldestRetained)) {
            oldestRetained = samplesOldest;
        }
        PartitionChanges done = apply(c, tier, tier.samplesTable(), now, oldestRetained);
        try (PreparedStatement ps =
                c.prepareStatement(
                        "DELETE FROM " + tier.samplesTable() + " WHERE bucket_start < ?")) {
            ps.setObject(1, MetricRows.toDateTime(oldestRetained));
            int deleted = ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
            if (deleted > 0) {
                LOG.info(
                        "Shard {} {}: deleted {} samples before {}",
                        Databases.label(shardId),
                        tier.samplesTable(),
                        deleted,
                        oldestRetained);
            }
        }
        return done;
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
                    table.equals(tier.samplesTable())
                            ? "min(" + policy.retention(tier) + ", " + samplesRetention + ")"
                            : policy.retention(tier),
                    oldestRetained);
        }
        listener.tableRetained(shardId, tier, done);
        return done;
    }
}
