package io.deliverymetrics.flink.cluster;

import io.deliverymetrics.core.metrics.ErrorKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.loadgen.truth.BucketTotals;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The exact counters of one pair and minute, built either from a stored minute row or from the load
 * generator's ground truth, so that the two compare with {@code equals}.
 *
 * @param errors count per {@code "outcome:error_code"}
 */
record MinuteTotals(
        long successes,
        List<Long> successesByAttempt,
        long retried,
        long discarded,
        long expired,
        long filtered,
        long latencyCount,
        long latencySumMs,
        long latencyMaxMs,
        SortedMap<String, Long> errors) {

    static MinuteTotals of(BucketTotals t) {
        return new MinuteTotals(
                t.successes(),
                List.copyOf(t.successesByAttempt()),
                t.retried(),
                t.discarded(),
                t.expired(),
                t.filtered(),
                t.latencyCount(),
                t.latencySumMs(),
                t.latencyCount() == 0 ? 0 : t.latencyMaxMs(),
                new TreeMap<>(t.errors()));
    }

    static MinuteTotals of(MetricBucket b) {
        SortedMap<String, Long> errors = new TreeMap<>();
        for (Map.Entry<ErrorKey, Long> e : b.errors().entrySet()) {
            errors.put(
                    e.getKey().outcome().wireName() + ":" + e.getKey().errorCode(), e.getValue());
        }
        return new MinuteTotals(
                b.successes(),
                Arrays.stream(b.successesByAttempt()).boxed().toList(),
                b.retried(),
                b.discarded(),
                b.expired(),
                b.filtered(),
                b.latencyCount(),
                b.latencySumMs(),
                b.latencyCount() == 0 ? 0 : b.latencyMaxMs(),
                errors);
    }
}
