package io.deliverymetrics.batch.cli;

import io.deliverymetrics.batch.compaction.CompactionListener;
import io.deliverymetrics.batch.model.BucketResult;
import io.deliverymetrics.batch.model.CompactionPlan;
import io.deliverymetrics.batch.model.Databases;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/** Prints compaction progress, one line per planned shard and per compacted bucket. */
public final class ConsoleProgress implements CompactionListener {

    private final PrintStream out;
    private final AtomicLong sourceRows = new AtomicLong();
    private final AtomicLong targetRows = new AtomicLong();
    private final AtomicLong buckets = new AtomicLong();

    public ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void planned(int shardId, CompactionPlan plan) {
        out.printf(
                "shard %s %s: %d bucket(s) to recompute, catch-up %s up to %s (at most %d"
                        + " bucket(s))%n",
                Databases.label(shardId),
                plan.tier().wireName(),
                plan.recompute().size(),
                plan.catchUpFrom().map(Object::toString).orElse("none"),
                plan.limit(),
                plan.catchUpBuckets());
    }

    @Override
    public void bucketCompacted(BucketResult r) {
        buckets.incrementAndGet();
        sourceRows.addAndGet(r.sourceRows());
        targetRows.addAndGet(r.targetRows());
        out.printf(
                "shard %s %s %s: %d %s row(s) -> %d row(s) in %d ms%n",
                Databases.label(r.shard()),
                r.tier().wireName(),
                r.bucketStart(),
                r.sourceRows(),
                r.tier().finer().orElseThrow().wireName(),
                r.targetRows(),
                r.took().toMillis());
    }

    public long buckets() {
        return buckets.get();
    }

    public long sourceRows() {
        return sourceRows.get();
    }

    public long targetRows() {
        return targetRows.get();
    }
}
