package io.deliverymetrics.core.metrics;

import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** jqwik generators shared by the metric property tests. */
final class AttemptArbitraries {

    /** More distinct codes than {@link MetricBucket#MAX_ERROR_CODES}, so the cap is exercised. */
    static final int DISTINCT_CODES = 180;

    private AttemptArbitraries() {}

    /**
     * Latencies in ms: many zeros and 1 ms, a body of sub-second values, and a heavy tail up to
     * 10^7 ms (log-uniform).
     */
    static Arbitrary<Long> latencyMs() {
        return Arbitraries.<Long>frequencyOf(
                weighted(1, Arbitraries.just(0L)),
                weighted(1, Arbitraries.just(1L)),
                weighted(4, Arbitraries.longs().between(2, 1_000)),
                weighted(
                        3,
                        Arbitraries.doubles()
                                .between(0, 7)
                                .map(exp -> Math.round(Math.pow(10, exp)))));
    }

    static Arbitrary<DeliveryAttempt> attempts() {
        Arbitrary<Outcome> outcome = Arbitraries.of(Outcome.class);
        Arbitrary<Integer> attempt =
                Arbitraries.<Integer>frequencyOf(
                        weighted(6, Arbitraries.integers().between(1, 3)),
                        weighted(3, Arbitraries.integers().between(4, 15)),
                        weighted(1, Arbitraries.integers().between(16, 1_000_000)));
        Arbitrary<String> code =
                Arbitraries.<String>frequencyOf(
                        weighted(2, Arbitraries.just((String) null)),
                        weighted(1, Arbitraries.just(ErrorKey.OTHER)),
                        weighted(
                                12,
                                Arbitraries.integers()
                                        .between(0, DISTINCT_CODES - 1)
                                        .map(i -> "code_" + i)));
        return Combinators.combine(outcome, attempt, code, latencyMs())
                .as((o, a, c, ms) -> anAttempt().attempt(a).errorCode(c).latencyMs(ms).build(o));
    }

    /** Latency samples, 1 to {@code maxSize} of them, sizes spread evenly. */
    static Arbitrary<List<Long>> latencySamples(int maxSize) {
        return latencyMs()
                .list()
                .ofMinSize(1)
                .ofMaxSize(maxSize)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    /** A list of attempts split arbitrarily (not necessarily contiguously) into 2 or 3 parts. */
    static Arbitrary<List<List<DeliveryAttempt>>> splitAttempts() {
        Arbitrary<List<Tuple2<DeliveryAttempt, Integer>>> tagged =
                Combinators.combine(attempts(), Arbitraries.integers().between(0, 2))
                        .as(Tuple::of)
                        // element edge cases would make a large share of tries near-identical
                        .withoutEdgeCases()
                        .list()
                        .ofMaxSize(500)
                        .withSizeDistribution(RandomDistribution.uniform());
        return Combinators.combine(tagged, Arbitraries.integers().between(2, 3))
                .as(
                        (items, k) -> {
                            List<List<DeliveryAttempt>> parts = new ArrayList<>();
                            for (int i = 0; i < k; i++) {
                                parts.add(new ArrayList<>());
                            }
                            for (var t : items) {
                                parts.get(t.get2() % k).add(t.get1());
                            }
                            return parts;
                        });
    }

    static MetricBucket bucketOf(List<DeliveryAttempt> attempts) {
        MetricBucket b = new MetricBucket();
        attempts.forEach(b::add);
        return b;
    }

    static List<DeliveryAttempt> concat(List<List<DeliveryAttempt>> parts) {
        List<DeliveryAttempt> all = new ArrayList<>();
        parts.forEach(all::addAll);
        return all;
    }

    private static <T> Tuple2<Integer, Arbitrary<? extends T>> weighted(
            int weight, Arbitrary<? extends T> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }
}
