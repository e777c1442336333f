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
 * Launches the jobs for the scheduler and the CLI. Launching a watermark-driven request whose last
 * execution failed restarts that execution (Spring Batch skips the shard partitions that
 * completed); launching a completed one again returns the completed execution. An explicit range is
 * a new job instance every time it is launched, so it always recomputes its whole range.
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
    private Instant lastRequestedAt = Instant.MIN;

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

    /**
     * Runs one compaction request: an explicit range always runs anew; a watermark-driven request
     * runs, restarts its failed execution, or returns its completed execution.
     */
    public JobExecution compact(CompactionRequest request) throws Exception {
        Job job = request.tier() == Granularity.HOUR ? hourCompactionJob : dayCompactionJob;
        return launch(job, JobParams.compaction(request, requestedAt()));
    }

    /** Retention as of now. */
    public JobExecution retainNow() throws Exception {
        return retain(clock.instant(), OptionalInt.empty());
    }

    public JobExecution retain(Instant at, OptionalInt shard) throws Exception {
        return launch(retentionJob, JobParams.retention(at, shard));
    }

    /**
     * Now, but later than any instant handed out before by this instance, so that two explicit
     * ranges launched within one clock tick are still two job instances.
     */
    private synchronized Instant requestedAt() {
        Instant now = clock.instant();
        lastRequestedAt = now.isAfter(lastRequestedAt) ? now : lastRequestedAt.plusNanos(1_000);
        return lastRequestedAt;
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
