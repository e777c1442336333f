package io.deliverymetrics.core.metrics;

import static io.deliverymetrics.core.metrics.AttemptArbitraries.bucketOf;
import static io.deliverymetrics.core.metrics.AttemptArbitraries.concat;
import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Algebraic and accuracy properties of {@link MetricBucket}: merge is exact, associative and
 * commutative (including the sketch and the capped error breakdown), and quantiles stay within the
 * sketch's 1 % relative accuracy.
 */
class MetricBucketPropertiesTest {

    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99};

    @Provide
    Arbitrary<List<List<DeliveryAttempt>>> parts() {
        return AttemptArbitraries.splitAttempts();
    }

    /** Attempts over more event keys than {@link MetricBucket#MAX_EVENT_KEYS}: buckets fold. */
    @Provide
    Arbitrary<List<List<DeliveryAttempt>>> manyEventKeys() {
        return AttemptArbitraries.splitAttempts(AttemptArbitraries.attempts(400));
    }

    @Provide
    Arbitrary<List<Long>> latencies() {
        return AttemptArbitraries.latencySamples(2_000);
    }

    @Property(tries = 200)
    void shouldMergePartsIntoTheBucketOfAllAttempts(
            @ForAll("parts") List<List<DeliveryAttempt>> parts) {
        MetricBucket merged = new MetricBucket();
        for (List<DeliveryAttempt> part : parts) {
            merged.merge(bucketOf(part));
        }

        assertThat(merged).isEqualTo(bucketOf(concat(parts)));
    }

    @Property(tries = 100)
    void shouldCountEveryAttemptOnceThroughMerges(
            @ForAll("parts") List<List<DeliveryAttempt>> parts) {
        MetricBucket merged = new MetricBucket();
        for (List<DeliveryAttempt> part : parts) {
            merged.merge(bucketOf(part));
        }

        assertThat(merged.attempts()).isEqualTo(concat(parts).size());
    }

    @Property(tries = 200)
    void shouldMergeAssociatively(@ForAll("parts") List<List<DeliveryAttempt>> parts) {
        List<DeliveryAttempt> a = parts.get(0);
        List<DeliveryAttempt> b = parts.get(1);
        List<DeliveryAttempt> c = parts.size() > 2 ? parts.get(2) : List.of();

        MetricBucket left = bucketOf(a).merge(bucketOf(b)).merge(bucketOf(c));
        MetricBucket right = bucketOf(a).merge(bucketOf(b).merge(bucketOf(c)));

        assertThat(left).isEqualTo(right);
    }

    @Property(tries = 200)
    void shouldMergeCommutatively(@ForAll("parts") List<List<DeliveryAttempt>> parts) {
        List<DeliveryAttempt> a = parts.get(0);
        List<DeliveryAttempt> b = parts.get(1);

        assertThat(bucketOf(a).merge(bucketOf(b))).isEqualTo(bucketOf(b).merge(bucketOf(a)));
    }

    @Property(tries = 200)
    void shouldStayUnchangedWhenMergingAnEmptyBucket(
            @ForAll("parts") List<List<DeliveryAttempt>> parts) {
        List<DeliveryAttempt> all = concat(parts);

        assertThat(bucketOf(all).merge(new MetricBucket())).isEqualTo(bucketOf(all));
        assertThat(new MetricBucket().merge(bucketOf(all))).isEqualTo(bucketOf(all));
    }

    @Property(tries = 200)
    void shouldCopyIntoAnEqualButIndependentBucket(
            @ForAll("parts") List<List<DeliveryAttempt>> parts) {
        MetricBucket original = bucketOf(parts.get(0));
        byte[] before = BucketCodec.encode(original);
        MetricBucket copy = original.copy();
        assertThat(copy).isEqualTo(original);

        parts.get(1).forEach(copy::add);
        copy.add(anAttempt().latencyMs(123_456).errorCode("copy_only").delivered());
        copy.add(anAttempt().errorCode("copy_only").expired());

        assertThat(BucketCodec.encode(original)).isEqualTo(before);
        assertThat(copy).isNotEqualTo(original);

        MetricBucket copy2 = original.copy();
        original.merge(bucketOf(parts.get(1))).add(anAttempt().discarded());
        assertThat(BucketCodec.encode(copy2)).isEqualTo(before);
    }

    @Property(tries = 200)
    void shouldMatchASimpleRecountOfEveryCounter(
            @ForAll("parts") List<List<DeliveryAttempt>> parts) {
        List<DeliveryAttempt> all = concat(parts);
        long[] byOutcome = new long[Outcome.values().length];
        long[] byAttempt = new long[10];
        long latencyCount = 0;
        long latencySum = 0;
        long latencyMax = 0;
        for (DeliveryAttempt a : all) {
            byOutcome[a.outcome().ordinal()]++;
            if (a.outcome() == Outcome.DELIVERED) {
                byAttempt[a.attempt() >= 10 ? 9 : a.attempt() - 1]++;
                long ms = a.completedAt().toEpochMilli() - a.receivedAt().toEpochMilli();
                latencyCount++;
                latencySum += ms;
                latencyMax = Math.max(latencyMax, ms);
            }
        }

        MetricBucket merged = new MetricBucket();
        parts.forEach(p -> merged.merge(bucketOf(p)));

        assertThat(merged.successes()).isEqualTo(byOutcome[Outcome.DELIVERED.ordinal()]);
        assertThat(merged.retried()).isEqualTo(byOutcome[Outcome.RETRYING.ordinal()]);
        assertThat(merged.discarded()).isEqualTo(byOutcome[Outcome.DISCARDED.ordinal()]);
        assertThat(merged.expired()).isEqualTo(byOutcome[Outcome.EXPIRED.ordinal()]);
        assertThat(merged.filtered()).isEqualTo(byOutcome[Outcome.FILTERED.ordinal()]);
        assertThat(merged.successesByAttempt()).containsExactly(byAttempt);
        assertThat(merged.latencyCount()).isEqualTo(latencyCount);
        assertThat(merged.latencySumMs()).isEqualTo(latencySum);
        assertThat(merged.latencyMaxMs()).isEqualTo(latencyMax);
        assertThat(merged.errors()).isEqualTo(expectedErrors(all));
        assertThat(merged.events()).isEqualTo(expectedEvents(all));
    }

    @Property(tries = 200)
    void shouldKeepEventRowsSummingToTheCountersWhenFolding(
            @ForAll("manyEventKeys") List<List<DeliveryAttempt>> parts) {
        List<DeliveryAttempt> a = parts.get(0);
        List<DeliveryAttempt> b = parts.get(1);
        List<DeliveryAttempt> c = parts.size() > 2 ? parts.get(2) : List.of();
        List<MetricBucket> groupings =
                List.of(
                        bucketOf(concat(parts)),
                        bucketOf(a).merge(bucketOf(b)).merge(bucketOf(c)),
                        bucketOf(a).merge(bucketOf(b).merge(bucketOf(c))),
                        bucketOf(c).merge(bucketOf(b)).merge(bucketOf(a)),
                        BucketCodec.decode(
                                BucketCodec.encode(
                                        bucketOf(b).merge(bucketOf(c)).merge(bucketOf(a)))));
        long[] expected = new long[Outcome.values().length];
        concat(parts).forEach(x -> expected[x.outcome().ordinal()]++);
        long distinctKeys =
                concat(parts).stream()
                        .map(x -> new EventKey(x.eventType(), x.eventName()))
                        .distinct()
                        .count();

        for (int i = 0; i < groupings.size(); i++) {
            MetricBucket m = groupings.get(i);
            long[] sums = new long[Outcome.values().length];
            m.events().values().forEach(counts -> addCounts(sums, counts));
            assertThat(sums).as("grouping %d: %s", i, m).containsExactly(expected);
            long regular = m.events().keySet().stream().filter(k -> !k.isOther()).count();
            assertThat(regular).isEqualTo(Math.min(distinctKeys, MetricBucket.MAX_EVENT_KEYS));
            assertThat(m.events().containsKey(EventKey.OTHER))
                    .isEqualTo(distinctKeys > MetricBucket.MAX_EVENT_KEYS);
        }
    }

    @Property(tries = 100)
    void shouldKeepTheBusiestEventKeysOfOneBucket(
            @ForAll("manyEventKeys") List<List<DeliveryAttempt>> parts) {
        List<DeliveryAttempt> all = concat(parts);
        Map<EventKey, OutcomeCounts> exact = expectedEvents(all);
        List<EventKey> busiest = new ArrayList<>(exact.keySet());
        busiest.sort(
                java.util.Comparator.<EventKey>comparingLong(k -> -exact.get(k).attempts())
                        .thenComparing(k -> k));
        MetricBucket whole = bucketOf(all);

        // Folded at once from exact rows, the busiest keys are kept exactly, the rest in other.
        MetricBucket oneMerge =
                MetricBucket.restore(
                        whole.successes(),
                        whole.retried(),
                        whole.discarded(),
                        whole.expired(),
                        whole.filtered(),
                        whole.successesByAttempt(),
                        0,
                        0,
                        0,
                        (byte[]) null,
                        Map.of(),
                        exact);
        for (EventKey k :
                busiest.subList(0, Math.min(busiest.size(), MetricBucket.MAX_EVENT_KEYS))) {
            assertThat(oneMerge.events().get(k)).as("kept %s", k).isEqualTo(exact.get(k));
        }
        long folded = 0;
        for (EventKey k :
                busiest.subList(
                        Math.min(busiest.size(), MetricBucket.MAX_EVENT_KEYS), busiest.size())) {
            folded += exact.get(k).attempts();
        }
        OutcomeCounts other = oneMerge.events().get(EventKey.OTHER);
        assertThat(other == null ? 0 : other.attempts()).isEqualTo(folded);
    }

    private static void addCounts(long[] sums, OutcomeCounts counts) {
        for (Outcome o : Outcome.values()) {
            sums[o.ordinal()] += counts.count(o);
        }
    }

    /** The exact event breakdown of {@code attempts}, without a cap. */
    private static Map<EventKey, OutcomeCounts> expectedEvents(List<DeliveryAttempt> attempts) {
        Map<EventKey, long[]> counts = new TreeMap<>();
        for (DeliveryAttempt x : attempts) {
            counts.computeIfAbsent(
                            new EventKey(x.eventType(), x.eventName()),
                            k -> new long[Outcome.values().length])[x.outcome().ordinal()]++;
        }
        Map<EventKey, OutcomeCounts> out = new TreeMap<>();
        counts.forEach(
                (k, c) ->
                        out.put(
                                k,
                                OutcomeCounts.of(
                                        c[Outcome.DELIVERED.ordinal()],
                                        c[Outcome.RETRYING.ordinal()],
                                        c[Outcome.DISCARDED.ordinal()],
                                        c[Outcome.EXPIRED.ordinal()],
                                        c[Outcome.FILTERED.ordinal()])));
        return out;
    }

    @Property(tries = 200)
    void shouldKeepErrorTotalsPerOutcomeExactUnderTheCap(
            @ForAll("parts") List<List<DeliveryAttempt>> parts) {
        MetricBucket merged = new MetricBucket();
        parts.forEach(p -> merged.merge(bucketOf(p)));

        long regular = merged.errors().keySet().stream().filter(k -> !k.isOther()).count();
        assertThat(regular).isLessThanOrEqualTo(MetricBucket.MAX_ERROR_CODES);
        assertThat(errorTotal(merged, Outcome.RETRYING)).isEqualTo(merged.retried());
        assertThat(errorTotal(merged, Outcome.DISCARDED)).isEqualTo(merged.discarded());
        assertThat(errorTotal(merged, Outcome.EXPIRED)).isEqualTo(merged.expired());
        assertThat(errorTotal(merged, Outcome.DELIVERED)).isZero();
        assertThat(errorTotal(merged, Outcome.FILTERED)).isZero();
    }

    /**
     * The exact quantile is the sample of 0-based rank floor(q·(n−1)) in sorted order. That is the
     * definition DDSketch (sketches-java 0.8) uses in {@code getValueAtQuantile}: rank = q·(count −
     * 1), then the first bin whose cumulative count exceeds rank, i.e. the bin holding that sample
     * (no interpolation). The bin's representative value is within 1 % of every value in the bin,
     * so the estimate is within 1 % of that sample; a zero is kept exactly.
     */
    @Property(tries = 150)
    void shouldReadQuantilesWithinOnePercentOfTheExactSample(
            @ForAll("latencies") List<Long> samples, @ForAll Random random) {
        List<Long> sorted = new ArrayList<>(samples);
        sorted.sort(null);

        MetricBucket whole = new MetricBucket();
        List<MetricBucket> parts =
                List.of(new MetricBucket(), new MetricBucket(), new MetricBucket());
        for (long ms : samples) {
            DeliveryAttempt a = anAttempt().latencyMs(ms).delivered();
            whole.add(a);
            parts.get(random.nextInt(parts.size())).add(a);
        }
        MetricBucket merged = new MetricBucket();
        parts.forEach(merged::merge);

        for (double q : QUANTILES) {
            double exact = sorted.get((int) Math.floor(q * (sorted.size() - 1)));
            assertWithinRelativeAccuracy(whole.latencyQuantileMs(q), exact, q);
            assertWithinRelativeAccuracy(merged.latencyQuantileMs(q), exact, q);
        }
        assertThat(merged.latencyQuantileMs(1.0))
                .isLessThanOrEqualTo(sorted.get(sorted.size() - 1));
    }

    @Provide
    Arbitrary<double[]> ascendingQuantiles() {
        // Edge cases include 0 and 1; a scale of 3 makes repeated and adjacent quantiles likely.
        return Arbitraries.doubles()
                .between(0, 1)
                .ofScale(3)
                .list()
                .ofMinSize(1)
                .ofMaxSize(8)
                .map(l -> l.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    @Provide
    Arbitrary<List<Long>> fewLatencies() {
        // Around the size up to which a bucket keeps its latencies as a list of bins.
        return AttemptArbitraries.latencySamples(3 * Latencies.SMALL);
    }

    /**
     * However a bucket came by its latencies (added one by one, merged from parts, passed through
     * the codec, in any order), its sketch holds what the sketch library holds when it is given the
     * same values directly: the same bytes, and so the same bins and quantiles.
     */
    @Property(tries = 500)
    void shouldHoldTheSketchTheLibraryBuildsFromTheSameLatencies(
            @ForAll("fewLatencies") List<Long> samples, @ForAll Random random) {
        DDSketch library = LatencySketch.create();
        samples.forEach(library::accept);
        byte[] expected = BucketCodec.encodeSketch(library);

        MetricBucket added = new MetricBucket();
        List<MetricBucket> parts =
                List.of(new MetricBucket(), new MetricBucket(), new MetricBucket());
        for (long ms : samples) {
            DeliveryAttempt a = anAttempt().latencyMs(ms).delivered();
            added.add(a);
            parts.get(random.nextInt(parts.size())).add(a);
        }
        MetricBucket merged = new MetricBucket();
        for (MetricBucket part : parts) {
            merged.merge(
                    random.nextBoolean() ? part : BucketCodec.decode(BucketCodec.encode(part)));
        }
        MetricBucket fromColumn =
                MetricBucket.restore(
                        added.successes(),
                        0,
                        0,
                        0,
                        0,
                        added.successesByAttempt(),
                        added.latencyCount(),
                        added.latencySumMs(),
                        added.latencyMaxMs(),
                        BucketCodec.encodeSketch(added),
                        Map.of());

        for (MetricBucket b : List.of(added, merged, fromColumn, added.copy())) {
            assertThat(BucketCodec.encodeSketch(b)).isEqualTo(expected);
            assertThat(BucketCodec.encodeSketch(b.latencySketch())).isEqualTo(expected);
            assertThat(BucketCodec.encodeSketch(BucketCodec.decode(BucketCodec.encode(b))))
                    .isEqualTo(expected);
            assertThat(b.latencyQuantilesMs(QUANTILES))
                    .containsExactly(libraryQuantiles(library, QUANTILES, b.latencyMaxMs()));
        }
        assertThat(merged).isEqualTo(added);
    }

    private static double[] libraryQuantiles(DDSketch library, double[] qs, long maxMs) {
        double[] out = new double[qs.length];
        for (int i = 0; i < qs.length; i++) {
            out[i] = Math.min(library.getValueAtQuantile(qs[i]), maxMs);
        }
        return out;
    }

    /** The one-pass walk against the sketch library's own reading of each quantile. */
    @Property(tries = 300)
    void shouldReadQuantilesAsTheSketchLibraryDoes(
            @ForAll("latencies") List<Long> samples, @ForAll("ascendingQuantiles") double[] qs) {
        MetricBucket b = new MetricBucket();
        DDSketch sketch = LatencySketch.create();
        for (long ms : samples) {
            b.add(anAttempt().latencyMs(ms).delivered());
            sketch.accept(ms);
        }

        for (double[] set : List.of(qs, QUANTILES)) {
            double[] library = new double[set.length];
            for (int i = 0; i < set.length; i++) {
                library[i] = Math.min(sketch.getValueAtQuantile(set[i]), b.latencyMaxMs());
                assertThat(b.latencyQuantileMs(set[i])).isEqualTo(library[i]);
            }
            assertThat(b.latencyQuantilesMs(set)).containsExactly(library);
        }
    }

    private static void assertWithinRelativeAccuracy(double estimate, double exact, double q) {
        // 1e-12 absorbs floating-point rounding in the log mapping, nothing more.
        double tolerance = LatencySketch.RELATIVE_ACCURACY * exact * (1 + 1e-12);
        assertThat(Math.abs(estimate - exact))
                .as("q=%s estimate=%s exact=%s", q, estimate, exact)
                .isLessThanOrEqualTo(tolerance);
    }

    /**
     * Reference implementation of the documented cap: count every failure by (outcome, code or
     * "unknown"), keep the first {@code MAX_ERROR_CODES} non-"other" rows in (outcome, code) order,
     * add the rest to the "other" row of their outcome.
     */
    private static TreeMap<ErrorKey, Long> expectedErrors(List<DeliveryAttempt> attempts) {
        TreeMap<ErrorKey, Long> raw = new TreeMap<>();
        for (DeliveryAttempt a : attempts) {
            if (a.outcome() == Outcome.RETRYING
                    || a.outcome() == Outcome.DISCARDED
                    || a.outcome() == Outcome.EXPIRED) {
                String code = a.errorCode() == null ? "unknown" : a.errorCode();
                raw.merge(new ErrorKey(a.outcome(), code), 1L, Long::sum);
            }
        }
        TreeMap<ErrorKey, Long> expected = new TreeMap<>();
        int kept = 0;
        for (Map.Entry<ErrorKey, Long> e : raw.entrySet()) {
            ErrorKey k = e.getKey();
            if (k.errorCode().equals("other")) {
                expected.merge(k, e.getValue(), Long::sum);
            } else if (kept < MetricBucket.MAX_ERROR_CODES) {
                expected.put(k, e.getValue());
                kept++;
            } else {
                expected.merge(new ErrorKey(k.outcome(), "other"), e.getValue(), Long::sum);
            }
        }
        return expected;
    }

    private static long errorTotal(MetricBucket b, Outcome outcome) {
        long sum = 0;
        for (Map.Entry<ErrorKey, Long> e : b.errors().entrySet()) {
            if (e.getKey().outcome() == outcome) {
                sum += e.getValue();
            }
        }
        return sum;
    }
}
