package io.deliverymetrics.batch.compaction;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.PairKey;
import java.time.Instant;
import java.util.Objects;

/**
 * Rolls finer rows of one target bucket up into one row per pair, with {@link MetricBucket#merge},
 * holding only the current pair in memory.
 *
 * <p>Input rows must arrive grouped by pair (as {@code RangeQuery} orders them) and all lie inside
 * the target bucket starting at {@code targetStart}.
 */
public final class PairRollup {

    /** Receives each finished target row. */
    @FunctionalInterface
    public interface Sink<E extends Exception> {
        void accept(PairBucket row) throws E;
    }

    private final Instant targetStart;
    private PairKey pair;
    private MetricBucket merged;
    private long sourceRows;
    private long targetRows;

    public PairRollup(Instant targetStart) {
        this.targetStart = Objects.requireNonNull(targetStart, "targetStart");
    }

    /** Adds one finer row; emits the previous pair's row to {@code sink} when the pair changes. */
    public <E extends Exception> void add(PairBucket row, Sink<E> sink) throws E {
        if (pair != null && !pair.equals(row.pair())) {
            if (row.pair().compareTo(pair) < 0) {
                throw new IllegalStateException(
                        "rows must be ordered by pair: " + row.pair() + " after " + pair);
            }
            emit(sink);
        }
        if (pair == null) {
            pair = row.pair();
            merged = new MetricBucket();
        }
        merged.merge(row.bucket());
        sourceRows++;
    }

    /** Emits the last pair's row. */
    public <E extends Exception> void finish(Sink<E> sink) throws E {
        if (pair != null) {
            emit(sink);
        }
    }

    public long sourceRows() {
        return sourceRows;
    }

    public long targetRows() {
        return targetRows;
    }

    private <E extends Exception> void emit(Sink<E> sink) throws E {
        PairBucket out = new PairBucket(pair, targetStart, merged);
        pair = null;
        merged = null;
        targetRows++;
        sink.accept(out);
    }
}
