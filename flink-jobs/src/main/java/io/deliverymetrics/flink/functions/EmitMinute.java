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

    /** Emits the buckets with their error samples. */
    public EmitMinute() {
        this(true);
    }

    /**
     * @param samples whether the emitted buckets keep their error samples (false: none is stored)
     */
    public EmitMinute(boolean samples) {
        this.samples = samples;
    }

    @Override
    public void process(
            PairKey pair,
            Context ctx,
            Iterable<MetricBucket> buckets,
            Collector<MinuteUpdate> out) {
        for (MetricBucket b : buckets) {
            out.collect(
                    new MinuteUpdate(
                            pair.workspaceId(),
                            pair.sourceId(),
                            pair.destinationId(),
                            ctx.window().getStart(),
                            BucketCodec.encode(samples ? b : b.copy().withoutSamples()),
                            0));
        }
    }
}
