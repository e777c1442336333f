package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.flink.model.MinuteUpdate;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns a window firing (early, final or late) into a full-aggregate {@link MinuteUpdate}. */
public final class EmitMinute
        extends ProcessWindowFunction<MetricBucket, MinuteUpdate, PairKey, TimeWindow> {

    private static final long serialVersionUID = 1L;

    private final boolean samples;
    private final boolean events;

    /** Emits the buckets with their error samples and event breakdown. */
    public EmitMinute() {
        this(true, true);
    }

    /**
     * @param samples whether the emitted buckets keep their error samples (false: none is stored)
     * @param events whether the emitted buckets keep their event breakdown (false: none is stored)
     */
    public EmitMinute(boolean samples, boolean events) {
        this.samples = samples;
        this.events = events;
    }

    /** {@code b} as stored: the window's bucket itself when it keeps everything, else a copy. */
    private MetricBucket stored(MetricBucket b) {
        if (samples && events) {
            return b;
        }
        MetricBucket c = b.copy();
        if (!samples) {
            c.withoutSamples();
        }
        if (!events) {
            c.withoutEvents();
        }
        return c;
    }

    @Override
    public void process(
            PairKey pair,
            Context ctx,
            Iterable<MetricBucket> buckets,
            Collector<MinuteUpdate> out) {
        for (MetricBucket b : buckets) {
            out.collect(update(pair, ctx.window().getStart(), b));
        }
    }

    /**
     * The update of {@code pair}'s minute starting at {@code minuteStartMs}: {@code b} as stored.
     */
    MinuteUpdate update(PairKey pair, long minuteStartMs, MetricBucket b) {
        return new MinuteUpdate(
                pair.workspaceId(),
                pair.sourceId(),
                pair.destinationId(),
                minuteStartMs,
                BucketCodec.encode(stored(b)),
                0);
    }
}
