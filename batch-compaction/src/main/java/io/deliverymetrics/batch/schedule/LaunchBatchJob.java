package io.deliverymetrics.batch.schedule;

import io.deliverymetrics.batch.job.BatchJobs;
import io.deliverymetrics.batch.job.JobParams;
import io.deliverymetrics.core.time.Granularity;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * The Quartz job that launches one Spring Batch job, named by the {@code batchJob} entry of its job
 * data. Never concurrent with itself anywhere in the cluster; a missed trigger loses nothing
 * because compaction catches up from the watermark.
 */
@DisallowConcurrentExecution
public class LaunchBatchJob extends QuartzJobBean {

    /** Job data key naming the Spring Batch job to launch. */
    public static final String BATCH_JOB = "batchJob";

    private final BatchJobs jobs;
    private String batchJob;

    public LaunchBatchJob(BatchJobs jobs) {
        this.jobs = jobs;
    }

    /** Set by Spring's job factory from the job data. */
    public void setBatchJob(String batchJob) {
        this.batchJob = batchJob;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) throws JobExecutionException {
        try {
            switch (batchJob) {
                case JobParams.HOUR_COMPACTION_JOB -> jobs.compactNow(Granularity.HOUR);
                case JobParams.DAY_COMPACTION_JOB -> jobs.compactNow(Granularity.DAY);
                case JobParams.RETENTION_JOB -> jobs.retainNow();
                default -> throw new JobExecutionException("unknown batch job " + batchJob);
            }
        } catch (JobExecutionException e) {
            throw e;
        } catch (Exception e) {
            throw new JobExecutionException("launching " + batchJob + " failed", e);
        }
    }
}
