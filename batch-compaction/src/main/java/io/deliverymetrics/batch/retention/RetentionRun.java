package io.deliverymetrics.batch.retention;

import io.deliverymetrics.batch.internal.PartitionStore;
import io.deliverymetrics.batch.model.Databases;
import io.deliverymetrics.batch.model.PartitionChanges;
import io.deliverymetrics.batch.model.PartitionInfo;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.core.time.TierPolicy;
import io.deliverymetrics.sql.DestinationTypeRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention on one shard (or the global database): for the metrics, errors and events tables of
 * every tier (the destination-type metrics and errors tables on the global database), creates the
 * partitions of the coming periods, then drops the partitions entirely older than the tier's
 * retention.
 */
public final class RetentionRun {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionRun.class);

    private final int shardId;
    private final DataSource shard;
    private final TierPolicy policy;
    private final Map<Granularity, Integer> partitionsAhead;
    private final RetentionListener listener;

    public RetentionRun(
            int shardId,
            DataSource shard,
            TierPolicy policy,
            Map<Granularity, Integer> partitionsAhead,
            RetentionListener listener) {
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
                    out.add(apply(c, tier, table, now));
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
                : List.of(tier.metricsTable(), tier.errorsTable(), tier.eventsTable());
    }

    private PartitionChanges apply(Connection c, Granularity tier, String table, Instant now)
            throws SQLException {
        PartitionScheme scheme = PartitionScheme.of(tier);
        Instant oldestRetained = policy.oldestRetained(tier, now);
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
