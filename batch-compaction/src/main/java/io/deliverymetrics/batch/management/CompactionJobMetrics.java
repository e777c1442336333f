package io.deliverymetrics.batch.management;

import io.deliverymetrics.batch.job.CompactionJobListener;
import io.deliverymetrics.batch.job.JobParams;
import io.deliverymetrics.core.time.Granularity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Locale;
import org.springframework.batch.core.job.JobExecution;

/**
 * Times every compaction job execution ({@value CompactionMetrics#DURATION}, by tier and outcome)
 * and refreshes the lag gauges once it has ended.
 */
public final class CompactionJobMetrics implements CompactionJobListener {

    private final MeterRegistry registry;
    private final CompactionLag lag;

    public CompactionJobMetrics(MeterRegistry registry, CompactionLag lag) {
        this.registry = registry;
        this.lag = lag;
    }

    @Override
    public void afterJob(JobExecution execution) {
        Granularity tier = JobParams.compactionRequest(execution.getJobParameters()).tier();
        LocalDateTime started = execution.getStartTime();
        if (started != null) {
            LocalDateTime ended =
                    execution.getEndTime() != null ? execution.getEndTime() : LocalDateTime.now();
            Timer.builder(CompactionMetrics.DURATION)
                    .description("Compaction job executions (all shards of one run)")
                    .tag("tier", tier.wireName())
                    .tag("outcome", execution.getStatus().name().toLowerCase(Locale.ROOT))
                    .register(registry)
                    .record(Duration.between(started, ended));
        }
        lag.refreshAll();
    }
}
