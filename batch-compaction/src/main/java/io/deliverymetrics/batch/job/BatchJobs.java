package io.deliverymetrics.batch.job;

import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.model.CompactionRequest;
import io.deliverymetrics.core.time.Granularity;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Launches the jobs for the scheduler and the CLI. Launching a request whose last execution failed
 * restarts that execution (Spring Batch skips the shard partitions that completed); launching a
 * completed request again returns the completed execution.
 */
@Component
public class BatchJobs {

    private static final Logger LOG = LoggerFactory.getLogger(BatchJobs.class);

    private final JobOperator operator;
    private final JobRepository repository;
    private final Job hourCompactionJob;
    private final Job dayCompactionJob;
    private final Job retentionJob;
    private final BatchConfig config;
    private final Clock clock;

    public BatchJobs(
            JobOperator operator,
            JobRepository repository,
            @Qualifier(JobParams.HOUR_COMPACTION_JOB) Job hourCompactionJob,
            @Qualifier(JobParams.DAY_COMPACTION_JOB) Job dayCompactionJob,
            @Qualifier(JobParams.RETENTION_JOB) Job retentionJob,
            BatchConfig config,
            Clock clock) {
        this.operator = operator;
        this.repository = repository;
        this.hourCompactionJob = hourCompactionJob;
        this.dayCompactionJob = dayCompactionJob;
        this.retentionJob = retentionJob;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The scheduled run: catch-up and repair of every shard up to {@code now - buffer}. The instant
     * keeps its milliseconds: two runs are two job instances even within one second, since each
     * repairs what changed before it started.
     */
    public JobExecution compactNow(Granularity tier) throws Exception {
        return compact(
                CompactionRequest.catchUp(
                        tier, clock.instant().minus(config.compaction().buffer())));
    }

    /** Runs (or restarts, or returns the completed execution of) one compaction request. */
    public JobExecution compact(CompactionRequest request) throws Exception {
        Job job = request.tier() == Granularity.HOUR ? hourCompactionJob : dayCompactionJob;
        return launch(job, JobParams.compaction(request));
    }

    /** Retention as of now. */
    public JobExecution retainNow() throws Exception {
        return retain(clock.instant(), OptionalInt.empty());
    }

    public JobExecution retain(Instant at, OptionalInt shard) throws Exception {
        return launch(retentionJob, JobParams.retention(at, shard));
    }

    private JobExecution launch(Job job, JobParameters parameters) throws Exception {
        try {
            JobExecution execution = operator.start(job, parameters);
            if (execution.getStatus() != BatchStatus.COMPLETED) {
                LOG.warn(
                        "{} {} ended {}: {}",
                        job.getName(),
                        parameters,
                        execution.getStatus(),
                        execution.getExitStatus().getExitDescription());
            }
            return execution;
        } catch (JobInstanceAlreadyCompleteException e) {
            LOG.info("{} {} already completed", job.getName(), parameters);
            return repository.getLastJobExecution(job.getName(), parameters);
        }
    }
}
