package io.deliverymetrics.batch.job;

import io.deliverymetrics.batch.compaction.CompactionListener;
import io.deliverymetrics.batch.compaction.CompactionRun;
import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.internal.ShardCompactor;
import io.deliverymetrics.batch.internal.ShardDataSources;
import io.deliverymetrics.batch.retention.RetentionListener;
import io.deliverymetrics.batch.retention.RetentionRun;
import java.time.Clock;
import java.util.List;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;

/**
 * The three jobs. Each is one partitioned step with one partition per shard and one for the global
 * database (or only the one shard requested); a partition's worker is a tasklet over that
 * database's connection pools:
 *
 * <pre>
 * hourCompactionJob: hourCompactionShards → hourCompactionShard × N (minute rows → hour rows)
 * dayCompactionJob:  dayCompactionShards  → dayCompactionShard × N  (hour rows → day rows)
 * retentionJob:      retentionShards      → retentionShard × N       (partitions ahead, drops)
 * </pre>
 */
@Configuration(proxyBeanMethods = false)
public class CompactionJobConfiguration {

    // Workers write to the shards in their own transactions; holding a control-database
    // transaction open around each bucket would only pin a connection.
    private static final ResourcelessTransactionManager NO_TRANSACTION =
            new ResourcelessTransactionManager();

    @Bean
    public Job hourCompactionJob(
            JobRepository jobRepository,
            @Qualifier("compactionTasklet") Tasklet compactionTasklet,
            @Qualifier("shardPartitioner") Partitioner shardPartitioner,
            @Qualifier("partitionExecutor") TaskExecutor partitionExecutor,
            ObjectProvider<CompactionJobListener> jobListeners,
            BatchConfig config) {
        return partitionedJob(
                JobParams.HOUR_COMPACTION_JOB,
                "hourCompactionShard",
                jobRepository,
                compactionTasklet,
                shardPartitioner,
                partitionExecutor,
                jobListeners.orderedStream().toList(),
                config);
    }

    @Bean
    public Job dayCompactionJob(
            JobRepository jobRepository,
            @Qualifier("compactionTasklet") Tasklet compactionTasklet,
            @Qualifier("shardPartitioner") Partitioner shardPartitioner,
            @Qualifier("partitionExecutor") TaskExecutor partitionExecutor,
            ObjectProvider<CompactionJobListener> jobListeners,
            BatchConfig config) {
        return partitionedJob(
                JobParams.DAY_COMPACTION_JOB,
                "dayCompactionShard",
                jobRepository,
                compactionTasklet,
                shardPartitioner,
                partitionExecutor,
                jobListeners.orderedStream().toList(),
                config);
    }

    @Bean
    public Job retentionJob(
            JobRepository jobRepository,
            @Qualifier("retentionTasklet") Tasklet retentionTasklet,
            @Qualifier("shardPartitioner") Partitioner shardPartitioner,
            @Qualifier("partitionExecutor") TaskExecutor partitionExecutor,
            BatchConfig config) {
        return partitionedJob(
                JobParams.RETENTION_JOB,
                "retentionShard",
                jobRepository,
                retentionTasklet,
                shardPartitioner,
                partitionExecutor,
                List.of(),
                config);
    }

    /** One partition per shard, or only the shard named by the {@code shard} job parameter. */
    @Bean
    @StepScope
    public ShardPartitioner shardPartitioner(
            BatchConfig config, @Value("#{stepExecution}") StepExecution stepExecution) {
        return new ShardPartitioner(
                config.shards().size(), JobParams.shard(stepExecution.getJobParameters()));
    }

    /** The worker of one compaction partition, created per partition step execution. */
    @Bean
    @StepScope
    public CompactionTasklet compactionTasklet(
            BatchConfig config,
            ShardDataSources shards,
            Clock clock,
            ObjectProvider<CompactionListener> listeners,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        int shardId = stepExecution.getExecutionContext().getInt(JobParams.SHARD_ID);
        ShardCompactor compactor =
                new ShardCompactor(
                        shardId,
                        shards.reader(shardId),
                        shards.writer(shardId),
                        ShardCompactor.Settings.of(config),
                        clock);
        return new CompactionTasklet(
                new CompactionRun(
                        compactor,
                        JobParams.compactionRequest(stepExecution.getJobParameters()),
                        CompactionListener.composite(listeners.orderedStream().toList()),
                        config.compaction().blockBuckets()));
    }

    /** The worker of one retention partition. */
    @Bean
    @StepScope
    public RetentionTasklet retentionTasklet(
            BatchConfig config,
            ShardDataSources shards,
            ObjectProvider<RetentionListener> listeners,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        int shardId = stepExecution.getExecutionContext().getInt(JobParams.SHARD_ID);
        return new RetentionTasklet(
                new RetentionRun(
                        shardId,
                        shards.writer(shardId),
                        config.retention().policy(),
                        config.retention().samples(),
                        config.retention().partitionsAhead(),
                        RetentionListener.composite(listeners.orderedStream().toList())),
                JobParams.retentionAt(stepExecution.getJobParameters()));
    }

    /** Runs the partitions of a job, at most {@code compaction.parallelism} shards at once. */
    @Bean
    public TaskExecutor partitionExecutor(BatchConfig config) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("dm-shard-");
        executor.setConcurrencyLimit(config.compaction().parallelism());
        return executor;
    }

    private static Job partitionedJob(
            String jobName,
            String workerName,
            JobRepository jobRepository,
            Tasklet worker,
            Partitioner partitioner,
            TaskExecutor executor,
            List<? extends JobExecutionListener> listeners,
            BatchConfig config) {
        Step workerStep =
                new StepBuilder(workerName, jobRepository).tasklet(worker, NO_TRANSACTION).build();
        Step managerStep =
                new StepBuilder(workerName + "s", jobRepository)
                        .partitioner(workerName, partitioner)
                        .step(workerStep)
                        .taskExecutor(executor)
                        .gridSize(config.shards().size() + 1)
                        .build();
        JobBuilder job = new JobBuilder(jobName, jobRepository);
        listeners.forEach(job::listener);
        return job.start(managerStep).build();
    }
}
