package io.deliverymetrics.flink.functions;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks emitted as soon as a record raises the maximum event time,
 * rather than on a processing-time period, so that which records are too late depends only on the
 * order of the input.
 */
public final class PerRecordWatermarks<T> implements WatermarkGenerator<T> {

    private final long delayMs;
    private long maxTimestamp = Long.MIN_VALUE;

    public PerRecordWatermarks(Duration outOfOrderness) {
        this.delayMs = outOfOrderness.toMillis();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp > maxTimestamp) {
            maxTimestamp = eventTimestamp;
            output.emitWatermark(new Watermark(maxTimestamp - delayMs - 1));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // Everything is emitted in onEvent.
    }
}
