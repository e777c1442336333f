package io.deliverymetrics.bench.micro;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.MetricBucket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Buckets per second of {@code BucketCodec.encode} and {@code decode}, the whole-bucket encoding of
 * checkpointed state and transport, on the streaming load's (pair, minute) buckets (counters,
 * latency sketch, error rows), one bucket per operation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class BucketCodecBenchmark {

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
    private byte[][] encoded;
    private int next;

    @Setup
    public void load() {
        buckets =
                MicroData.minuteBuckets(
                        MicroData.parseAll(MicroData.records(records, pairs, eventsPerSecond)));
        encoded = new byte[buckets.length][];
        for (int i = 0; i < buckets.length; i++) {
            encoded[i] = BucketCodec.encode(buckets[i]);
        }
        next = 0;
    }

    @Benchmark
    public byte[] encode() {
        MetricBucket b = buckets[next];
        next = next + 1 == buckets.length ? 0 : next + 1;
        return BucketCodec.encode(b);
    }

    @Benchmark
    public MetricBucket decode() {
        byte[] b = encoded[next];
        next = next + 1 == encoded.length ? 0 : next + 1;
        return BucketCodec.decode(b);
    }
}
