package io.deliverymetrics.batch.management;

import io.deliverymetrics.batch.compaction.CompactionListener;
import io.deliverymetrics.batch.model.BucketResult;
import io.deliverymetrics.batch.model.CompactionPlan;
import io.deliverymetrics.batch.model.Databases;
import io.deliverymetrics.batch.model.PartitionChanges;
import io.deliverymetrics.batch.retention.RetentionListener;
import io.deliverymetrics.core.time.Granularity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts what compaction and retention do, per shard and tier: {@value #ROWS} (finer rows read),
 * {@value #BUCKETS} (target buckets written, by kind), {@value #PARTITIONS_ADDED} and {@value
 * #PARTITIONS_DROPPED}. One update per bucket or table, never per row.
 */
public final class CompactionMetrics implements CompactionListener, RetentionListener {

    /**
     * Prefix of every meter of this process: {@code delivery_metrics_compaction_*} in Prometheus.
     */
    public static final String PREFIX = "delivery.metrics.compaction.";

    public static final String ROWS = PREFIX + "rows";
    public static final String BUCKETS = PREFIX + "buckets";
    public static final String DURATION = PREFIX + "duration";
    public static final String LAG_BUCKETS = PREFIX + "lag.buckets";
    public static final String PARTITIONS_ADDED = PREFIX + "retention.partitions.added";
    public static final String PARTITIONS_DROPPED = PREFIX + "retention.partitions.dropped";

    private final MeterRegistry registry;

    public CompactionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void planned(int shardId, CompactionPlan plan) {
        // Registers the series at zero, so that rates start with the first run, not the first row.
        rows(shardId, plan.tier());
        for (BucketResult.Kind kind : BucketResult.Kind.values()) {
            buckets(shardId, plan.tier(), kind);
        }
    }

    @Override
    public void bucketCompacted(BucketResult r) {
        rows(r.shard(), r.tier()).increment(r.sourceRows());
        buckets(r.shard(), r.tier(), r.kind()).increment();
    }

    @Override
    public void tableRetained(int shardId, Granularity tier, PartitionChanges changes) {
        // Not ".created": Prometheus reserves the _created suffix and would export the counter
        // as delivery_metrics_compaction_retention_partitions_total.
        partitions(PARTITIONS_ADDED, "Partitions created ahead", shardId, tier)
                .tag("table", changes.table())
                .register(registry)
                .increment(changes.create().size());
        partitions(PARTITIONS_DROPPED, "Expired partitions dropped", shardId, tier)
                .tag("table", changes.table())
                .register(registry)
                .increment(changes.drop().size());
    }

    private Counter rows(int shardId, Granularity tier) {
        return Counter.builder(ROWS)
                .description("Finer rows read and merged by compaction")
                .tag("tier", tier.wireName())
                .tag("shard", Databases.label(shardId))
                .register(registry);
    }

    private Counter buckets(int shardId, Granularity tier, BucketResult.Kind kind) {
        return Counter.builder(BUCKETS)
                .description("Target buckets written: catch-up from the watermark, or repair")
                .tag("tier", tier.wireName())
                .tag("shard", Databases.label(shardId))
                .tag("kind", kind.label())
                .register(registry);
    }

    private static Counter.Builder partitions(
            String name, String description, int shardId, Granularity tier) {
        return Counter.builder(name)
                .description(description)
                .tag("tier", tier.wireName())
                .tag("shard", Databases.label(shardId));
    }
}
