package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.flink.model.MinutePartial;
import io.deliverymetrics.flink.model.MinuteUpdate;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The minute window's function when the window keeps its partials as a list instead of merging each
 * as it arrives. It runs under {@link EarlyFiringTrigger#purging}: every firing (early, final or
 * late) hands it the partials that arrived since the previous firing and then empties the list. It
 * merges them with {@link MetricBucket#merge} into the bucket the previous firing emitted, kept in
 * the window's own state ({@code merged}) as the emitted encoding itself, emits the new bucket as
 * {@link EmitMinute} does and keeps its encoding: one encoding per firing serves both. The result
 * is the same bucket as an incremental aggregate's, because the merge is exact, associative and
 * commutative (and what {@link EmitMinute} leaves out of a stored bucket, samples or breakdown, it
 * leaves out of every later one too).
 *
 * <p>Why: on a state backend that serializes state (RocksDB), an incremental aggregate reads,
 * decodes, re-encodes and writes the window's whole bucket for every partial, and a bucket with its
 * event breakdown and error samples is kilobytes; appending a partial to a list is one write of the
 * partial alone. The merge work moves to the firings, a few per window, and each firing reads and
 * writes the merged bucket once, however many firings came before.
 *
 * <p>A firing with no new partial does not reach this function (the window operator skips empty
 * contents): the bucket it would emit is the one the previous firing emitted.
 */
public final class MergeOnFiring
        extends ProcessWindowFunction<MinutePartial, MinuteUpdate, PairKey, TimeWindow> {

    private static final long serialVersionUID = 1L;

    private final EmitMinute emit;
    private final ValueStateDescriptor<byte[]> merged =
            new ValueStateDescriptor<>(
                    "merged", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    public MergeOnFiring(EmitMinute emit) {
        this.emit = emit;
    }

    @Override
    public void process(
            PairKey pair,
            Context ctx,
            Iterable<MinutePartial> partials,
            Collector<MinuteUpdate> out)
            throws Exception {
        ValueState<byte[]> state = ctx.windowState().getState(merged);
        byte[] before = state.value();
        MetricBucket b = before == null ? new MetricBucket() : BucketCodec.decode(before);
        for (MinutePartial p : partials) {
            p.addTo(b);
        }
        MinuteUpdate u = emit.update(pair, ctx.window().getStart(), b);
        state.update(u.bucket());
        out.collect(u);
    }

    @Override
    public void clear(Context ctx) {
        ctx.windowState().getState(merged).clear();
    }
}
