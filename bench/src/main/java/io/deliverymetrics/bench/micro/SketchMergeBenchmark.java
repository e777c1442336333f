package io.deliverymetrics.bench.micro;

import io.deliverymetrics.core.metrics.MetricBucket;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Merges per second of {@code MetricBucket.merge}, the one merge of the project (window state,
 * compaction, the API's union path): the streaming load's (pair, minute) buckets that have a
 * latency sketch, {@value #MINUTES} at a time into a fresh bucket, as the hour compaction of a pair
 * does.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class SketchMergeBenchmark {

    /** Minute buckets merged per operation: an hour. */
    static final int MINUTES = 60;

    /** Records of the streaming load held in memory. */
    @Param("1000000")
    public int records;

    /** Pairs of the load (Zipf 1.1). */
    @Param("10000")
    public int pairs;

    /** Events per second of the load's simulated clock (sets how many minutes it spans). */
    @Param("10000")
    public double eventsPerSecond;

    private MetricBucket[] buckets;
    private int next;

    @Setup
    public void load() {
        MetricBucket[] all =
                MicroData.minuteBuckets(
                        MicroData.parseAll(MicroData.records(records, pairs, eventsPerSecond)));
        buckets = Arrays.stream(all).filter(b -> b.latencyCount() > 0).toArray(MetricBucket[]::new);
        if (buckets.length < MINUTES) {
            throw new IllegalStateException(
                    "the load has only " + buckets.length + " buckets with latencies");
        }
        next = 0;
    }

    @Benchmark
    @OperationsPerInvocation(MINUTES)
    public MetricBucket mergeAnHour() {
        MetricBucket hour = new MetricBucket();
        int i = next;
        for (int k = 0; k < MINUTES; k++) {
            hour.merge(buckets[i]);
            i = i + 1 == buckets.length ? 0 : i + 1;
        }
        next = i;
        return hour;
    }
}
