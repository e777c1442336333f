package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.flink.model.MinutePartial;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes every too-late partial on (for counting) and sends each lone attempt to {@link #SINGLES}
 * for the late topic. A partial of several attempts cannot be published attempt by attempt; those
 * are counted in {@code lateAttemptsNotPublished}.
 */
public final class LateSplitter extends ProcessFunction<MinutePartial, MinutePartial> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeliveryAttempt> SINGLES =
            new OutputTag<>("late-singles", TypeInformation.of(DeliveryAttempt.class));

    private transient Counter notPublished;

    @Override
    public void open(OpenContext openContext) {
        notPublished = getRuntimeContext().getMetricGroup().counter("lateAttemptsNotPublished");
    }

    @Override
    public void processElement(MinutePartial p, Context ctx, Collector<MinutePartial> out) {
        if (p.single() != null) {
            ctx.output(SINGLES, p.single());
        } else {
            notPublished.inc(p.attempts());
        }
        out.collect(p);
    }
}
