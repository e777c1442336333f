package io.deliverymetrics.batch.job;

import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Observes every execution of the hour and day compaction jobs (all shards of one run): beans of
 * this type are registered on both jobs, and only on them.
 */
public interface CompactionJobListener extends JobExecutionListener {}
