package io.deliverymetrics.batch.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.ErrorKey;
import io.deliverymetrics.core.metrics.ErrorSample;
import io.deliverymetrics.core.metrics.ErrorSamples;
import io.deliverymetrics.core.metrics.EventKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.OutcomeCounts;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.sql.DestinationTypeRows;
import io.deliverymetrics.sql.MetricRows;
import io.deliverymetrics.sql.RangeQuery;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Randomized raw delivery attempts, the minute rows built from them with {@link MetricBucket#add},
 * and the independent expectation for coarser tiers: counters by plain sums, errors by plain
 * counting, percentiles exactly from the raw latencies.
 */
public final class DeliveryWorld {

    private static final String[] ERROR_CODES = {"http_400", "http_429", "http_500", "timeout"};
    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99};

    /** Error messages of failures: text that must round-trip byte for byte, or none. */
    private static final String[] ERROR_MESSAGES = {
        null,
        "HTTP 500: {\"error\":\"upstream \\\"timeout\\\"\"}",
        "it's C:\\temp\\ not a \\n newline",
        "rate limited \uD83D\uDED1 retry later",
        "trailing space "
    };

    /** Event types; {@code track} and {@code page} events are named, the others not. */
    private static final String[] EVENT_TYPES = {"track", "page", "identify", "unknown"};

    /**
     * Event names, quotes, a backslash, emoji and names equal up to a trailing space among them.
     */
    private static final String[] EVENT_NAMES = {
        "Order Completed",
        "Order Completed ",
        "Product Viewed",
        "Clicked \"Buy Now\"",
        "Report Exported to C:\\Reports",
        "Cart \uD83D\uDED2 Updated",
        "Caf\u00e9 Visited",
        "\u6ce8\u6587\u5b8c\u4e86"
    };

    private final ShardRouter router;
    private final List<DeliveryAttempt> attempts = new ArrayList<>();
    private final Random random;
    private int events;

    public DeliveryWorld(ShardRouter router, long seed) {
        this.router = router;
        this.random = new Random(seed);
    }

    /** Pairs of {@code workspaces} workspaces, chosen so that every shard gets some. */
    public List<PairKey> pairs(int workspaces) {
        List<PairKey> out = new ArrayList<>();
        int[] perShard = new int[router.shardCount()];
        for (int w = 0; out.size() < workspaces * 2 || min(perShard) == 0; w++) {
            String ws = "ws_" + w;
            perShard[router.shardOf(ws)]++;
            out.add(new PairKey(ws, "src_web", "dst_amplitude"));
            out.add(new PairKey(ws, "src_app", "dst_webhook"));
        }
        return out;
    }

    /**
     * Generates attempts for every pair in [from, to): each minute of a pair is active with
     * probability {@code activeShare} and then has 1 to 4 attempts.
     */
    public void generate(List<PairKey> pairs, Instant from, Instant to, double activeShare) {
        for (PairKey pair : pairs) {
            for (Instant m = from; m.isBefore(to); m = m.plus(Duration.ofMinutes(1))) {
                if (random.nextDouble() >= activeShare) {
                    continue;
                }
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    attempts.add(randomAttempt(pair, m.plusMillis(random.nextInt(60_000))));
                }
            }
        }
    }

    /** One random attempt of {@code pair} completing at {@code completedAt}. */
    public DeliveryAttempt randomAttempt(PairKey pair, Instant completedAt) {
        double r = random.nextDouble();
        Outcome outcome =
                r < 0.70
                        ? Outcome.DELIVERED
                        : r < 0.82
                                ? Outcome.RETRYING
                                : r < 0.90
                                        ? Outcome.DISCARDED
                                        : r < 0.95 ? Outcome.EXPIRED : Outcome.FILTERED;
        // Latencies from 1 ms to about a minute, heavy-tailed like real deliveries.
        long latency = (long) Math.exp(random.nextDouble() * Math.log(60_000));
        int attempt = 1 + (random.nextDouble() < 0.8 ? 0 : random.nextInt(12));
        String code =
                outcome.isFailure() && random.nextDouble() < 0.9
                        ? ERROR_CODES[random.nextInt(ERROR_CODES.length)]
                        : null;
        String eventType = EVENT_TYPES[random.nextInt(EVENT_TYPES.length)];
        String eventName =
                eventType.equals("track") || eventType.equals("page")
                        ? EVENT_NAMES[random.nextInt(EVENT_NAMES.length)]
                        : null;
        return new DeliveryAttempt(
                pair.workspaceId(),
                pair.sourceId(),
                pair.destinationId(),
                "evt_" + (++events),
                attempt,
                outcome,
                code,
                completedAt.minusMillis(latency),
                completedAt,
                destinationType(pair),
                eventType,
                eventName,
                outcome.isFailure() ? ERROR_MESSAGES[random.nextInt(ERROR_MESSAGES.length)] : null);
    }

    /** {@code dst_amplitude} is of type {@code amplitude}: two types, each in every workspace. */
    private static String destinationType(PairKey pair) {
        return pair.destinationId().substring("dst_".length());
    }

    public List<DeliveryAttempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Per shard id: the number of rows of tier {@code g}, one per pair and bucket. */
    public Map<Integer, Long> rowsPerShard(Granularity g) {
        Map<Integer, Long> out = new TreeMap<>();
        for (Key k : group(attempts, g).keySet()) {
            out.merge(router.shardOf(k.pair().workspaceId()), 1L, Long::sum);
        }
        return out;
    }

    /** The number of global rows of tier {@code g}: one per destination type and bucket. */
    public long typeRows(Granularity g) {
        return attempts.stream()
                .map(a -> a.destinationType() + '@' + g.floor(a.completedAt()))
                .distinct()
                .count();
    }

    /** Per shard id: the number of distinct buckets of tier {@code g} that have rows. */
    public Map<Integer, Long> bucketsPerShard(Granularity g) {
        Map<Integer, Set<Instant>> buckets = new TreeMap<>();
        for (Key k : group(attempts, g).keySet()) {
            buckets.computeIfAbsent(router.shardOf(k.pair().workspaceId()), s -> new TreeSet<>())
                    .add(k.bucketStart());
        }
        Map<Integer, Long> out = new TreeMap<>();
        buckets.forEach((shard, b) -> out.put(shard, (long) b.size()));
        return out;
    }

    /**
     * Writes the minute rows of every attempt, each on its workspace's shard, dated an hour back
     * (as if written when their minutes ended), so that only later changes count as changes.
     */
    public void seed(BatchFixture fixture) throws SQLException {
        writeMinutes(fixture, group(attempts, Granularity.MINUTE));
        writeTypeMinutes(fixture, attempts);
        try (Connection c = fixture.global();
                Statement st = c.createStatement()) {
            st.executeUpdate(
                    "UPDATE destination_type_metrics_minute"
                            + " SET updated_at = NOW(6) - INTERVAL 1 HOUR");
        }
        for (int i = 0; i < router.shardCount(); i++) {
            try (Connection c = fixture.shard(i);
                    Statement st = c.createStatement()) {
                st.executeUpdate(
                        "UPDATE delivery_metrics_minute SET updated_at = NOW(6) - INTERVAL 1 HOUR");
            }
        }
    }

    /**
     * Adds a late attempt and rewrites its minute row with the bucket of every attempt of that
     * minute, as the speed layer's overwrite upsert does.
     */
    public void addLate(BatchFixture fixture, DeliveryAttempt late) throws SQLException {
        attempts.add(late);
        Instant minute = Granularity.MINUTE.floor(late.completedAt());
        Map<Key, List<DeliveryAttempt>> one = new TreeMap<>();
        for (DeliveryAttempt a : attempts) {
            if (a.pair().equals(late.pair())
                    && Granularity.MINUTE.floor(a.completedAt()).equals(minute)) {
                one.computeIfAbsent(new Key(a.pair(), minute), k -> new ArrayList<>()).add(a);
            }
        }
        writeMinutes(fixture, one);
        List<DeliveryAttempt> sameTypeMinute = new ArrayList<>();
        for (DeliveryAttempt a : attempts) {
            if (a.destinationType().equals(late.destinationType())
                    && Granularity.MINUTE.floor(a.completedAt()).equals(minute)) {
                sameTypeMinute.add(a);
            }
        }
        writeTypeMinutes(fixture, sameTypeMinute);
    }

    /**
     * Writes the global minute rows of {@code some} attempts, as the job's type roll-up does: per
     * (type, minute) the bucket of its attempts, every pair and workspace that sent one, and as
     * affected those with a retried, discarded or expired attempt in that minute.
     */
    private static void writeTypeMinutes(BatchFixture fixture, List<DeliveryAttempt> some)
            throws SQLException {
        Map<String, TypeBucket> rows = new TreeMap<>();
        Map<String, Set<PairKey>> affected = new TreeMap<>();
        for (DeliveryAttempt a : some) {
            Instant minute = Granularity.MINUTE.floor(a.completedAt());
            String key = a.destinationType() + '@' + minute;
            rows.computeIfAbsent(
                            key,
                            k ->
                                    new TypeBucket(
                                            a.destinationType(),
                                            minute,
                                            new MetricBucket(),
                                            new DistinctContributors()))
                    .bucket()
                    .add(a);
            if (a.outcome().isFailure()) {
                affected.computeIfAbsent(key, k -> new TreeSet<>()).add(a.pair());
            }
        }
        for (DeliveryAttempt a : some) {
            String key = a.destinationType() + '@' + Granularity.MINUTE.floor(a.completedAt());
            rows.get(key)
                    .contributors()
                    .add(a.pair(), affected.getOrDefault(key, Set.of()).contains(a.pair()));
        }
        try (Connection c = fixture.global()) {
            c.setAutoCommit(false);
            DestinationTypeRows.write(c, Granularity.MINUTE, rows.values());
            c.commit();
        }
    }

    /**
     * Asserts that the global rows of tier {@code g} with bucket start in [from, to) are exactly
     * the expectation from the raw attempts: per (destination type, bucket) the counters, errors,
     * events and percentiles as for a pair, and the distinct workspaces and pairs that sent an
     * attempt and that had a retried, discarded or expired one (sets this small are counted exactly
     * by the sketches).
     */
    public void assertGlobalTierMatches(
            BatchFixture fixture, Granularity g, Instant from, Instant to) throws SQLException {
        Map<String, List<DeliveryAttempt>> expected = new TreeMap<>();
        for (DeliveryAttempt a : attempts) {
            Instant b = g.floor(a.completedAt());
            if (!b.isBefore(from) && b.isBefore(to)) {
                expected.computeIfAbsent(a.destinationType() + '@' + b, k -> new ArrayList<>())
                        .add(a);
            }
        }
        Map<String, TypeBucket> actual = new TreeMap<>();
        try (Connection c = fixture.global()) {
            for (TypeBucket row : DestinationTypeRows.list(c, g, from, to)) {
                actual.put(row.destinationType() + '@' + row.bucketStart(), row);
            }
        }
        assertThat(actual.keySet()).as("global %s rows", g.wireName()).isEqualTo(expected.keySet());
        for (Map.Entry<String, List<DeliveryAttempt>> e : expected.entrySet()) {
            TypeBucket row = actual.get(e.getKey());
            List<DeliveryAttempt> raw = e.getValue();
            assertBucket(e.getKey(), raw, row.bucket(), false);
            Set<String> workspaces = new TreeSet<>();
            Set<PairKey> pairs = new TreeSet<>();
            Set<String> affectedWorkspaces = new TreeSet<>();
            Set<PairKey> affectedPairs = new TreeSet<>();
            for (DeliveryAttempt a : raw) {
                workspaces.add(a.workspaceId());
                pairs.add(a.pair());
                if (a.outcome().isFailure()) {
                    affectedWorkspaces.add(a.workspaceId());
                    affectedPairs.add(a.pair());
                }
            }
            DistinctContributors who = row.contributors();
            assertThat(who.workspaces())
                    .as("workspaces %s", e.getKey())
                    .isEqualTo(workspaces.size());
            assertThat(who.pairs()).as("pairs %s", e.getKey()).isEqualTo(pairs.size());
            assertThat(who.affectedWorkspaces())
                    .as("affected workspaces %s", e.getKey())
                    .isEqualTo(affectedWorkspaces.size());
            assertThat(who.affectedPairs())
                    .as("affected pairs %s", e.getKey())
                    .isEqualTo(affectedPairs.size());
        }
    }

    private void writeMinutes(BatchFixture fixture, Map<Key, List<DeliveryAttempt>> minutes)
            throws SQLException {
        List<List<PairBucket>> perShard = new ArrayList<>();
        for (int i = 0; i < router.shardCount(); i++) {
            perShard.add(new ArrayList<>());
        }
        for (Map.Entry<Key, List<DeliveryAttempt>> e : minutes.entrySet()) {
            MetricBucket b = new MetricBucket();
            e.getValue().forEach(b::add);
            perShard.get(router.shardOf(e.getKey().pair().workspaceId()))
                    .add(new PairBucket(e.getKey().pair(), e.getKey().bucketStart(), b));
        }
        for (int i = 0; i < perShard.size(); i++) {
            try (Connection c = fixture.shard(i)) {
                c.setAutoCommit(false);
                MetricRows.write(c, Granularity.MINUTE, perShard.get(i));
                c.commit();
            }
        }
    }

    /**
     * Asserts that the rows of tier {@code g} with bucket start in [from, to), over all shards, are
     * exactly the expectation from the raw attempts.
     */
    public void assertTierMatches(BatchFixture fixture, Granularity g, Instant from, Instant to)
            throws SQLException {
        Map<Key, List<DeliveryAttempt>> expected = new TreeMap<>();
        group(attempts, g)
                .forEach(
                        (k, v) -> {
                            if (!k.bucketStart().isBefore(from) && k.bucketStart().isBefore(to)) {
                                expected.put(k, v);
                            }
                        });
        Map<Key, MetricBucket> actual = new TreeMap<>();
        for (int i = 0; i < router.shardCount(); i++) {
            try (Connection c = fixture.shard(i)) {
                for (PairBucket row : RangeQuery.of(g, from, to).list(c)) {
                    assertThat(router.shardOf(row.pair().workspaceId()))
                            .as("shard of %s", row.pair())
                            .isEqualTo(i);
                    actual.put(new Key(row.pair(), row.bucketStart()), row.bucket());
                }
            }
        }
        assertThat(actual.keySet()).as("%s rows", g.wireName()).isEqualTo(expected.keySet());
        for (Map.Entry<Key, List<DeliveryAttempt>> e : expected.entrySet()) {
            assertBucket(e.getKey(), e.getValue(), actual.get(e.getKey()));
        }
    }

    private static void assertBucket(Key key, List<DeliveryAttempt> raw, MetricBucket actual) {
        assertBucket(key, raw, actual, true);
    }

    /** As the pair rows' check; the global tables keep no event breakdown ({@code events}). */
    private static void assertBucket(
            Object key, List<DeliveryAttempt> raw, MetricBucket actual, boolean events) {
        long[] byOutcome = new long[Outcome.values().length];
        long[] byAttempt = new long[MetricBucket.MAX_TRACKED_ATTEMPT];
        Map<ErrorKey, Long> errors = new TreeMap<>();
        Map<EventKey, long[]> byEvent = new TreeMap<>();
        List<Long> latencies = new ArrayList<>();
        for (DeliveryAttempt a : raw) {
            byOutcome[a.outcome().ordinal()]++;
            byEvent.computeIfAbsent(
                            new EventKey(a.eventType(), a.eventName()),
                            k -> new long[Outcome.values().length])[a.outcome().ordinal()]++;
            if (a.outcome() == Outcome.DELIVERED) {
                byAttempt[Math.min(a.attempt(), MetricBucket.MAX_TRACKED_ATTEMPT) - 1]++;
                latencies.add(a.latencyMillis());
            }
            if (a.outcome().isFailure()) {
                String code = a.errorCode() == null ? ErrorKey.UNKNOWN : a.errorCode();
                errors.merge(new ErrorKey(a.outcome(), code), 1L, Long::sum);
            }
        }
        String at = key.toString();
        assertThat(actual.successes()).as("successes %s", at).isEqualTo(byOutcome[0]);
        assertThat(actual.retried()).as("retried %s", at).isEqualTo(byOutcome[1]);
        assertThat(actual.discarded()).as("discarded %s", at).isEqualTo(byOutcome[2]);
        assertThat(actual.expired()).as("expired %s", at).isEqualTo(byOutcome[3]);
        assertThat(actual.filtered()).as("filtered %s", at).isEqualTo(byOutcome[4]);
        assertThat(actual.successesByAttempt()).as("by attempt %s", at).isEqualTo(byAttempt);
        assertThat(actual.errors()).as("errors %s", at).isEqualTo(errors);
        Map<EventKey, OutcomeCounts> expectedEvents = new TreeMap<>();
        byEvent.forEach(
                (k, c) -> expectedEvents.put(k, OutcomeCounts.of(c[0], c[1], c[2], c[3], c[4])));
        assertThat(actual.events())
                .as("events %s", at)
                .isEqualTo(events ? expectedEvents : Map.of());
        assertThat(samples(actual))
                .as("samples %s", at)
                .isEqualTo(events ? expectedSamples(raw) : Map.of());
        assertThat(actual.latencyCount()).as("latency count %s", at).isEqualTo(latencies.size());
        assertThat(actual.latencySumMs())
                .as("latency sum %s", at)
                .isEqualTo(latencies.stream().mapToLong(Long::longValue).sum());
        latencies.sort(null);
        assertThat(actual.latencyMaxMs())
                .as("latency max %s", at)
                .isEqualTo(latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
        for (double q : QUANTILES) {
            if (latencies.isEmpty()) {
                assertThat(actual.latencyQuantileMs(q)).isNaN();
                continue;
            }
            double exact = latencies.get((int) Math.floor(q * (latencies.size() - 1)));
            assertThat(actual.latencyQuantileMs(q))
                    .as("p%s %s", q * 100, at)
                    .isCloseTo(exact, within(exact * 0.01 + 1e-9));
        }
    }

    /**
     * The samples a bucket of {@code raw} must hold, computed from the raw attempts: per error key
     * (the world has fewer codes than the cap, so no key folds), the ten failed attempts with the
     * smallest sample hash as an unsigned number, each as its stored fields.
     */
    static Map<ErrorKey, List<List<Object>>> expectedSamples(List<DeliveryAttempt> raw) {
        Map<ErrorKey, List<DeliveryAttempt>> byKey = new TreeMap<>();
        for (DeliveryAttempt a : raw) {
            if (a.outcome().isFailure()) {
                String code = a.errorCode() == null ? ErrorKey.UNKNOWN : a.errorCode();
                byKey.computeIfAbsent(new ErrorKey(a.outcome(), code), k -> new ArrayList<>())
                        .add(a);
            }
        }
        Map<ErrorKey, List<List<Object>>> out = new TreeMap<>();
        byKey.forEach(
                (k, list) -> {
                    List<DeliveryAttempt> sorted = new ArrayList<>(list);
                    sorted.sort(
                            (x, y) ->
                                    Long.compareUnsigned(
                                            ErrorSamples.hash(x.eventId(), x.attempt()),
                                            ErrorSamples.hash(y.eventId(), y.attempt())));
                    List<List<Object>> rows = new ArrayList<>();
                    for (DeliveryAttempt a : sorted.subList(0, Math.min(10, sorted.size()))) {
                        rows.add(
                                Arrays.asList(
                                        a.eventId(),
                                        a.attempt(),
                                        a.outcome(),
                                        a.errorCode() == null ? ErrorKey.UNKNOWN : a.errorCode(),
                                        a.completedAt().truncatedTo(ChronoUnit.MICROS),
                                        a.eventType(),
                                        a.eventName(),
                                        a.errorMessage()));
                    }
                    out.put(k, rows);
                });
        return out;
    }

    /** A bucket's samples as {@link #expectedSamples} lists them. */
    static Map<ErrorKey, List<List<Object>>> samples(MetricBucket b) {
        Map<ErrorKey, List<List<Object>>> out = new TreeMap<>();
        b.samples()
                .forEach(
                        (k, v) -> {
                            List<List<Object>> rows = new ArrayList<>();
                            for (ErrorSample x : v.samples()) {
                                rows.add(
                                        Arrays.asList(
                                                x.eventId(),
                                                x.attempt(),
                                                x.outcome(),
                                                x.errorCode(),
                                                x.completedAt(),
                                                x.eventType(),
                                                x.eventName(),
                                                x.errorMessage()));
                            }
                            out.put(k, rows);
                        });
        return out;
    }

    private static Map<Key, List<DeliveryAttempt>> group(
            List<DeliveryAttempt> attempts, Granularity g) {
        Map<Key, List<DeliveryAttempt>> out = new TreeMap<>();
        for (DeliveryAttempt a : attempts) {
            out.computeIfAbsent(new Key(a.pair(), g.floor(a.completedAt())), k -> new ArrayList<>())
                    .add(a);
        }
        return out;
    }

    private static int min(int[] values) {
        int m = Integer.MAX_VALUE;
        for (int v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** A pair and a bucket start. */
    public record Key(PairKey pair, Instant bucketStart) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = pair.compareTo(o.pair);
            return c != 0 ? c : bucketStart.compareTo(o.bucketStart);
        }
    }
}
