package io.deliverymetrics.batch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.batch.BatchApplication;
import io.deliverymetrics.batch.cli.ConsoleProgress;
import io.deliverymetrics.batch.model.CompactionRequest;
import io.deliverymetrics.batch.support.BatchFixture;
import io.deliverymetrics.batch.support.DeliveryWorld;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.MetricRows;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures hour compaction throughput on dense data: {@code -Dbench=true -Dbench.pairs=N
 * -Dbench.hours=M}. Off by default (it takes a while).
 */
@ExtendWith(EmbeddedInfraExtension.class)
@EnabledIfSystemProperty(named = "bench", matches = "true")
class CompactionThroughputITCase {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionThroughputITCase.class);

    private final EmbeddedMariaDb mariaDb;
    private final UniqueNames names;

    CompactionThroughputITCase(EmbeddedMariaDb mariaDb, UniqueNames names) {
        this.mariaDb = mariaDb;
        this.names = names;
    }

    @Test
    void measureHourCompactionThroughput() throws Exception {
        int pairCount = Integer.getInteger("bench.pairs", 200);
        int hours = Integer.getInteger("bench.hours", 24);
        BatchFixture fixture = new BatchFixture(mariaDb, names);
        BatchApplication.migrate(fixture.config());
        DeliveryWorld world = new DeliveryWorld(fixture.router(), 1);
        List<PairKey> pairs = world.pairs(Math.max(1, pairCount / 2)).subList(0, pairCount);
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));
        long rows = 0;
        for (int shard = 0; shard < BatchFixture.SHARDS; shard++) {
            try (Connection c = fixture.shard(shard)) {
                c.setAutoCommit(false);
                List<PairBucket> batch = new ArrayList<>();
                for (PairKey p : pairs) {
                    if (fixture.router().shardOf(p.workspaceId()) != shard) {
                        continue;
                    }
                    for (int m = 0; m < hours * 60; m++) {
                        Instant minute = start.plus(Duration.ofMinutes(m));
                        MetricBucket b = new MetricBucket();
                        for (int i = 0; i < 5; i++) {
                            b.add(world.randomAttempt(p, minute.plusSeconds(i * 10L)));
                        }
                        batch.add(new PairBucket(p, minute, b));
                        if (batch.size() == 5_000) {
                            MetricRows.write(c, Granularity.MINUTE, batch);
                            c.commit();
                            rows += batch.size();
                            batch.clear();
                        }
                    }
                }
                MetricRows.write(c, Granularity.MINUTE, batch);
                c.commit();
                rows += batch.size();
            }
        }
        ConsoleProgress progress =
                new ConsoleProgress(new PrintStream(OutputStream.nullOutputStream()));
        try (ConfigurableApplicationContext app =
                BatchApplication.start(
                        fixture.config(), BatchApplication.Mode.JOBS_ONLY, progress)) {
            long t0 = System.nanoTime();
            JobExecution e =
                    app.getBean(BatchJobs.class)
                            .compact(
                                    CompactionRequest.catchUp(
                                            Granularity.HOUR, start.plus(Duration.ofHours(hours))));
            double secs = (System.nanoTime() - t0) / 1e9;
            assertThat(e.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(progress.sourceRows()).isEqualTo(rows);
            LOG.info(
                    "BENCH hour compaction: {} pairs x {} hours = {} minute rows -> {} hour rows"
                            + " in {} s = {} minute rows/s (2 shards, parallelism 2)",
                    pairCount,
                    hours,
                    rows,
                    progress.targetRows(),
                    String.format("%.2f", secs),
                    String.format("%.0f", rows / secs));
        }
    }
}
