package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.flink.model.MinutePartial;
import io.deliverymetrics.flink.model.MinuteUpdate;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The minute window's function when the window keeps its partials (window state is their list)
 * instead of merging each as it arrives: at every firing (early, final or late) it merges all of
 * them into a fresh bucket with {@link MetricBucket#merge}, then emits it as {@link EmitMinute}
 * does. The result is the same bucket, because the merge is exact, associative and commutative.
 *
 * <p>Why: on a state backend that serializes state (RocksDB), an incremental aggregate reads,
 * decodes, re-encodes and writes the window's whole bucket for every partial, and a bucket with its
 * event breakdown and error samples is kilobytes; appending a partial to a list is one write of the
 * partial alone. The merge work moves to the firings, a few per window.
 */
public final class MergeOnFiring
        extends ProcessWindowFunction<MinutePartial, MinuteUpdate, PairKey, TimeWindow> {

    private static final long serialVersionUID = 1L;

    private final EmitMinute emit;

    public MergeOnFiring(EmitMinute emit) {
        this.emit = emit;
    }

    @Override
    public void process(
            PairKey pair,
            Context ctx,
            Iterable<MinutePartial> partials,
            Collector<MinuteUpdate> out) {
        MetricBucket b = new MetricBucket();
        for (MinutePartial p : partials) {
            p.addTo(b);
        }
        out.collect(emit.update(pair, ctx.window().getStart(), b));
    }
}
