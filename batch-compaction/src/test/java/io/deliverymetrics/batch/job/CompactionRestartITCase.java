package io.deliverymetrics.batch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.batch.BatchApplication;
import io.deliverymetrics.batch.compaction.CompactionListener;
import io.deliverymetrics.batch.model.BucketResult;
import io.deliverymetrics.batch.model.CompactionRequest;
import io.deliverymetrics.batch.support.BatchFixture;
import io.deliverymetrics.batch.support.DeliveryWorld;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;

@ExtendWith(EmbeddedInfraExtension.class)
class CompactionRestartITCase {

    private static final Instant START =
            Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));
    private static final Instant END = START.plus(Duration.ofHours(12));

    private final EmbeddedMariaDb mariaDb;
    private final UniqueNames names;

    CompactionRestartITCase(EmbeddedMariaDb mariaDb, UniqueNames names) {
        this.mariaDb = mariaDb;
        this.names = names;
    }

    @Test
    void shouldCompleteCorrectlyWhenRestartedAfterDyingHalfway() throws Exception {
        // Blocks of 4 hours: the crash comes while the second block (hours 5-8) is reported.
        BatchFixture fixture =
                new BatchFixture(mariaDb, names).with("compaction.block-buckets", "4");
        BatchApplication.migrate(fixture.config());
        DeliveryWorld world = new DeliveryWorld(fixture.router(), 7);
        world.generate(world.pairs(4), START, END, 0.1);
        world.seed(fixture);
        CrashOnce crash = new CrashOnce(1, 5);
        CompactionRequest request =
                CompactionRequest.catchUp(Granularity.HOUR, END.plus(Duration.ofHours(1)));

        try (ConfigurableApplicationContext app =
                BatchApplication.start(fixture.config(), BatchApplication.Mode.JOBS_ONLY, crash)) {
            BatchJobs jobs = app.getBean(BatchJobs.class);

            JobExecution failed = jobs.compact(request);
            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(partitionStatuses(failed))
                    .containsEntry("hourCompactionShard:shard0", BatchStatus.COMPLETED)
                    .containsEntry("hourCompactionShard:shard1", BatchStatus.FAILED);

            JobExecution restarted = jobs.compact(request);

            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(restarted.getJobInstance().getInstanceId())
                    .isEqualTo(failed.getJobInstance().getInstanceId());
            // Spring Batch reruns only the partition that failed.
            assertThat(partitionStatuses(restarted))
                    .containsOnlyKeys("hourCompactionShard:shard1")
                    .containsEntry("hourCompactionShard:shard1", BatchStatus.COMPLETED);
            // The restart resumed after the blocks written before the crash: hours 9-12.
            assertThat(crash.bucketsAfterRestart(1)).isEqualTo(4);
        }
        world.assertTierMatches(fixture, Granularity.HOUR, START, END);
    }

    private static Map<String, BatchStatus> partitionStatuses(JobExecution e) {
        return e.getStepExecutions().stream()
                .filter(s -> s.getStepName().contains(":"))
                .collect(
                        Collectors.toMap(
                                StepExecution::getStepName,
                                StepExecution::getStatus,
                                (a, b) -> b,
                                TreeMap::new));
    }

    /** Throws once, after the n-th bucket of one shard is written: the process "dies" there. */
    static final class CrashOnce implements CompactionListener {
        private final int shard;
        private final int crashedAfter;
        private final AtomicBoolean crashed = new AtomicBoolean();
        private final AtomicInteger seen = new AtomicInteger();
        private final AtomicInteger afterRestart = new AtomicInteger();

        CrashOnce(int shard, int crashedAfter) {
            this.shard = shard;
            this.crashedAfter = crashedAfter;
        }

        @Override
        public void bucketCompacted(BucketResult result) {
            if (result.shard() != shard) {
                return;
            }
            if (crashed.get()) {
                afterRestart.incrementAndGet();
            } else if (seen.incrementAndGet() == crashedAfter) {
                crashed.set(true);
                throw new IllegalStateException("simulated crash after " + result.bucketStart());
            }
        }

        int bucketsAfterRestart(int shardId) {
            return afterRestart.get();
        }
    }
}
