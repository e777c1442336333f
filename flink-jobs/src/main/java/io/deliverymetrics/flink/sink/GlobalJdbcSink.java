package io.deliverymetrics.flink.sink;

import io.deliverymetrics.flink.model.TypeMinuteUpdate;
import io.deliverymetrics.sql.GlobalDatabase;
import io.deliverymetrics.sql.Migrator;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * At-least-once sink of the destination-type minute rows into the global database, with the same
 * transaction, flush and retry behaviour as {@link ShardJdbcSink} (its own transaction per flush,
 * with this subtask's progress). Its writer brings the global schema up to date when it starts, so
 * every way of running the job (its {@code main}, the quickstart, the benchmarks) has the tables;
 * the job runs it with parallelism 1, so one writer migrates at a time.
 */
public final class GlobalJdbcSink implements Sink<TypeMinuteUpdate> {

    private static final long serialVersionUID = 1L;

    private final GlobalDatabase db;
    private final String pipelineName;
    private final Duration allowedLateness;
    private final int batchSize;
    private final Duration flushInterval;
    private final int maxRetries;
    private final Duration retryBackoff;

    public GlobalJdbcSink(
            GlobalDatabase db,
            String pipelineName,
            Duration allowedLateness,
            int batchSize,
            Duration flushInterval,
            int maxRetries,
            Duration retryBackoff) {
        this.db = Objects.requireNonNull(db, "db");
        this.pipelineName = Objects.requireNonNull(pipelineName, "pipelineName");
        this.allowedLateness = Objects.requireNonNull(allowedLateness, "allowedLateness");
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.maxRetries = maxRetries;
        this.retryBackoff = retryBackoff;
    }

    @Override
    public SinkWriter<TypeMinuteUpdate> createWriter(WriterInitContext context) {
        Migrator.migrateGlobal(db);
        return new GlobalJdbcWriter(
                db,
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
}
