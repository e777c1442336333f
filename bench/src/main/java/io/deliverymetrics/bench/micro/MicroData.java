package io.deliverymetrics.bench.micro;

import io.deliverymetrics.bench.streaming.StreamingLoad;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.parse.AttemptParser;
import io.deliverymetrics.core.parse.ParseResult;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The micro-benchmarks' input, built in each JMH fork before it measures: the streaming load's
 * first records as raw JSON, parsed into attempts, and added up into their (pair, minute) buckets.
 */
final class MicroData {

    private MicroData() {}

    /** The raw JSON of the streaming load's first {@code records} records. */
    static byte[][] records(int records, int pairs, double eventsPerSecond) {
        return StreamingLoad.inMemory(records, pairs, eventsPerSecond).stream()
                .map(GeneratedRecord::value)
                .toArray(byte[][]::new);
    }

    /** Every record parsed; fails on a rejected one (the load has no malformed records). */
    static DeliveryAttempt[] parseAll(byte[][] raw) {
        AttemptParser parser = new AttemptParser();
        DeliveryAttempt[] out = new DeliveryAttempt[raw.length];
        for (int i = 0; i < raw.length; i++) {
            ParseResult r = parser.parse(raw[i]);
            if (!(r instanceof ParseResult.Valid v)) {
                throw new IllegalStateException(
                        "loadgen record "
                                + i
                                + " was rejected: "
                                + ((ParseResult.Rejected) r).describe());
            }
            out[i] = v.attempt();
        }
        return out;
    }

    /** The (pair, minute) buckets of {@code attempts}, in the order their first attempt came. */
    static MetricBucket[] minuteBuckets(DeliveryAttempt[] attempts) {
        Map<MinuteKey, MetricBucket> buckets = new LinkedHashMap<>();
        for (DeliveryAttempt a : attempts) {
            buckets.computeIfAbsent(MinuteKey.of(a), k -> new MetricBucket()).add(a);
        }
        return buckets.values().toArray(MetricBucket[]::new);
    }
}
