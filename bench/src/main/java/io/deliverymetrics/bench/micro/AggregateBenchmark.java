package io.deliverymetrics.bench.micro;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.parse.AttemptParser;
import io.deliverymetrics.core.parse.ParseResult;
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
 * Records per second of the pre-aggregation's add path ({@code MetricBucket.add} into the record's
 * (pair, minute) partial, as {@code MinutePreAggregator} holds them: {@link PreAggregation}), on
 * parsed attempts and on the raw JSON parsed first; one record per operation, cycling through the
 * streaming load's records held in memory.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class AggregateBenchmark {

    /** Records of the streaming load held in memory. */
    @Param("1000000")
    public int records;

    /** Pairs of the load (Zipf 1.1). */
    @Param("10000")
    public int pairs;

    /** Events per second of the load's simulated clock (sets how many minutes it spans). */
    @Param("10000")
    public double eventsPerSecond;

    /** Open partials that make the pre-aggregation send everything: the job's default. */
    @Param("20000")
    public int maxEntries;

    private final AttemptParser parser = new AttemptParser();
    private byte[][] raw;
    private DeliveryAttempt[] attempts;
    private PreAggregation preAggregation;
    private int next;

    @Setup
    public void load() {
        raw = MicroData.records(records, pairs, eventsPerSecond);
        attempts = MicroData.parseAll(raw);
        preAggregation = new PreAggregation(maxEntries);
        next = 0;
    }

    /** {@code MetricBucket.add} of a parsed attempt into its (pair, minute) partial. */
    @Benchmark
    public int add() {
        DeliveryAttempt a = attempts[next];
        next = next + 1 == attempts.length ? 0 : next + 1;
        return preAggregation.add(a);
    }

    /** {@code AttemptParser.parse} of the raw record, then the same add. */
    @Benchmark
    public int parseAndAdd() {
        int i = next;
        next = i + 1 == raw.length ? 0 : i + 1;
        if (!(parser.parse(raw[i]) instanceof ParseResult.Valid v)) {
            throw new IllegalStateException("loadgen record " + i + " was rejected");
        }
        return preAggregation.add(v.attempt());
    }
}
