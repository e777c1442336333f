package io.deliverymetrics.flink.sink;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.flink.model.TypeMinuteUpdate;
import io.deliverymetrics.sql.DestinationTypeRows;
import io.deliverymetrics.sql.GlobalDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * Writer of {@link GlobalJdbcSink}: keeps the newest firing per (destination type, minute) and
 * upserts them, with this subtask's progress, in one transaction per flush.
 */
final class GlobalJdbcWriter extends TransactionalJdbcWriter<TypeMinuteUpdate> {

    /** Newest full aggregate per "type@minute", in key order (the same lock order every time). */
    private final Map<String, TypeMinuteUpdate> rows = new TreeMap<>();

    GlobalJdbcWriter(
            GlobalDatabase db,
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
                new Target("the global database", db.jdbcUrl(), db.user(), db.password()),
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
    protected void buffer(TypeMinuteUpdate u) {
        rows.put(u.destinationType() + '@' + u.bucketStartMs(), u);
    }

    @Override
    protected int buffered() {
        return rows.size();
    }

    @Override
    protected void clearBuffer() {
        rows.clear();
    }

    @Override
    protected void writeRows(Connection c) throws SQLException {
        List<TypeBucket> buckets = new ArrayList<>(rows.size());
        for (TypeMinuteUpdate u : rows.values()) {
            buckets.add(
                    new TypeBucket(
                            u.destinationType(),
                            Instant.ofEpochMilli(u.bucketStartMs()),
                            BucketCodec.decode(u.bucket()),
                            DistinctContributors.decode(u.contributors())));
        }
        // Every firing of a window carries everything the one before it had.
        DestinationTypeRows.writeGrowing(c, Granularity.MINUTE, buckets);
    }
}
