package io.deliverymetrics.flink.sink;

import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.flink.model.MinuteUpdate;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * At-least-once sink of minute rows into one shard database.
 *
 * <p>Each flush is one transaction: the metric rows are overwrite-upserted, each bucket's error
 * rows replaced, too-late counts overwritten, and this subtask's event-time progress recorded.
 * Because every write is an overwrite of a full aggregate, replays after a failure converge on the
 * same rows. This is a custom Sink V2 rather than the Flink JDBC connector's, because one flush
 * must write several statements atomically (metrics, error-row replacement, progress), which that
 * connector's one-statement-per-sink model cannot do.
 */
public final class ShardJdbcSink implements Sink<MinuteUpdate> {

    private static final long serialVersionUID = 1L;

    private final Shard shard;
    private final String pipelineName;
    private final Duration allowedLateness;
    private final int batchSize;
    private final Duration flushInterval;
    private final int maxRetries;
    private final Duration retryBackoff;

    private ShardJdbcSink(Builder b) {
        this.shard = Objects.requireNonNull(b.shard, "shard");
        this.pipelineName = Objects.requireNonNull(b.pipelineName, "pipelineName");
        this.allowedLateness = Objects.requireNonNull(b.allowedLateness, "allowedLateness");
        this.batchSize = b.batchSize;
        this.flushInterval = b.flushInterval;
        this.maxRetries = b.maxRetries;
        this.retryBackoff = b.retryBackoff;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SinkWriter<MinuteUpdate> createWriter(WriterInitContext context) {
        return new ShardJdbcWriter(
                shard,
                pipelineName,
                allowedLateness,
                batchSize,
                flushInterval,
                maxRetries,
                retryBackoff,
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getTaskInfo().getNumberOfParallelSubtasks(),
                context.metricGroup());
    }

    /** Builder with argument checks. */
    public static final class Builder {
        private Shard shard;
        private String pipelineName;
        private Duration allowedLateness = Duration.ZERO;
        private int batchSize = 10_000;
        private Duration flushInterval = Duration.ofSeconds(2);
        private int maxRetries = 5;
        private Duration retryBackoff = Duration.ofMillis(500);

        public Builder withShard(Shard shard) {
            this.shard = shard;
            return this;
        }

        public Builder withPipelineName(String name) {
            this.pipelineName = name;
            return this;
        }

        /** Used to derive {@code final_through} from the watermark. */
        public Builder withAllowedLateness(Duration d) {
            this.allowedLateness = d;
            return this;
        }

        public Builder withBatchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, was " + n);
            }
            this.batchSize = n;
            return this;
        }

        public Builder withFlushInterval(Duration d) {
            this.flushInterval = d;
            return this;
        }

        /**
         * Retries of one flush before the writer fails (and the job restarts from a checkpoint).
         */
        public Builder withRetries(int maxRetries, Duration backoff) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("max retries must be >= 0, was " + maxRetries);
            }
            this.maxRetries = maxRetries;
            this.retryBackoff = backoff;
            return this;
        }

        public ShardJdbcSink buildAtLeastOnce() {
            return new ShardJdbcSink(this);
        }
    }
}
