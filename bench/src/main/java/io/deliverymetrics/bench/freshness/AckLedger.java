package io.deliverymetrics.bench.freshness;

import io.deliverymetrics.bench.internal.Histograms;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.loadgen.model.Attempt;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.sink.AckListener;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * What the producer got acknowledged: attempts per {@code completed_at} minute over all pairs, and
 * for each polled pair and measured minute the {@code completed_at} of its attempts in the order
 * they were sent (one pair is one Kafka key, so the job counts them in that order too). Also the
 * producer's own lag ({@code completed_at} → acknowledgement) and the acknowledgement rate during
 * the measured span.
 */
final class AckLedger implements AckListener {

    private static final long MINUTE_MS = Granularity.MINUTE.sizeMillis();

    private final Clock clock;
    private final Map<String, Integer> polledKeys;
    private final long spanStartMs;
    private final long spanEndMs;
    private final long firstMinuteMs;
    private final int minutes;
    private final Map<Long, LongAdder> perMinute = new ConcurrentHashMap<>();
    private final IntSeries[][] polled;

    /** Milliseconds; recorded by the producer's I/O thread, read by the benchmark's. */
    private final Histogram producerLag = Histograms.concurrent();

    private final LongAdder acked = new LongAdder();
    private final LongAdder ackedDuringSpan = new LongAdder();
    private final LongAdder completedInSpan = new LongAdder();

    /**
     * @param polledKeys Kafka key ({@code ws/src/dst}) of each polled pair → its index
     * @param firstMinuteMs start of the first measured minute
     * @param minutes number of measured minutes
     */
    AckLedger(
            Clock clock,
            Map<String, Integer> polledKeys,
            long spanStartMs,
            long spanEndMs,
            long firstMinuteMs,
            int minutes) {
        this.clock = clock;
        this.polledKeys = Map.copyOf(polledKeys);
        this.spanStartMs = spanStartMs;
        this.spanEndMs = spanEndMs;
        this.firstMinuteMs = firstMinuteMs;
        this.minutes = minutes;
        this.polled = new IntSeries[polledKeys.size()][minutes];
        for (IntSeries[] row : polled) {
            for (int m = 0; m < minutes; m++) {
                row[m] = new IntSeries();
            }
        }
    }

    @Override
    public void acknowledged(GeneratedRecord r) {
        long now = clock.millis();
        acked.increment();
        if (now >= spanStartMs && now < spanEndMs) {
            ackedDuringSpan.increment();
        }
        Attempt a = r.attempt();
        if (a == null) {
            return;
        }
        long completedAt = a.completedAtMs();
        long minute = Math.floorDiv(completedAt, MINUTE_MS) * MINUTE_MS;
        perMinute.computeIfAbsent(minute, k -> new LongAdder()).increment();
        if (completedAt >= spanStartMs && completedAt < spanEndMs) {
            completedInSpan.increment();
            producerLag.recordValue(Math.max(0, now - completedAt));
        }
        Integer pair = polledKeys.get(r.key());
        if (pair != null) {
            long m = (minute - firstMinuteMs) / MINUTE_MS;
            if (minute >= firstMinuteMs && m < minutes) {
                polled[pair][(int) m].add((int) (completedAt - minute));
            }
        }
    }

    /** Acknowledged attempts of polled pair {@code pair} in measured minute {@code minute}. */
    int count(int pair, int minute) {
        return polled[pair][minute].size();
    }

    /** {@code completed_at} − minute start (ms) of those attempts, in the order they were sent. */
    int[] offsets(int pair, int minute) {
        return polled[pair][minute].snapshot();
    }

    /** Acknowledged attempts of all pairs whose {@code completed_at} falls in that minute. */
    long minuteTotal(long minuteStartMs) {
        LongAdder n = perMinute.get(minuteStartMs);
        return n == null ? 0 : n.sum();
    }

    long acked() {
        return acked.sum();
    }

    long ackedDuringSpan() {
        return ackedDuringSpan.sum();
    }

    /** Acknowledged attempts of all pairs whose {@code completed_at} is in the measured span. */
    long completedInSpan() {
        return completedInSpan.sum();
    }

    /** completed_at → acknowledgement of the span's attempts, in milliseconds. */
    Histogram producerLag() {
        return producerLag;
    }

    /** A growable int array, appended by the producer's I/O thread and read by the poller. */
    private static final class IntSeries {
        private int[] values = new int[1024];
        private int size;

        synchronized void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        synchronized int size() {
            return size;
        }

        synchronized int[] snapshot() {
            return Arrays.copyOf(values, size);
        }
    }
}
