package io.deliverymetrics.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.loadgen.truth.BucketKey;
import io.deliverymetrics.loadgen.truth.BucketTotals;
import io.deliverymetrics.sql.PipelineProgress;
import io.deliverymetrics.sql.RangeQuery;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The minute rows a running (unbounded) job has completed on its shards, compared with the load
 * generator's ground truth: the shards' {@code pipeline_progress} says up to which minute the rows
 * are final, and every row before it must equal the truth exactly (latency percentiles within the
 * sketch's 1 %). The job's own output is never the reference.
 */
public final class CompleteMinutes {

    private final EmbeddedMariaDb db;
    private final List<String> shardDatabases;
    private final String pipeline;
    private final Instant earliest;

    /** What the shards hold: minutes before {@code finalThrough} are final. */
    private record ShardState(
            Optional<Instant> finalThrough, SortedMap<String, MinuteTotals> rows) {}

    /**
     * @param shardDatabases the job's shard databases, in shard order
     * @param pipeline the job's {@code pipeline-name}
     * @param earliest no row of the test is older (bounds the range read)
     */
    public CompleteMinutes(
            EmbeddedMariaDb db, List<String> shardDatabases, String pipeline, Instant earliest) {
        this.db = db;
        this.shardDatabases = List.copyOf(shardDatabases);
        this.pipeline = pipeline;
        this.earliest = earliest;
    }

    /**
     * The least "final through" a batch of load whose last event is received at {@code lastReceipt}
     * must reach: that instant minus the job's out-of-orderness and allowed lateness, floored to
     * the minute, minus one minute for partitions whose last record came a little earlier.
     */
    public static Instant lowerBound(
            Instant lastReceipt, Duration outOfOrderness, Duration allowedLateness) {
        return lastReceipt
                .minus(outOfOrderness)
                .minus(allowedLateness)
                .truncatedTo(ChronoUnit.MINUTES)
                .minus(Duration.ofMinutes(1));
    }

    /**
     * The minutes whose expected rows differ between two states of the truth: minutes that hold
     * records of both batches, whose final value is right only if the job merged the state it had
     * before an event with the records after it exactly once.
     */
    public static List<BucketKey> straddling(
            SortedMap<BucketKey, BucketTotals> before, SortedMap<BucketKey, BucketTotals> after) {
        return before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).toList();
    }

    /**
     * Waits until the shards report minutes up to at least {@code atLeast} final and every final
     * minute's rows equal the truth, then asserts it; returns the instant they are final through.
     *
     * @param diagnostics appended to a failure (e.g. the cluster's logs)
     */
    public Instant awaitEqualTruth(
            SortedMap<BucketKey, BucketTotals> truth,
            Instant atLeast,
            Duration timeout,
            Supplier<String> diagnostics)
            throws Exception {
        ShardState state =
                Poll.until(
                        timeout,
                        this::read,
                        s ->
                                s.finalThrough().isPresent()
                                        && !s.finalThrough().get().isBefore(atLeast)
                                        && s.rows()
                                                .equals(expected(truth, s.finalThrough().get())));
        assertThat(state.finalThrough())
                .as("minutes final (pipeline_progress)\n%s", diagnostics.get())
                .isPresent()
                .get()
                .matches(ct -> !ct.isBefore(atLeast), "at least " + atLeast);
        Instant finalThrough = state.finalThrough().get();
        SortedMap<String, MinuteTotals> expected = expected(truth, finalThrough);
        assertThat(expected).as("minutes compared").hasSizeGreaterThan(100);
        assertThat(state.rows())
                .as("minute rows before %s vs ground truth", finalThrough)
                .containsExactlyEntriesOf(expected);
        assertLatencyPercentiles(truth, finalThrough);
        return finalThrough;
    }

    private static SortedMap<String, MinuteTotals> expected(
            SortedMap<BucketKey, BucketTotals> truth, Instant before) {
        SortedMap<String, MinuteTotals> out = new TreeMap<>();
        truth.forEach(
                (k, t) -> {
                    if (k.bucketStart().isBefore(before)) {
                        out.put(key(k), MinuteTotals.of(t));
                    }
                });
        return out;
    }

    private ShardState read() throws Exception {
        Optional<Instant> finalThrough = Optional.empty();
        for (String shard : shardDatabases) {
            try (Connection c = db.connect(shard)) {
                Optional<Instant> ft = PipelineProgress.finalThrough(c, pipeline);
                if (ft.isEmpty()) {
                    return new ShardState(Optional.empty(), new TreeMap<>());
                }
                if (finalThrough.isEmpty() || ft.get().isBefore(finalThrough.get())) {
                    finalThrough = ft;
                }
            }
        }
        SortedMap<String, MinuteTotals> rows = new TreeMap<>();
        for (PairBucket row : minuteRows(finalThrough.get())) {
            rows.put(key(row), MinuteTotals.of(row.bucket()));
        }
        return new ShardState(finalThrough, rows);
    }

    private List<PairBucket> minuteRows(Instant before) throws Exception {
        List<PairBucket> rows = new ArrayList<>();
        for (String shard : shardDatabases) {
            try (Connection c = db.connect(shard)) {
                rows.addAll(RangeQuery.of(Granularity.MINUTE, earliest, before).list(c));
            }
        }
        return rows;
    }

    /** The sketches went through state and restores: percentiles within 1 % of exact. */
    private void assertLatencyPercentiles(SortedMap<BucketKey, BucketTotals> truth, Instant before)
            throws Exception {
        Map<String, BucketTotals> exact = new TreeMap<>();
        truth.forEach((k, t) -> exact.put(key(k), t));
        int checked = 0;
        for (PairBucket row : minuteRows(before)) {
            BucketTotals t = exact.get(key(row));
            MetricBucket b = row.bucket();
            if (t == null || t.latencyCount() == 0) {
                continue;
            }
            assertWithinOnePercent(key(row) + " p50", b.latencyQuantileMs(0.50), t.latencyP50Ms());
            assertWithinOnePercent(key(row) + " p99", b.latencyQuantileMs(0.99), t.latencyP99Ms());
            checked++;
        }
        assertThat(checked).as("minutes with checked percentiles").isGreaterThan(100);
    }

    private static void assertWithinOnePercent(String what, double actual, long exact) {
        assertThat(Math.abs(actual - exact)).as(what).isLessThanOrEqualTo(exact * 0.01 + 1e-9);
    }

    private static String key(BucketKey k) {
        return k.workspaceId()
                + "/"
                + k.sourceId()
                + "/"
                + k.destinationId()
                + "@"
                + k.bucketStart();
    }

    private static String key(PairBucket row) {
        return row.pair().workspaceId()
                + "/"
                + row.pair().sourceId()
                + "/"
                + row.pair().destinationId()
                + "@"
                + row.bucketStart();
    }
}
