package io.deliverymetrics.flink.functions;

import java.time.Duration;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Event-time trigger with early firings: fires when the watermark passes the window end (and again
 * for each allowed late element, like Flink's event-time trigger), and additionally at most once
 * per {@code interval} of processing time while new elements keep arriving before the window
 * closes. At the window end it fires only if an element arrived since the last early firing.
 *
 * <p>Every firing emits the full aggregate, so the sink's overwrite upsert always leaves the newest
 * complete value: as a plain FIRE, which keeps the window's contents (an incremental aggregate),
 * or, {@link #purging}, as FIRE_AND_PURGE for a window function that keeps what it has emitted in
 * its own state ({@link MergeOnFiring}), so that each firing hands it only the newer elements. A
 * timer is armed only by a new element, so an idle window does not fire repeatedly. Per window, one
 * value of state says which: no value before the first element, the time of the early firing due,
 * {@code NO_PENDING_TIMER} after one, or {@code BEHIND} for a window with no early firings.
 *
 * <p>Early firings are for minutes in progress. {@link #within} bounds them to windows that end no
 * more than a horizon before the current processing time: a window whose first element arrives
 * later than that belongs to a job that is catching up after an outage or replaying history, the
 * watermark completes it moments later, and firing it early as well would only write its rows twice
 * (a catch-up's backlog moves through a minute in about one early-firing interval, so nearly every
 * window would fire early once).
 */
public final class EarlyFiringTrigger extends Trigger<Object, TimeWindow> {

    private static final long serialVersionUID = 1L;

    /**
     * The pending state of a window whose event-time timer is registered and which has no early
     * firing due: set by an early firing, so that the next element only arms the next one. Without
     * it every element would register the window's event-time timer again, and that lookup in the
     * timer queue was a fifth of the window operator's time.
     */
    private static final long NO_PENDING_TIMER = Long.MIN_VALUE;

    /**
     * The pending state of a window that ended more than the horizon before its first element
     * arrived: its event-time timer is registered and it never fires early.
     */
    private static final long BEHIND = Long.MIN_VALUE + 1;

    /** No horizon: every window fires early. */
    private static final long NO_HORIZON = Long.MAX_VALUE;

    private final long intervalMs;
    private final long horizonMs;
    private final TriggerResult fire;
    private final ValueStateDescriptor<Long> pendingTimer =
            new ValueStateDescriptor<>("early-firing-timer", Types.LONG);

    private EarlyFiringTrigger(long intervalMs, long horizonMs, TriggerResult fire) {
        this.intervalMs = intervalMs;
        this.horizonMs = horizonMs;
        this.fire = fire;
    }

    /** Fires without purging: every firing sees all the window's elements. */
    public static EarlyFiringTrigger every(Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("early firing interval must be positive");
        }
        return new EarlyFiringTrigger(interval.toMillis(), NO_HORIZON, TriggerResult.FIRE);
    }

    /**
     * The same firings, early ones only for windows that end at most {@code horizon} before the
     * processing time at which their first element arrives.
     */
    public EarlyFiringTrigger within(Duration horizon) {
        if (horizon.isZero() || horizon.isNegative()) {
            throw new IllegalArgumentException("early firing horizon must be positive");
        }
        return new EarlyFiringTrigger(intervalMs, horizon.toMillis(), fire);
    }

    /**
     * The same firings, each purging the window's contents: a firing sees the elements since the
     * previous one, and one with none does not call the window function.
     */
    public EarlyFiringTrigger purging() {
        return new EarlyFiringTrigger(intervalMs, horizonMs, TriggerResult.FIRE_AND_PURGE);
    }

    @Override
    public TriggerResult onElement(
            Object element, long timestamp, TimeWindow window, TriggerContext ctx)
            throws Exception {
        if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
            // A late element within the allowed lateness: emit the corrected aggregate right away.
            return fire;
        }
        ValueState<Long> pending = ctx.getPartitionedState(pendingTimer);
        Long at = pending.value();
        if (at == null) {
            // The window's first element (or the first since a restore of a checkpoint taken
            // before the NO_PENDING_TIMER marker): registering the same timer again is a no-op.
            ctx.registerEventTimeTimer(window.maxTimestamp());
            if (behind(window, ctx.getCurrentProcessingTime())) {
                pending.update(BEHIND);
                return TriggerResult.CONTINUE;
            }
        }
        if (at == null || at == NO_PENDING_TIMER) {
            long next = ctx.getCurrentProcessingTime() + intervalMs;
            ctx.registerProcessingTimeTimer(next);
            pending.update(next);
        }
        return TriggerResult.CONTINUE;
    }

    /** Whether {@code window} ended more than the horizon before {@code processingTime}. */
    private boolean behind(TimeWindow window, long processingTime) {
        return horizonMs != NO_HORIZON && window.maxTimestamp() < processingTime - horizonMs;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx)
            throws Exception {
        ValueState<Long> pending = ctx.getPartitionedState(pendingTimer);
        pending.update(NO_PENDING_TIMER);
        return window.maxTimestamp() > ctx.getCurrentWatermark() ? fire : TriggerResult.CONTINUE;
    }

    /**
     * At the window's end, fires unless no element arrived since its last early firing: that firing
     * emitted the same aggregate, and emitting it again would only write every pair's rows a second
     * time in the burst that holds up the minute's completion.
     */
    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx)
            throws Exception {
        if (time != window.maxTimestamp()) {
            return TriggerResult.CONTINUE;
        }
        Long at = ctx.getPartitionedState(pendingTimer).value();
        return at != null && at == NO_PENDING_TIMER ? TriggerResult.CONTINUE : fire;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        ValueState<Long> pending = ctx.getPartitionedState(pendingTimer);
        Long at = pending.value();
        if (at != null && at != NO_PENDING_TIMER && at != BEHIND) {
            ctx.deleteProcessingTimeTimer(at);
        }
        pending.clear();
    }

    @Override
    public String toString() {
        return "EarlyFiringTrigger("
                + intervalMs
                + " ms"
                + (horizonMs == NO_HORIZON ? "" : ", within " + horizonMs + " ms")
                + (fire.isPurge() ? ", purging" : "")
                + ")";
    }
}
