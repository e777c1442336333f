package io.deliverymetrics.batch.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.quartz.DisallowConcurrentExecution;

class LaunchBatchJobTest {

    @Test
    void shouldNeverRunConcurrentlyWithItself() {
        assertThat(LaunchBatchJob.class.isAnnotationPresent(DisallowConcurrentExecution.class))
                .isTrue();
    }
}
