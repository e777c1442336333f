package io.deliverymetrics.bench.api;

import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.internal.ControlDatabase;
import io.deliverymetrics.bench.internal.ShardDatabases;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.loadgen.generator.EventContent;
import io.deliverymetrics.loadgen.generator.Zipf;
import io.deliverymetrics.sql.MetricRows;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The API and compaction data set: a dense minute row for every pair and every minute of the last
 * {@code days} days (up to the start of the current hour), written with {@link MetricRows#write}
 * into two shard databases, plus a control database. Two writer threads: one per shard, or both on
 * the one shard that holds every pair (the isolation benchmark's data set).
 *
 * <p>Each row aggregates 2–6 synthetic attempts: mostly first-try deliveries with latencies of 40
 * ms – 2.5 s, some {@code http_429} retries and {@code http_400} discards, so rows carry a latency
 * sketch and error rows like real ones. The attempts of the first pair's workspace, the one the API
 * benchmark queries (not the isolation benchmark's), are {@code track} events named after loadgen's
 * 40 event names with its Zipf popularity, so their rows carry an event breakdown (one event row
 * per name of the minute); the other workspaces' attempts have no name, one event row per minute,
 * as records without {@code event_name} give.
 */
public final class ApiDataset {

    /** Shard databases of every data set. */
    public static final int SHARDS = 2;

    private static final int WRITERS = 2;

    private static final List<String> EVENT_NAMES = EventContent.eventNames();
    private static final Zipf EVENT_NAME_POPULARITY =
            new Zipf(EVENT_NAMES.size(), EventContent.POPULARITY_EXPONENT);
    private static final int BATCH_ROWS = 2_000;

    private final ShardDatabases databases;
    private final Map<String, String> settings;
    private final List<PairKey> pairs;
    private final Instant start;
    private final Instant end;
    private final long rows;
    private final double seedSeconds;

    private ApiDataset(
            ShardDatabases databases,
            Map<String, String> settings,
            List<PairKey> pairs,
            Instant start,
            Instant end,
            long rows,
            double seedSeconds) {
        this.databases = databases;
        this.settings = settings;
        this.pairs = pairs;
        this.start = start;
        this.end = end;
        this.rows = rows;
        this.seedSeconds = seedSeconds;
    }

    /**
     * Creates the databases and writes {@code days} days of minute rows ending at {@code end}, with
     * event names in the first workspace.
     */
    public static ApiDataset seed(
            BenchInfra infra, int workspaces, int pairCount, int days, Instant end)
            throws Exception {
        List<PairKey> pairs = pairs(workspaces, pairCount);
        return seed(infra, "bench_api", pairs, pairs.get(0).workspaceId(), days, end);
    }

    /**
     * Creates shard and control databases named after {@code prefix} and writes {@code days} days
     * of minute rows of {@code pairs} ending at {@code end}, without event names.
     */
    public static ApiDataset seed(
            BenchInfra infra, String prefix, List<PairKey> pairs, int days, Instant end)
            throws Exception {
        return seed(infra, prefix, pairs, null, days, end);
    }

    private static ApiDataset seed(
            BenchInfra infra,
            String prefix,
            List<PairKey> pairs,
            String named,
            int days,
            Instant end)
            throws Exception {
        ShardDatabases databases =
                ShardDatabases.create(infra.db(), infra.names(), prefix + "_shard", SHARDS);
        Map<String, String> settings = new LinkedHashMap<>(databases.settings());
        settings.putAll(ControlDatabase.create(infra, prefix + "_control"));

        Instant start = end.minus(Duration.ofDays(days));
        ShardRouter router = new ShardRouter(databases.shards());
        Map<Integer, List<PairKey>> byShard = new TreeMap<>();
        for (PairKey p : pairs) {
            byShard.computeIfAbsent(router.shardOf(p.workspaceId()), k -> new ArrayList<>()).add(p);
        }
        // Writers a shard gets: all of them when it is the only one with pairs.
        int slices = Math.max(1, WRITERS / byShard.size());
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        long t0 = System.nanoTime();
        long written = 0;
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (Map.Entry<Integer, List<PairKey>> e : byShard.entrySet()) {
                int shard = e.getKey();
                List<PairKey> own = e.getValue();
                for (int slice = 0; slice < slices; slice++) {
                    List<PairKey> part =
                            own.subList(
                                    own.size() * slice / slices, own.size() * (slice + 1) / slices);
                    long seed = 7_000 + shard + 100L * slice;
                    futures.add(
                            pool.submit(
                                    () ->
                                            writeShard(
                                                    databases, shard, part, named, start, end,
                                                    seed)));
                }
            }
            for (Future<Long> f : futures) {
                written += f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new ApiDataset(
                databases, Map.copyOf(settings), List.copyOf(pairs), start, end, written, secs);
    }

    private static long writeShard(
            ShardDatabases databases,
            int shard,
            List<PairKey> pairs,
            String namedWorkspace,
            Instant start,
            Instant end,
            long seed)
            throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        long written = 0;
        try (Connection c = databases.connect(shard)) {
            c.setAutoCommit(false);
            // Two writers may share a shard. Under repeatable read, each one's deletes of error
            // rows that do not exist yet take gap locks that the other's inserts wait for, a
            // deadlock. Read committed takes none, and the writers' keys never overlap.
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            List<PairBucket> batch = new ArrayList<>(BATCH_ROWS);
            for (PairKey pair : pairs) {
                for (Instant minute = start;
                        minute.isBefore(end);
                        minute = minute.plus(Duration.ofMinutes(1))) {
                    boolean named = pair.workspaceId().equals(namedWorkspace);
                    batch.add(new PairBucket(pair, minute, bucket(pair, minute, named, random)));
                    if (batch.size() == BATCH_ROWS) {
                        MetricRows.write(c, Granularity.MINUTE, batch);
                        c.commit();
                        written += batch.size();
                        batch.clear();
                    }
                }
            }
            MetricRows.write(c, Granularity.MINUTE, batch);
            c.commit();
            written += batch.size();
        }
        return written;
    }

    private static MetricBucket bucket(
            PairKey p, Instant minute, boolean named, SplittableRandom random) {
        MetricBucket b = new MetricBucket();
        int attempts = 2 + random.nextInt(5);
        for (int i = 0; i < attempts; i++) {
            Instant received = minute.plusMillis(random.nextInt(50_000));
            int roll = random.nextInt(100);
            Outcome outcome =
                    roll < 85
                            ? Outcome.DELIVERED
                            : roll < 97 ? Outcome.RETRYING : Outcome.DISCARDED;
            String error =
                    switch (outcome) {
                        case RETRYING -> "http_429";
                        case DISCARDED -> "http_400";
                        default -> null;
                    };
            b.add(
                    new DeliveryAttempt(
                            p.workspaceId(),
                            p.sourceId(),
                            p.destinationId(),
                            "evt",
                            outcome == Outcome.DELIVERED && random.nextInt(10) == 0 ? 2 : 1,
                            outcome,
                            error,
                            received,
                            received.plusMillis(40 + random.nextInt(2_460)),
                            DeliveryAttempt.UNKNOWN_TYPE,
                            named ? "track" : DeliveryAttempt.UNKNOWN_TYPE,
                            named ? EVENT_NAMES.get(EVENT_NAME_POPULARITY.sample(random)) : null,
                            null));
        }
        return b;
    }

    /**
     * {@code count} pairs over {@code workspaces} workspaces, each a grid of sources ×
     * destinations.
     */
    static List<PairKey> pairs(int workspaces, int count) {
        List<PairKey> out = new ArrayList<>(count);
        int perWorkspace = count / workspaces;
        int destinations = (int) Math.ceil(Math.sqrt(perWorkspace));
        for (int w = 0; w < workspaces; w++) {
            int n = perWorkspace + (w < count % workspaces ? 1 : 0);
            for (int k = 0; k < n; k++) {
                out.add(
                        new PairKey(
                                String.format("ws_bench_%02d", w),
                                "src_" + (k / destinations),
                                "dst_" + (k % destinations)));
            }
        }
        return out;
    }

    public ShardDatabases databases() {
        return databases;
    }

    /** Shard and control settings, as the batch jar and the API server read them. */
    public Map<String, String> settings() {
        return settings;
    }

    public List<PairKey> pairs() {
        return pairs;
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    public long rows() {
        return rows;
    }

    public double rowsPerSecond() {
        return rows / seedSeconds;
    }
}
