package io.deliverymetrics.bench.streaming;

import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.streaming.internal.CounterTotals;
import io.deliverymetrics.bench.streaming.internal.FirstRecordReporter;
import io.deliverymetrics.bench.streaming.internal.FlinkSettings;
import io.deliverymetrics.bench.streaming.internal.TimedJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The straightforward Flink SQL version of the speed layer, as a peer: Kafka table (JSON format) →
 * {@code TUMBLE} 1-minute event-time windows → {@code GROUP BY} pair → the five outcome counters
 * only (no latency sketch, no attempt histogram, no errors, no early firings, no dead letters) →
 * one counters table through the Flink JDBC connector. The Flink table has no primary key, so the
 * connector appends plain {@code INSERT}s: a window result is final, and Flink 2.3 would otherwise
 * demand an {@code ON CONFLICT} strategy because the window's upsert key includes {@code
 * window_end}.
 *
 * <p>Same bounded input, parallelism and checkpoint interval as the job; the watermark lags by the
 * job's out-of-orderness plus allowed lateness, so it accepts the same records.
 */
public final class SqlPeer {

    static final String TABLE = "bench_counters_minute";

    private static final String COUNTERS_TABLE_DDL =
            """
            CREATE TABLE bench_counters_minute (
                workspace_id   VARCHAR(64) NOT NULL,
                source_id      VARCHAR(64) NOT NULL,
                destination_id VARCHAR(64) NOT NULL,
                bucket_start   DATETIME    NOT NULL,
                successes      BIGINT      NOT NULL,
                retried        BIGINT      NOT NULL,
                discarded      BIGINT      NOT NULL,
                expired        BIGINT      NOT NULL,
                filtered       BIGINT      NOT NULL,
                updated_at     TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
                               ON UPDATE CURRENT_TIMESTAMP(6),
                PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start)
            ) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin""";

    private static final String SOURCE_DDL =
            """
            CREATE TABLE attempts (
                workspace_id   STRING,
                source_id      STRING,
                destination_id STRING,
                event_id       STRING,
                attempt        INT,
                outcome        STRING,
                error_code     STRING,
                received_at    STRING,
                completed_at   STRING,
                ts AS TO_TIMESTAMP(completed_at, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z'''),
                WATERMARK FOR ts AS ts - INTERVAL '%d' SECOND
            ) WITH (
                'connector' = 'kafka',
                'topic' = '%s',
                'properties.bootstrap.servers' = '%s',
                'properties.group.id' = '%s',
                'scan.startup.mode' = 'earliest-offset',
                'scan.bounded.mode' = 'latest-offset',
                'format' = 'json'
            )""";

    private static final String SINK_DDL =
            """
            CREATE TABLE counters (
                workspace_id   STRING,
                source_id      STRING,
                destination_id STRING,
                bucket_start   TIMESTAMP(3),
                successes      BIGINT,
                retried        BIGINT,
                discarded      BIGINT,
                expired        BIGINT,
                filtered       BIGINT
            ) WITH (
                'connector' = 'jdbc',
                'url' = '%s',
                'table-name' = 'bench_counters_minute',
                'username' = '%s',
                'password' = '%s',
                'sink.buffer-flush.max-rows' = '%d',
                'sink.buffer-flush.interval' = '%dms'
            )""";

    private static final String QUERY =
            """
            INSERT INTO counters
            SELECT workspace_id, source_id, destination_id, window_start,
                   COUNT(*) FILTER (WHERE outcome = 'delivered'),
                   COUNT(*) FILTER (WHERE outcome = 'retrying'),
                   COUNT(*) FILTER (WHERE outcome = 'discarded'),
                   COUNT(*) FILTER (WHERE outcome = 'expired'),
                   COUNT(*) FILTER (WHERE outcome = 'filtered')
            FROM TABLE(TUMBLE(TABLE attempts, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
            GROUP BY workspace_id, source_id, destination_id, window_start, window_end""";

    private final BenchInfra infra;
    private final String topic;
    private final int parallelism;
    private final Duration checkpointInterval;
    private final Duration watermarkLag;
    private final int sinkBatchSize;
    private final Duration sinkFlushInterval;
    private final Path checkpointDir;

    /**
     * @param watermarkLag the job's out-of-orderness plus its allowed lateness
     * @param sinkBatchSize rows per JDBC batch, as the job's {@code sink.batch-size}
     * @param sinkFlushInterval as the job's {@code sink.flush-interval}
     * @param checkpointDir where checkpoints go, as for the job
     */
    public SqlPeer(
            BenchInfra infra,
            String topic,
            int parallelism,
            Duration checkpointInterval,
            Duration watermarkLag,
            int sinkBatchSize,
            Duration sinkFlushInterval,
            Path checkpointDir) {
        this.infra = infra;
        this.checkpointDir = checkpointDir;
        this.topic = topic;
        this.parallelism = parallelism;
        this.checkpointInterval = checkpointInterval;
        this.watermarkLag = watermarkLag;
        this.sinkBatchSize = sinkBatchSize;
        this.sinkFlushInterval = sinkFlushInterval;
    }

    public StreamRun run(long records) throws Exception {
        String database = infra.names().database("bench_sql_peer");
        infra.db().createDatabase(database);
        try (Connection c = infra.db().connect(database);
                Statement st = c.createStatement()) {
            st.execute(COUNTERS_TABLE_DDL);
        }
        long submitted = System.currentTimeMillis();
        Configuration flink = new Configuration();
        FlinkSettings.checkpointToDirectory(flink, checkpointDir);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        String runId = UUID.randomUUID().toString();
        FirstRecordReporter.install(flink, runId);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, flink);
        env.enableCheckpointing(checkpointInterval.toMillis());
        StreamTableEnvironment tables =
                StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
        tables.getConfig().set("table.local-time-zone", "UTC");
        tables.executeSql(
                String.format(
                        SOURCE_DDL,
                        watermarkLag.toSeconds(),
                        topic,
                        infra.kafka().bootstrapServers(),
                        infra.names().topic("bench-sql-peer")));
        tables.executeSql(
                String.format(
                        SINK_DDL,
                        infra.db().jdbcUrl(database),
                        infra.db().user(),
                        infra.db().password(),
                        sinkBatchSize,
                        sinkFlushInterval.toMillis()));
        TableResult result = tables.executeSql(QUERY);
        JobClient client =
                result.getJobClient()
                        .orElseThrow(() -> new IllegalStateException("INSERT started no job"));
        TimedJob.Timing timing = TimedJob.await(client);
        long firstRecordAtMs =
                FirstRecordReporter.firstRecordAtMs(runId)
                        .orElseThrow(
                                () -> new IllegalStateException("the job saw no record at all"));
        CounterTotals totals;
        try (Connection c = infra.db().connect(database)) {
            totals = CounterTotals.of(c, TABLE);
        }
        return new StreamRun(
                records,
                totals.counted(),
                totals.rows(),
                (totals.lastUpdateMs() - firstRecordAtMs) / 1e3,
                (firstRecordAtMs - timing.runningAtMs()) / 1e3,
                (timing.finishedAtMs() - submitted) / 1e3,
                timing.cpuSeconds());
    }
}
