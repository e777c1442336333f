package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.flink.model.MinutePartial;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Pre-aggregation before the shuffle: merges the attempts of each (pair, minute, destination type)
 * that one source subtask sees into a {@link MinutePartial}, so the minute windows receive one
 * partial per pair and minute per flush instead of one record per attempt. (A pair's records
 * normally all carry one destination type or omit it; keeping types apart means the per-type
 * roll-up never counts one type's attempts under another.)
 *
 * <p>It changes no result, because {@link MetricBucket#merge} is exact, associative and
 * commutative, and it changes no lateness decision, because it never holds an attempt across a
 * point where the window would judge it differently:
 *
 * <ul>
 *   <li>before forwarding a watermark it sends every partial whose minute that watermark ends, so a
 *       minute's attempts reach its window before the watermark that fires it or makes it late;
 *   <li>before a checkpoint barrier it sends everything, so it keeps no state;
 *   <li>every {@code flushInterval} of processing time, and when it holds {@code maxEntries}
 *       partials, it sends everything, which bounds how long an attempt waits (freshness) and the
 *       memory it uses.
 * </ul>
 *
 * <p>It runs after the {@link LatenessGuard} in the source's chain: an attempt it receives was not
 * too late for the watermark of its own subtask, which the windows' combined watermark does not
 * exceed while the subtask is active. (A subtask that resumes after being idle can be behind the
 * combined watermark; an attempt that is then too late reaches the window inside a partial, is
 * counted exactly in {@code late_dropped} and, unless it travelled alone, is not published to the
 * late topic individually.)
 */
public final class MinutePreAggregator extends AbstractStreamOperator<MinutePartial>
        implements OneInputStreamOperator<DeliveryAttempt, MinutePartial>, ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;
    private static final long MINUTE_MS = Granularity.MINUTE.sizeMillis();

    private final long flushIntervalMs;
    private final int maxEntries;

    /** Open partials by minute start, then pair. */
    private transient TreeMap<Long, Map<PairKey, Partial>> minutes;

    /** The partials of the minute the last attempt belonged to (most attempts share it). */
    private transient long lastMinute;

    private transient Map<PairKey, Partial> lastPairs;

    private transient int entries;
    private transient Counter attemptsIn;
    private transient Counter partialsOut;

    /**
     * One pair-minute-type: the first attempt as itself, a bucket from the second on; {@code
     * otherType} chains the pair-minute's partial of another destination type (rare, so the lookup
     * key stays the pair and costs no allocation per attempt).
     */
    private static final class Partial {
        final String destinationType;
        DeliveryAttempt single;
        MetricBucket bucket;
        Partial otherType;

        Partial(String destinationType) {
            this.destinationType = destinationType;
        }

        void add(DeliveryAttempt a) {
            if (bucket != null) {
                bucket.add(a);
            } else if (single == null) {
                single = a;
            } else {
                bucket = new MetricBucket().add(single).add(a);
                single = null;
            }
        }
    }

    /**
     * @param flushInterval longest time an attempt waits here (processing time)
     * @param maxEntries most (pair, minute) partials held before everything is sent
     */
    public MinutePreAggregator(Duration flushInterval, int maxEntries) {
        if (flushInterval.isZero() || flushInterval.isNegative() || maxEntries < 1) {
            throw new IllegalArgumentException(
                    "flush interval must be positive and max entries at least 1");
        }
        this.flushIntervalMs = flushInterval.toMillis();
        this.maxEntries = maxEntries;
    }

    @Override
    public void open() throws Exception {
        super.open();
        minutes = new TreeMap<>();
        entries = 0;
        attemptsIn = getMetricGroup().counter("preAggregatedAttempts");
        partialsOut = getMetricGroup().counter("preAggregatedPartials");
        scheduleFlush();
    }

    @Override
    public void processElement(StreamRecord<DeliveryAttempt> element) {
        DeliveryAttempt a = element.getValue();
        attemptsIn.inc();
        long minute = Granularity.MINUTE.floorMillis(a.eventTimeMillis());
        Map<PairKey, Partial> pairs = lastPairs;
        if (pairs == null || minute != lastMinute) {
            pairs = minutes.computeIfAbsent(minute, m -> new HashMap<>());
            lastMinute = minute;
            lastPairs = pairs;
        }
        PairKey pair = a.pair();
        Partial first = pairs.get(pair);
        Partial p = first;
        while (p != null && !p.destinationType.equals(a.destinationType())) {
            p = p.otherType;
        }
        if (p == null) {
            p = new Partial(a.destinationType());
            if (first == null) {
                pairs.put(pair, p);
            } else {
                p.otherType = first.otherType;
                first.otherType = p;
            }
            entries++;
        }
        p.add(a);
        if (entries >= maxEntries) {
            flushAll();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // Every minute whose window this watermark fires (window end - 1 <= watermark) goes first.
        Iterator<Map.Entry<Long, Map<PairKey, Partial>>> it = minutes.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Map<PairKey, Partial>> e = it.next();
            if (e.getKey() + MINUTE_MS - 1 > mark.getTimestamp()) {
                break;
            }
            entries -= emit(e.getKey(), e.getValue());
            it.remove();
            if (e.getValue() == lastPairs) {
                lastPairs = null;
            }
        }
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flushAll();
    }

    @Override
    public void finish() throws Exception {
        flushAll();
        super.finish();
    }

    @Override
    public void onProcessingTime(long time) {
        flushAll();
        scheduleFlush();
    }

    private void scheduleFlush() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(now + flushIntervalMs, this);
    }

    private void flushAll() {
        for (Map.Entry<Long, Map<PairKey, Partial>> e : minutes.entrySet()) {
            emit(e.getKey(), e.getValue());
        }
        minutes.clear();
        lastPairs = null;
        entries = 0;
    }

    /** Sends the minute's partials; returns how many. */
    private int emit(long minute, Map<PairKey, Partial> pairs) {
        int sent = 0;
        // The element timestamp places the partial in its minute's window.
        StreamRecord<MinutePartial> out = new StreamRecord<>(null, minute);
        for (Map.Entry<PairKey, Partial> e : pairs.entrySet()) {
            for (Partial p = e.getValue(); p != null; p = p.otherType) {
                output.collect(
                        out.replace(
                                new MinutePartial(
                                        e.getKey(),
                                        minute,
                                        p.bucket,
                                        p.single,
                                        p.destinationType)));
                partialsOut.inc();
                sent++;
            }
        }
        return sent;
    }
}
