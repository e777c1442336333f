package io.deliverymetrics.flink.sink;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.flink.model.MinuteUpdate;
import io.deliverymetrics.sql.DestinationTypes;
import io.deliverymetrics.sql.MetricRows;
import io.deliverymetrics.sql.TotalsRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * Writer of {@link ShardJdbcSink}: buffers the newest update per row and flushes it
 * transactionally.
 */
final class ShardJdbcWriter extends TransactionalJdbcWriter<MinuteUpdate> {

    /** Newest full aggregate per (pair, minute); later firings replace earlier ones. */
    private final Map<RowKey, MinuteUpdate> aggregates = new LinkedHashMap<>();

    /** Newest too-late count per (pair, minute). */
    private final Map<RowKey, Long> lateCounts = new LinkedHashMap<>();

    /** Newest running totals per pair (key minute 0); later minutes replace earlier ones. */
    private final Map<RowKey, MinuteUpdate> totals = new LinkedHashMap<>();

    /**
     * Per destination (key: workspace, destination) the sighting that supersedes all others of this
     * flush: one upsert per destination and flush.
     */
    private final Map<RowKey, DestinationTypes.Seen> destinationTypes = new LinkedHashMap<>();

    private record RowKey(String ws, String src, String dst, long bucketStartMs) {
        // Written out: the generated methods' method-handle chains cost more per update.
        @Override
        public int hashCode() {
            return 31 * (31 * (31 * ws.hashCode() + src.hashCode()) + dst.hashCode())
                    + Long.hashCode(bucketStartMs);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey k
                    && bucketStartMs == k.bucketStartMs
                    && ws.equals(k.ws)
                    && src.equals(k.src)
                    && dst.equals(k.dst);
        }
    }

    ShardJdbcWriter(
            Shard shard,
            String pipelineName,
            Duration allowedLateness,
            int batchSize,
            Duration flushInterval,
            int maxRetries,
            Duration retryBackoff,
            int subtask,
            int parallelism,
            SinkWriterMetricGroup metrics) {
        super(
                new Target("shard " + shard.id(), shard.jdbcUrl(), shard.user(), shard.password()),
                pipelineName,
                allowedLateness,
                batchSize,
                flushInterval,
                maxRetries,
                retryBackoff,
                subtask,
                parallelism,
                metrics);
    }

    @Override
    protected void buffer(MinuteUpdate u) {
        if (u.isDestinationType()) {
            destinationTypes.merge(
                    new RowKey(u.workspaceId(), "", u.destinationId(), 0),
                    new DestinationTypes.Seen(
                            u.workspaceId(),
                            u.destinationId(),
                            u.destinationType(),
                            Instant.ofEpochMilli(u.bucketStartMs())),
                    (old, neu) -> neu.supersedes(old) ? neu : old);
        } else if (u.isTotals()) {
            totals.merge(
                    new RowKey(u.workspaceId(), u.sourceId(), u.destinationId(), 0),
                    u,
                    (old, neu) -> neu.bucketStartMs() >= old.bucketStartMs() ? neu : old);
        } else {
            RowKey k =
                    new RowKey(u.workspaceId(), u.sourceId(), u.destinationId(), u.bucketStartMs());
            if (u.isAggregate()) {
                aggregates.put(k, u);
            } else {
                lateCounts.put(k, u.lateDropped());
            }
        }
    }

    @Override
    protected int buffered() {
        return aggregates.size() + lateCounts.size() + totals.size() + destinationTypes.size();
    }

    @Override
    protected void clearBuffer() {
        aggregates.clear();
        lateCounts.clear();
        totals.clear();
        destinationTypes.clear();
    }

    @Override
    protected void writeRows(Connection c) throws SQLException {
        List<PairBucket> rows = new ArrayList<>(aggregates.size());
        // Key order gives every transaction the same lock order.
        List<MinuteUpdate> ordered = new ArrayList<>(aggregates.values());
        ordered.sort(
                Comparator.comparing(MinuteUpdate::workspaceId)
                        .thenComparing(MinuteUpdate::sourceId)
                        .thenComparing(MinuteUpdate::destinationId)
                        .thenComparingLong(MinuteUpdate::bucketStartMs));
        for (MinuteUpdate u : ordered) {
            rows.add(
                    new PairBucket(
                            new PairKey(u.workspaceId(), u.sourceId(), u.destinationId()),
                            Instant.ofEpochMilli(u.bucketStartMs()),
                            BucketCodec.decode(u.bucket())));
        }
        // Every firing of a window carries everything the one before it had.
        MetricRows.writeGrowing(c, Granularity.MINUTE, rows);
        if (!lateCounts.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(MetricRows.upsertLateDroppedSql())) {
                for (Map.Entry<RowKey, Long> e : lateCounts.entrySet()) {
                    RowKey k = e.getKey();
                    int i =
                            MetricRows.bindKey(
                                    ps,
                                    new PairKey(k.ws(), k.src(), k.dst()),
                                    Instant.ofEpochMilli(k.bucketStartMs()));
                    ps.setLong(i, e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!totals.isEmpty()) {
            List<TotalsRows.PairTotals> rowsOfTotals = new ArrayList<>(totals.size());
            for (MinuteUpdate u : totals.values()) {
                rowsOfTotals.add(
                        new TotalsRows.PairTotals(
                                u.pair(),
                                Instant.ofEpochMilli(u.bucketStartMs())
                                        .plus(Granularity.MINUTE.size()),
                                DeliveryTotals.fromArray(u.totals())));
            }
            rowsOfTotals.sort(
                    Comparator.comparing((TotalsRows.PairTotals r) -> r.pair().workspaceId())
                            .thenComparing(r -> r.pair().sourceId())
                            .thenComparing(r -> r.pair().destinationId()));
            TotalsRows.write(c, rowsOfTotals);
        }
        if (!destinationTypes.isEmpty()) {
            List<DestinationTypes.Seen> seen = new ArrayList<>(destinationTypes.values());
            seen.sort(
                    Comparator.comparing(DestinationTypes.Seen::workspaceId)
                            .thenComparing(DestinationTypes.Seen::destinationId));
            DestinationTypes.write(c, seen);
        }
    }
}
