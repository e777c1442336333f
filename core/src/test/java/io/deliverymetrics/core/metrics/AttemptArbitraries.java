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
        return attempts(EVENT_NAMES);
    }

    /** Attempts whose event names are drawn from {@code names} distinct ones. */
    static Arbitrary<DeliveryAttempt> attempts(int names) {
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
        Arbitrary<String> eventId = Arbitraries.integers().between(0, 400).map(i -> "msg_" + i);
        return Combinators.combine(outcome, attempt, code, latencyMs(), eventKeys(names), eventId)
                .as(
                        (o, a, c, ms, e, id) ->
                                anAttempt()
                                        .event(id)
                                        .errorMessage(o.isFailure() ? "failed: " + id : null)
                                        .attempt(a)
                                        .errorCode(c)
                                        .latencyMs(ms)
                                        .eventType(e.eventType())
                                        .eventName(e.eventName())
                                        .build(o));
    }

    /**
     * Event types and names: {@code unknown}, {@code track} and {@code page} with no name or one of
     * {@code names} names (quotes, a backslash and an emoji among them). With the default {@link
     * #EVENT_NAMES} there are fewer keys than {@link MetricBucket#MAX_EVENT_KEYS}.
     */
    static Arbitrary<EventKey> eventKeys(int names) {
        Arbitrary<String> type = Arbitraries.of(DeliveryAttempt.UNKNOWN_TYPE, "track", "page");
        Arbitrary<String> name =
                Arbitraries.<String>frequencyOf(
                        weighted(1, Arbitraries.just((String) null)),
                        weighted(1, Arbitraries.of(ODD_NAMES)),
                        weighted(
                                6,
                                Arbitraries.integers()
                                        .between(0, names - 1)
                                        .map(i -> "Event " + i)));
        return Combinators.combine(type, name).as(EventKey::new);
    }

    /** Distinct event names of {@link #attempts()}. */
    static final int EVENT_NAMES = 20;

    /** Names that must survive every encoding byte for byte. */
    static final String[] ODD_NAMES = {
        "Clicked \"Buy Now\"", "C:\\Reports\\", "Cart \uD83D\uDED2 Updated", "it's", "trailing "
    };

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
        return splitAttempts(attempts());
    }

    /** As {@link #splitAttempts()}, of the given attempts. */
    static Arbitrary<List<List<DeliveryAttempt>>> splitAttempts(
            Arbitrary<DeliveryAttempt> attempts) {
        Arbitrary<List<Tuple2<DeliveryAttempt, Integer>>> tagged =
                Combinators.combine(attempts, Arbitraries.integers().between(0, 2))
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
