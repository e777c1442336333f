package io.deliverymetrics.bench.micro;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The add path of flink-jobs' {@code MinutePreAggregator} without Flink: open partials by minute,
 * then pair, the last minute's map kept at hand, a pair-minute's first attempt kept as itself and a
 * {@link MetricBucket} from its second on, and everything dropped (there: sent) once {@code
 * maxEntries} partials are open. Its processing-time flush is left out: at the records/s measured
 * here the entry cap always comes first.
 */
final class PreAggregation {

    private final int maxEntries;
    private final TreeMap<Long, Map<PairKey, Partial>> minutes = new TreeMap<>();
    private long lastMinute;
    private Map<PairKey, Partial> lastPairs;
    private int entries;
    private long flushes;

    /** One pair-minute: the first attempt as itself, a bucket from the second on. */
    private static final class Partial {
        DeliveryAttempt single;
        MetricBucket bucket;

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

    PreAggregation(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("max entries must be >= 1, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** Adds {@code a} to its pair-minute's partial; returns the partials open afterwards. */
    int add(DeliveryAttempt a) {
        long minute = Granularity.MINUTE.floorMillis(a.eventTimeMillis());
        Map<PairKey, Partial> pairs = lastPairs;
        if (pairs == null || minute != lastMinute) {
            pairs = minutes.computeIfAbsent(minute, m -> new HashMap<>());
            lastMinute = minute;
            lastPairs = pairs;
        }
        PairKey pair = a.pair();
        Partial p = pairs.get(pair);
        if (p == null) {
            p = new Partial();
            pairs.put(pair, p);
            entries++;
        }
        p.add(a);
        if (entries >= maxEntries) {
            flush();
        }
        return entries;
    }

    /** How often the entry cap emptied it. */
    long flushes() {
        return flushes;
    }

    private void flush() {
        minutes.clear();
        lastPairs = null;
        entries = 0;
        flushes++;
    }
}
