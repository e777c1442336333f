package io.deliverymetrics.loadgen;

import io.deliverymetrics.loadgen.truth.BucketKey;
import io.deliverymetrics.loadgen.truth.BucketTotals;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Straightforward re-aggregation of parsed records, written without looking at the Truth code, to
 * which the Truth is compared field by field.
 */
final class IndependentAggregation {

    /** Plain totals of one pair-bucket in the test's own shape. */
    record Totals(
            long records,
            long successes,
            List<Long> successesByAttempt,
            long retried,
            long discarded,
            long expired,
            long filtered,
            long latencyCount,
            long latencySum,
            long latencyMax,
            Long p50,
            Long p90,
            Long p95,
            Long p99,
            Map<String, Long> errors) {

        static Totals of(BucketTotals t) {
            return new Totals(
                    t.records(),
                    t.successes(),
                    t.successesByAttempt(),
                    t.retried(),
                    t.discarded(),
                    t.expired(),
                    t.filtered(),
                    t.latencyCount(),
                    t.latencySumMs(),
                    t.latencyMaxMs(),
                    t.latencyP50Ms(),
                    t.latencyP90Ms(),
                    t.latencyP95Ms(),
                    t.latencyP99Ms(),
                    new TreeMap<>(t.errors()));
        }
    }

    private static final class Counts {
        long records;
        long successes;
        final long[] byAttempt = new long[10];
        long retried;
        long discarded;
        long expired;
        long filtered;
        final List<Long> latencies = new ArrayList<>();
        final Map<String, Long> errors = new TreeMap<>();
    }

    private final ChronoUnit unit;
    private final boolean byDestinationType;
    private final Map<String, Counts> byKey = new TreeMap<>();

    /** Totals per pair and bucket of {@code unit}. */
    IndependentAggregation(ChronoUnit unit) {
        this(unit, false);
    }

    private IndependentAggregation(ChronoUnit unit, boolean byDestinationType) {
        this.unit = unit;
        this.byDestinationType = byDestinationType;
    }

    /** Totals per destination type ("unknown" when absent) and minute, keyed "type|minute". */
    static IndependentAggregation perDestinationTypeAndMinute() {
        return new IndependentAggregation(ChronoUnit.MINUTES, true);
    }

    void add(RecordContract.Parsed p) {
        Instant bucket = Instant.ofEpochMilli(p.completedAtMs()).truncatedTo(unit);
        String key =
                byDestinationType
                        ? (p.destinationType() == null ? "unknown" : p.destinationType())
                                + "|"
                                + bucket
                        : p.workspaceId()
                                + "|"
                                + p.sourceId()
                                + "|"
                                + p.destinationId()
                                + "|"
                                + bucket;
        Counts c = byKey.computeIfAbsent(key, k -> new Counts());
        c.records++;
        switch (p.outcome()) {
            case "delivered" -> {
                c.successes++;
                c.byAttempt[Math.min(p.attempt(), 10) - 1]++;
                c.latencies.add(p.completedAtMs() - p.receivedAtMs());
            }
            case "retrying" -> c.retried++;
            case "discarded" -> c.discarded++;
            case "expired" -> c.expired++;
            case "filtered" -> c.filtered++;
            default -> throw new AssertionError("unexpected outcome " + p.outcome());
        }
        if (p.errorCode() != null) {
            c.errors.merge(p.outcome() + ":" + p.errorCode(), 1L, Long::sum);
        }
    }

    /** The totals keyed like {@link #keyOf(BucketKey)}. */
    Map<String, Totals> totals() {
        Map<String, Totals> out = new TreeMap<>();
        byKey.forEach(
                (k, c) -> {
                    List<Long> sorted = new ArrayList<>(c.latencies);
                    Collections.sort(sorted);
                    int n = sorted.size();
                    List<Long> byAttempt = new ArrayList<>();
                    for (long v : c.byAttempt) {
                        byAttempt.add(v);
                    }
                    out.put(
                            k,
                            new Totals(
                                    c.records,
                                    c.successes,
                                    byAttempt,
                                    c.retried,
                                    c.discarded,
                                    c.expired,
                                    c.filtered,
                                    n,
                                    sorted.stream().mapToLong(Long::longValue).sum(),
                                    n == 0 ? 0 : sorted.get(n - 1),
                                    n == 0 ? null : sorted.get(50 * (n - 1) / 100),
                                    n == 0 ? null : sorted.get(90 * (n - 1) / 100),
                                    n == 0 ? null : sorted.get(95 * (n - 1) / 100),
                                    n == 0 ? null : sorted.get(99 * (n - 1) / 100),
                                    c.errors));
                });
        return out;
    }

    static String keyOf(BucketKey k) {
        return k.workspaceId()
                + "|"
                + k.sourceId()
                + "|"
                + k.destinationId()
                + "|"
                + k.bucketStart();
    }

    static Map<String, Totals> fromTruth(Map<BucketKey, BucketTotals> truth) {
        Map<String, Totals> out = new TreeMap<>();
        truth.forEach((k, v) -> out.put(keyOf(k), Totals.of(v)));
        return out;
    }
}
