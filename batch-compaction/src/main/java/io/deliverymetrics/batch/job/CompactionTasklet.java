package io.deliverymetrics.batch.job;

import io.deliverymetrics.batch.compaction.CompactionRun;
import io.deliverymetrics.batch.model.BucketResult;
import java.util.List;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The worker of one shard partition: one block of consecutive target buckets per call, so the
 * step's commit count and read count (target buckets) and write count (target rows) show progress
 * in the job repository.
 */
public class CompactionTasklet implements Tasklet {

    private final CompactionRun run;

    CompactionTasklet(CompactionRun run) {
        this.run = run;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext)
            throws Exception {
        List<BucketResult> done = run.step();
        if (done.isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        for (BucketResult bucket : done) {
            contribution.incrementReadCount();
            contribution.incrementWriteCount(bucket.targetRows());
        }
        return RepeatStatus.CONTINUABLE;
    }
}
