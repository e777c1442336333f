package io.deliverymetrics.bench.micro;

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
 * Records per second of {@code AttemptParser.parse} on the raw JSON of the streaming load (its
 * allocation-free {@code FlatRecordReader} path takes the load's records), one record per
 * operation, cycling through the records held in memory.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ParseBenchmark {

    /** Records of the streaming load held in memory. */
    @Param("1000000")
    public int records;

    /** Pairs of the load (Zipf 1.1). */
    @Param("10000")
    public int pairs;

    /** Events per second of the load's simulated clock (sets how many minutes it spans). */
    @Param("10000")
    public double eventsPerSecond;

    private final AttemptParser parser = new AttemptParser();
    private byte[][] raw;
    private int next;

    @Setup
    public void load() {
        raw = MicroData.records(records, pairs, eventsPerSecond);
        next = 0;
    }

    @Benchmark
    public ParseResult parse() {
        byte[] r = raw[next];
        next = next + 1 == raw.length ? 0 : next + 1;
        return parser.parse(r);
    }
}
