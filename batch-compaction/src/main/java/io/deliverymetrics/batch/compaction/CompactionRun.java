package io.deliverymetrics.batch.compaction;

import io.deliverymetrics.batch.internal.ShardCompactor;
import io.deliverymetrics.batch.model.BucketResult;
import io.deliverymetrics.batch.model.CompactionPlan;
import io.deliverymetrics.batch.model.CompactionRequest;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compaction run on one shard, one target bucket per {@link #step()}: first the buckets to
 * recompute (dirty, or an explicit range), then the change mark, then catch-up from the watermark
 * up to the plan's limit, advancing the watermark after every bucket.
 *
 * <p>The order makes a crash at any point safe: the change mark is stored only after the dirty
 * buckets it covers are rewritten, and the watermark only after its bucket is; a rerun recomputes
 * at most what was in flight, with identical results.
 */
public final class CompactionRun {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionRun.class);

    private final ShardCompactor compactor;
    private final CompactionRequest request;
    private final CompactionListener listener;
    private CompactionPlan plan;
    private int nextRecompute;
    private boolean markSaved;
    private Instant cursor;
    private long bucketsDone;
    private long rowsWritten;

    public CompactionRun(
            ShardCompactor compactor, CompactionRequest request, CompactionListener listener) {
        this.compactor = compactor;
        this.request = request;
        this.listener = listener;
    }

    /**
     * Compacts the next target bucket.
     *
     * @return the bucket's result, or empty when the run is finished
     */
    public Optional<BucketResult> step() throws SQLException {
        if (plan == null) {
            plan = compactor.plan(request);
            cursor = plan.catchUpFrom().orElse(null);
            LOG.info(
                    "Shard {} {}: {} bucket(s) to recompute, catch-up from {} to {}",
                    compactor.shardId(),
                    plan.tier().wireName(),
                    plan.recompute().size(),
                    cursor,
                    plan.limit());
            listener.planned(compactor.shardId(), plan);
        }
        if (nextRecompute < plan.recompute().size()) {
            return Optional.of(
                    report(
                            compactor.compact(
                                    plan.tier(),
                                    plan.recompute().get(nextRecompute++),
                                    BucketResult.Kind.REPAIR)));
        }
        if (!markSaved) {
            if (plan.changeMark().isPresent()) {
                compactor.saveChangeMark(plan.tier(), plan.changeMark().get());
            }
            markSaved = true;
        }
        if (cursor == null || plan.changeMark().isEmpty() || !cursor.isBefore(plan.limit())) {
            return Optional.empty();
        }
        Optional<Instant> next = compactor.nextBucketWithRows(plan.tier(), cursor, plan.limit());
        if (next.isEmpty()) {
            // Nothing left before the limit: the watermark jumps over the empty tail.
            compactor.advance(plan.tier(), plan.limit(), plan.changeMark().get());
            cursor = plan.limit();
            return Optional.empty();
        }
        BucketResult result =
                compactor.compact(plan.tier(), next.get(), BucketResult.Kind.CATCH_UP);
        cursor = next.get().plus(plan.tier().size());
        compactor.advance(plan.tier(), cursor, plan.changeMark().get());
        return Optional.of(report(result));
    }

    public long bucketsDone() {
        return bucketsDone;
    }

    public long rowsWritten() {
        return rowsWritten;
    }

    private BucketResult report(BucketResult result) {
        bucketsDone++;
        rowsWritten += result.targetRows();
        listener.bucketCompacted(result);
        return result;
    }
}
