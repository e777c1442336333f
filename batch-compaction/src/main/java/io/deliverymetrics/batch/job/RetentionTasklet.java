package io.deliverymetrics.batch.job;

import io.deliverymetrics.batch.model.PartitionChanges;
import io.deliverymetrics.batch.retention.RetentionRun;
import java.time.Instant;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** The worker of one shard partition of the retention job. */
public class RetentionTasklet implements Tasklet {

    private final RetentionRun run;
    private final Instant at;

    RetentionTasklet(RetentionRun run, Instant at) {
        this.run = run;
        this.at = at;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext)
            throws Exception {
        for (PartitionChanges c : run.run(at)) {
            contribution.incrementWriteCount(c.create().size() + c.drop().size());
        }
        return RepeatStatus.FINISHED;
    }
}
