package io.deliverymetrics.batch.job;

import io.deliverymetrics.batch.compaction.CompactionRun;
import io.deliverymetrics.batch.model.BucketResult;
import java.util.Optional;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The worker of one shard partition: one target bucket per call, so the step's commit count and
 * write count (target rows) show progress in the job repository.
 */
public class CompactionTasklet implements Tasklet {

    private final CompactionRun run;

    CompactionTasklet(CompactionRun run) {
        this.run = run;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext)
            throws Exception {
        Optional<BucketResult> done = run.step();
        if (done.isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        contribution.incrementReadCount();
        contribution.incrementWriteCount(done.get().targetRows());
        return RepeatStatus.CONTINUABLE;
    }
}
