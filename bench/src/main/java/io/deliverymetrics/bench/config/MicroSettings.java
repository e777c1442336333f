package io.deliverymetrics.bench.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the JMH micro-benchmarks when the suite runs them; each measured run is one JMH fork
 * (so {@code runs} forks per benchmark).
 *
 * @param records loadgen records held in memory by each benchmark (the streaming load's first ones)
 * @param warmupIterations unmeasured JMH iterations per fork
 * @param measurementIterations measured JMH iterations per fork; their mean is the fork's score
 * @param iterationTime length of each iteration
 * @param forkHeap {@code -Xms}/{@code -Xmx} of each forked JVM (it holds the records and buckets)
 */
public record MicroSettings(
        int records,
        int warmupIterations,
        int measurementIterations,
        Duration iterationTime,
        String forkHeap) {

    public MicroSettings {
        if (records < 1_000) {
            throw new IllegalArgumentException("micro records must be >= 1,000, was " + records);
        }
        if (warmupIterations < 0 || measurementIterations < 1) {
            throw new IllegalArgumentException(
                    "micro needs >= 0 warm-up and >= 1 measured iterations, was "
                            + warmupIterations
                            + " and "
                            + measurementIterations);
        }
        Objects.requireNonNull(iterationTime, "iterationTime");
        if (iterationTime.toMillis() < 100) {
            throw new IllegalArgumentException(
                    "micro iterations must last at least 100 ms, was " + iterationTime);
        }
        Objects.requireNonNull(forkHeap, "forkHeap");
    }

    /** 1,000,000 records; 3 warm-up and 5 measured iterations of 1 s per fork; 2 GiB forks. */
    public static MicroSettings full() {
        return new MicroSettings(1_000_000, 3, 5, Duration.ofSeconds(1), "2g");
    }

    /** 10,000 records; 1 warm-up and 1 measured iteration of 1 s; 512 MiB forks. */
    public static MicroSettings smoke() {
        return new MicroSettings(10_000, 1, 1, Duration.ofSeconds(1), "512m");
    }
}
