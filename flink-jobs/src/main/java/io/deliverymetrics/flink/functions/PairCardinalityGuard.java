package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.flink.model.MinutePartial;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Bounds the distinct pairs one workspace can make the job keep: keyed by workspace, it admits the
 * first {@code maxPairs} distinct active pairs it sees and sends the attempts of any other pair to
 * the workspace's overflow pair ({@link PairKey#overflow}), counted in {@code attemptsOverflowed}.
 * A stream that invents a new source or destination id per record therefore grows neither the
 * windows' state nor the database beyond {@code maxPairs + 1} rows per workspace and minute, and
 * every attempt is still counted: in its own pair or in the overflow pair.
 *
 * <p>A pair is active while its latest minute is less than {@code idleAfter} before the watermark.
 * Once an hour of event time (a timer per workspace) the pairs idle longer than that are forgotten,
 * which frees their places; a forgotten pair that comes back is admitted again if there is room.
 *
 * <p>Input: the pre-aggregated partials (at most one per pair, minute and source subtask per
 * flush), so a hot workspace sends this operator far fewer elements than records. Overflowed single
 * attempts become one-attempt buckets: their key is now the overflow pair, and a too-late one is
 * counted in the overflow pair's {@code late_dropped} instead of being published as it came.
 *
 * <p>Which pairs are admitted depends on the order in which the workspace's new pairs arrive. After
 * a restart from a checkpoint at a moment when the workspace is at its cap, the replay may admit a
 * different pair first seen after the checkpoint than the first run did; rows written for it before
 * the failure then stay beside the overflow pair that now counts the same attempts. Workspaces
 * below their cap are exact in every case.
 */
public final class PairCardinalityGuard
        extends KeyedProcessFunction<String, MinutePartial, MinutePartial> {

    private static final long serialVersionUID = 1L;

    private static final long SWEEP_EVERY_MS = Duration.ofHours(1).toMillis();

    private final int maxPairs;
    private final long idleAfterMs;
    // Per workspace: "source \n destination" -> start of the pair's latest minute (ids cannot
    // contain a newline).
    private transient MapState<String, Long> lastMinute;
    private transient ValueState<Integer> admitted;
    private transient ValueState<Long> nextSweep;
    private transient Counter overflowed;

    public PairCardinalityGuard(int maxPairs, Duration idleAfter) {
        if (maxPairs < 1) {
            throw new IllegalArgumentException("maxPairs must be positive, was " + maxPairs);
        }
        if (idleAfter.isNegative() || idleAfter.isZero()) {
            throw new IllegalArgumentException("idleAfter must be positive, was " + idleAfter);
        }
        this.maxPairs = maxPairs;
        this.idleAfterMs = idleAfter.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        lastMinute =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pair-last-minute", Types.STRING, Types.LONG));
        admitted =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("admitted-pairs", Types.INT));
        nextSweep =
                getRuntimeContext().getState(new ValueStateDescriptor<>("next-sweep", Types.LONG));
        overflowed = getRuntimeContext().getMetricGroup().counter("attemptsOverflowed");
    }

    @Override
    public void processElement(MinutePartial p, Context ctx, Collector<MinutePartial> out)
            throws Exception {
        String pair = p.pair().sourceId() + '\n' + p.pair().destinationId();
        Long latest = lastMinute.get(pair);
        if (latest != null) {
            if (p.minuteStartMs() > latest) {
                lastMinute.put(pair, p.minuteStartMs());
            }
            out.collect(p);
            return;
        }
        int n = admitted.value() == null ? 0 : admitted.value();
        if (n < maxPairs) {
            lastMinute.put(pair, p.minuteStartMs());
            admitted.update(n + 1);
            if (nextSweep.value() == null) {
                long at = Granularity.HOUR.floorMillis(p.minuteStartMs()) + SWEEP_EVERY_MS;
                ctx.timerService().registerEventTimeTimer(at);
                nextSweep.update(at);
            }
            out.collect(p);
            return;
        }
        overflowed.inc(p.attempts());
        MetricBucket bucket = p.single() != null ? new MetricBucket().add(p.single()) : p.bucket();
        out.collect(
                new MinutePartial(
                        PairKey.overflow(p.pair().workspaceId()),
                        p.minuteStartMs(),
                        bucket,
                        null,
                        p.destinationType()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MinutePartial> out)
            throws Exception {
        long idleBefore = timestamp - idleAfterMs;
        int left = 0;
        Iterator<Map.Entry<String, Long>> it = lastMinute.iterator();
        while (it.hasNext()) {
            if (it.next().getValue() < idleBefore) {
                it.remove();
            } else {
                left++;
            }
        }
        if (left == 0) {
            admitted.clear();
            nextSweep.clear();
            return;
        }
        admitted.update(left);
        long at = timestamp + SWEEP_EVERY_MS;
        ctx.timerService().registerEventTimeTimer(at);
        nextSweep.update(at);
    }
}
