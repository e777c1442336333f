package io.deliverymetrics.batch.schedule;

import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.job.JobParams;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;
import org.springframework.scheduling.quartz.SpringBeanJobFactory;

/**
 * The clustered Quartz scheduler with one cron trigger per batch job (hour compaction, day
 * compaction, retention), all in UTC. Triggers are rewritten from configuration at start-up, so a
 * changed cron takes effect on the next deployment.
 */
@Configuration(proxyBeanMethods = false)
public class SchedulerConfiguration {

    @Bean
    public SchedulerFactoryBean scheduler(BatchConfig config, ApplicationContext context) {
        BatchConfig.Schedule s = config.schedule();
        List<JobDetail> details = new ArrayList<>();
        List<Trigger> triggers = new ArrayList<>();
        add(details, triggers, JobParams.HOUR_COMPACTION_JOB, s.hourCompactionCron());
        add(details, triggers, JobParams.DAY_COMPACTION_JOB, s.dayCompactionCron());
        add(details, triggers, JobParams.RETENTION_JOB, s.retentionCron());
        return factory(config, context, details, triggers);
    }

    /**
     * A scheduler factory over the control database's job store; the jobs it runs are created by
     * {@code context}, so their constructors get Spring beans.
     */
    public static SchedulerFactoryBean factory(
            BatchConfig config,
            ApplicationContext context,
            List<JobDetail> details,
            List<Trigger> triggers) {
        SpringBeanJobFactory jobFactory = new SpringBeanJobFactory();
        jobFactory.setApplicationContext(context);
        SchedulerFactoryBean f = new SchedulerFactoryBean();
        f.setQuartzProperties(QuartzSettings.properties(config.schedule(), config.control()));
        f.setJobFactory(jobFactory);
        f.setJobDetails(details.toArray(JobDetail[]::new));
        f.setTriggers(triggers.toArray(Trigger[]::new));
        f.setOverwriteExistingJobs(true);
        f.setWaitForJobsToCompleteOnShutdown(true);
        f.setAutoStartup(config.schedule().enabled());
        return f;
    }

    private static void add(
            List<JobDetail> details, List<Trigger> triggers, String batchJob, String cron) {
        JobDetail detail =
                JobBuilder.newJob(LaunchBatchJob.class)
                        .withIdentity(batchJob, "delivery-metrics")
                        .usingJobData(LaunchBatchJob.BATCH_JOB, batchJob)
                        .storeDurably()
                        .build();
        details.add(detail);
        triggers.add(
                TriggerBuilder.newTrigger()
                        .forJob(detail)
                        .withIdentity(batchJob + "-cron", "delivery-metrics")
                        .withSchedule(
                                CronScheduleBuilder.cronSchedule(cron)
                                        .inTimeZone(TimeZone.getTimeZone("UTC"))
                                        .withMisfireHandlingInstructionFireAndProceed())
                        .build());
    }
}
