package io.deliverymetrics.batch.compaction;

import io.deliverymetrics.batch.internal.ShardCompactor;
import io.deliverymetrics.batch.model.BucketResult;
import io.deliverymetrics.batch.model.CompactionPlan;
import io.deliverymetrics.batch.model.CompactionRequest;
import io.deliverymetrics.batch.model.Databases;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compaction run on one shard, one block of consecutive target buckets per {@link #step()}:
 * first the buckets to recompute (dirty, or an explicit range), then the change mark, then catch-up
 * from the watermark up to the plan's limit, advancing the watermark after every block.
 *
 * <p>The order makes a crash at any point safe: the change mark is stored only after the dirty
 * buckets it covers are rewritten, and the watermark only after its block is; a rerun recomputes at
 * most what was in flight, with identical results.
 */
public final class CompactionRun {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionRun.class);

    private final ShardCompactor compactor;
    private final CompactionRequest request;
    private final CompactionListener listener;
    private final int blockBuckets;
    private CompactionPlan plan;
    private int nextRecompute;
    private boolean markSaved;
    private Instant cursor;
    private long bucketsDone;
    private long rowsWritten;

    /**
     * @param blockBuckets consecutive target buckets compacted together at most
     */
    public CompactionRun(
            ShardCompactor compactor,
            CompactionRequest request,
            CompactionListener listener,
            int blockBuckets) {
        if (blockBuckets < 1) {
            throw new IllegalArgumentException("blockBuckets must be >= 1, was " + blockBuckets);
        }
        this.compactor = compactor;
        this.request = request;
        this.listener = listener;
        this.blockBuckets = blockBuckets;
    }

    /**
     * Compacts the next block of target buckets.
     *
     * @return the result of each bucket of the block, in order, or an empty list when the run is
     *     finished
     */
    public List<BucketResult> step() throws SQLException {
        if (plan == null) {
            plan = compactor.plan(request);
            cursor = plan.catchUpFrom().orElse(null);
            LOG.info(
                    "Shard {} {}: {} bucket(s) to recompute, catch-up from {} to {}",
                    Databases.label(compactor.shardId()),
                    plan.tier().wireName(),
                    plan.recompute().size(),
                    cursor,
                    plan.limit());
            listener.planned(compactor.shardId(), plan);
        }
        List<Instant> recompute = plan.recompute();
        if (nextRecompute < recompute.size()) {
            Instant first = recompute.get(nextRecompute);
            int count =
                    CompactionLimits.consecutiveBlock(
                            plan.tier(), recompute, nextRecompute, blockBuckets);
            nextRecompute += count;
            return report(compactor.compact(plan.tier(), first, count, BucketResult.Kind.REPAIR));
        }
        if (!markSaved) {
            if (plan.changeMark().isPresent()) {
                compactor.saveChangeMark(plan.tier(), plan.changeMark().get());
            }
            markSaved = true;
        }
        while (cursor != null && plan.changeMark().isPresent() && cursor.isBefore(plan.limit())) {
            Optional<Instant> next =
                    compactor.nextBucketWithRows(plan.tier(), cursor, plan.limit());
            if (next.isEmpty()) {
                // Nothing left before the limit: the watermark jumps over the empty tail.
                compactor.advance(plan.tier(), plan.limit(), plan.changeMark().get());
                cursor = plan.limit();
                break;
            }
            int count =
                    CompactionLimits.catchUpBlock(
                            plan.tier(), next.get(), plan.limit(), blockBuckets);
            List<BucketResult> results =
                    compactor.compact(plan.tier(), next.get(), count, BucketResult.Kind.CATCH_UP);
            cursor = next.get().plusMillis(plan.tier().sizeMillis() * count);
            compactor.advance(plan.tier(), cursor, plan.changeMark().get());
            // Catch-up skips gaps without finer rows: buckets of the block that had none are not
            // reported as compacted. (The block starts at a bucket with rows, so unless they were
            // deleted meanwhile, something is left to report.)
            List<BucketResult> compacted =
                    results.stream().filter(r -> r.sourceRows() > 0).toList();
            if (!compacted.isEmpty()) {
                return report(compacted);
            }
        }
        return List.of();
    }

    public long bucketsDone() {
        return bucketsDone;
    }

    public long rowsWritten() {
        return rowsWritten;
    }

    private List<BucketResult> report(List<BucketResult> results) {
        for (BucketResult result : results) {
            bucketsDone++;
            rowsWritten += result.targetRows();
            listener.bucketCompacted(result);
        }
        return results;
    }
}
