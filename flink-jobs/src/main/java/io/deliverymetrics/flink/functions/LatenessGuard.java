package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.time.Granularity;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Sends records for minutes that are already closed to the late output, using the watermark from
 * before a restart as well as the current one.
 *
 * <p>Flink does not checkpoint watermarks: after a restore, the window operator starts at the
 * lowest watermark and would accept a record for a minute whose state it had already dropped, then
 * overwrite that minute's full row with a one-record aggregate. This operator keeps the watermark
 * it has seen in checkpointed state and applies the window's own rule (window end + allowed
 * lateness ≤ watermark means too late) against the higher of the restored and the current
 * watermark. On a rescale it takes the minimum of the restored values, so it never drops a record
 * the window would still have taken.
 */
public final class LatenessGuard extends AbstractStreamOperator<DeliveryAttempt>
        implements OneInputStreamOperator<DeliveryAttempt, DeliveryAttempt> {

    private static final long serialVersionUID = 1L;

    private final OutputTag<DeliveryAttempt> late;
    private final long allowedLatenessMs;
    private transient ListState<Long> checkpointed;
    private transient long watermark;

    public LatenessGuard(OutputTag<DeliveryAttempt> late, Duration allowedLateness) {
        this.late = late;
        this.allowedLatenessMs = allowedLateness.toMillis();
    }

    @Override
    public void processElement(StreamRecord<DeliveryAttempt> element) {
        long windowMaxTimestamp =
                Granularity.MINUTE.floorMillis(element.getValue().eventTimeMillis())
                        + Granularity.MINUTE.sizeMillis()
                        - 1;
        if (watermark != Long.MIN_VALUE && windowMaxTimestamp + allowedLatenessMs <= watermark) {
            output.collect(late, element);
        } else {
            output.collect(element);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        checkpointed =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("lateness-guard-watermark", Types.LONG));
        watermark = Long.MIN_VALUE;
        if (context.isRestored()) {
            long min = Long.MAX_VALUE;
            for (Long w : checkpointed.get()) {
                min = Math.min(min, w);
            }
            watermark = min == Long.MAX_VALUE ? Long.MIN_VALUE : min;
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointed.update(List.of(watermark));
    }
}
