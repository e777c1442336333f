package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.flink.model.MinuteUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each pair's running totals over its final minutes. Every minute update passes through
 * unchanged; the newest aggregate of each minute is held until the minute is final (the watermark
 * has passed its end by the allowed lateness, after which the window fires no more), then added to
 * the pair's {@link DeliveryTotals} once, and the new totals are emitted as a totals update.
 *
 * <p>Keyed by pair, downstream of the minute windows with the same key, so it chains to them
 * without a shuffle. Totals and pending minutes live in keyed state: after a failure the job
 * resumes from its checkpoint and emits the same totals again.
 */
public final class FinalMinuteTotals
        extends KeyedProcessFunction<PairKey, MinuteUpdate, MinuteUpdate> {

    private static final long serialVersionUID = 1L;

    private static final long MINUTE_MS = 60_000;

    private final long allowedLatenessMs;
    private transient ValueState<long[]> totals;
    private transient MapState<Long, byte[]> pending;

    public FinalMinuteTotals(Duration allowedLateness) {
        this.allowedLatenessMs = allowedLateness.toMillis();
    }

    /** The event time at which a minute's window fires no more: its cleanup time. */
    long finalAt(long minuteStartMs) {
        return minuteStartMs + MINUTE_MS - 1 + allowedLatenessMs;
    }

    @Override
    public void open(OpenContext openContext) {
        totals =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "totals",
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pending-minutes",
                                        Types.LONG,
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(MinuteUpdate u, Context ctx, Collector<MinuteUpdate> out)
            throws Exception {
        out.collect(u);
        if (!u.isAggregate()) {
            return;
        }
        // Each firing carries the whole minute so far: the newest replaces the one before. The
        // totals need neither the event breakdown nor the error samples: only the rest is kept.
        pending.put(u.bucketStartMs(), BucketCodec.withoutEventsAndSamples(u.bucket()));
        ctx.timerService().registerEventTimeTimer(finalAt(u.bucketStartMs()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MinuteUpdate> out)
            throws Exception {
        List<Long> due = new ArrayList<>();
        for (Long minute : pending.keys()) {
            if (finalAt(minute) <= timestamp) {
                due.add(minute);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        Collections.sort(due);
        long[] stored = totals.value();
        DeliveryTotals t = stored == null ? DeliveryTotals.ZERO : DeliveryTotals.fromArray(stored);
        for (long minute : due) {
            t = t.plus(BucketCodec.decode(pending.get(minute)));
            pending.remove(minute);
        }
        totals.update(t.toArray());
        out.collect(MinuteUpdate.totals(ctx.getCurrentKey(), due.get(due.size() - 1), t));
    }
}
