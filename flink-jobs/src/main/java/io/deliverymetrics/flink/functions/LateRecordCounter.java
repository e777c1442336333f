package io.deliverymetrics.flink.functions;

import io.deliverymetrics.flink.model.MinutePartial;
import io.deliverymetrics.flink.model.MinuteUpdate;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts records that arrived after the allowed lateness, per pair and minute, and emits the
 * running total as an overwrite of that minute's {@code late_dropped} (kept in state, so a replay
 * after a failure rewrites the same total instead of adding twice).
 *
 * <p>Input: too-late attempts as partials (a lone attempt, or several merged by the pre-aggregation
 * step — each counts as many records as it holds). Keyed by {@link #key(MinutePartial)}. The count
 * is kept for {@code retention} after its last update; a record later than that for the same minute
 * restarts the count (documented limit).
 */
public final class LateRecordCounter
        extends KeyedProcessFunction<String, MinutePartial, MinuteUpdate> {

    private static final long serialVersionUID = 1L;

    private final Duration retention;
    private transient ValueState<Long> count;
    private transient Counter lateRecords;

    public LateRecordCounter(Duration retention) {
        this.retention = retention;
    }

    /** The state key: pair and minute. */
    public static String key(MinutePartial p) {
        return p.pair().kafkaKey() + '@' + p.minuteStartMs();
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>("late-count", Types.LONG);
        d.enableTimeToLive(StateTtlConfig.newBuilder(retention).build());
        count = getRuntimeContext().getState(d);
        lateRecords = getRuntimeContext().getMetricGroup().counter("recordsLate");
    }

    @Override
    public void processElement(MinutePartial p, Context ctx, Collector<MinuteUpdate> out)
            throws Exception {
        long n = (count.value() == null ? 0 : count.value()) + p.attempts();
        count.update(n);
        lateRecords.inc(p.attempts());
        out.collect(
                new MinuteUpdate(
                        p.pair().workspaceId(),
                        p.pair().sourceId(),
                        p.pair().destinationId(),
                        p.minuteStartMs(),
                        null,
                        n));
    }
}
