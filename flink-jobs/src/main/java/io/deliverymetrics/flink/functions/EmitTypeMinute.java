package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.flink.model.TypeMinuteUpdate;
import io.deliverymetrics.flink.model.TypeRollup;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns a destination-type window firing into a full-aggregate {@link TypeMinuteUpdate}. */
public final class EmitTypeMinute
        extends ProcessWindowFunction<TypeRollup, TypeMinuteUpdate, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String destinationType,
            Context ctx,
            Iterable<TypeRollup> rollups,
            Collector<TypeMinuteUpdate> out) {
        for (TypeRollup r : rollups) {
            out.collect(
                    new TypeMinuteUpdate(
                            destinationType,
                            ctx.window().getStart(),
                            BucketCodec.encode(r.bucket()),
                            r.contributors().encode()));
        }
    }
}
