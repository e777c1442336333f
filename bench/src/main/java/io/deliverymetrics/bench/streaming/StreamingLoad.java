package io.deliverymetrics.bench.streaming;

import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.loadgen.LoadRunner;
import io.deliverymetrics.loadgen.RunStats;
import io.deliverymetrics.loadgen.config.KafkaSinkConfig;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.generator.LoadGenerator;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.sink.KafkaLoadSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark input: loadgen's realistic attempts on a simulated clock, Zipf over the configured
 * pairs, no late and no malformed records, and ISO-8601 timestamps only (so the Flink SQL peer can
 * derive its rowtime with one expression; the job's parser accepts both forms at the same cost).
 */
public final class StreamingLoad {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingLoad.class);

    /** Attempt records per event of this load (about 1.1: retries); sizes the event count. */
    private static final double RECORDS_PER_EVENT_ESTIMATE = 1.1;

    private StreamingLoad() {}

    /** A load of about {@code records} attempt records. */
    public static LoadSpec spec(BenchConfig config, long records) {
        return spec(records, config.streamingPairs(), config.streamingRate());
    }

    /**
     * A load of about {@code records} attempt records over {@code pairs} pairs, {@code
     * eventsPerSecond} on the simulated clock.
     */
    public static LoadSpec spec(long records, int pairs, double eventsPerSecond) {
        long events = Math.max(1, Math.round(records / RECORDS_PER_EVENT_ESTIMATE));
        return LoadSpec.builder()
                .withSeed(2026)
                .withRate(eventsPerSecond)
                .withTotalEvents(events)
                .withWorkspaces(Math.max(1, pairs / 100))
                .withPairs(pairs)
                .withLateShare(0)
                .withMalformedShare(0)
                .withEpochMillisShare(0)
                .withOutOfOrder(Duration.ofSeconds(20))
                .build();
    }

    /**
     * The first {@code records} records of the load over {@code pairs} pairs, in memory (for
     * micro-benchmarks).
     */
    public static List<GeneratedRecord> inMemory(int records, int pairs, double eventsPerSecond) {
        LoadGenerator generator = LoadGenerator.create(spec(records, pairs, eventsPerSecond));
        List<GeneratedRecord> out = new ArrayList<>(records);
        while (generator.hasNext() && out.size() < records) {
            out.add(generator.next());
        }
        return out;
    }

    /**
     * Sends the load to {@code topic} and returns the number of records the broker acknowledged.
     */
    public static long preload(BenchConfig config, String bootstrapServers, String topic) {
        return preload(spec(config, config.streamingRecords()), bootstrapServers, topic);
    }

    /**
     * Sends {@code spec}'s load to {@code topic}; the number of records the broker acknowledged.
     */
    public static long preload(LoadSpec spec, String bootstrapServers, String topic) {
        long t0 = System.nanoTime();
        RunStats stats;
        try (KafkaLoadSink sink =
                KafkaLoadSink.create(KafkaSinkConfig.of(bootstrapServers, topic), record -> {})) {
            stats = new LoadRunner(spec, sink).run();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        LOG.info(
                "pre-loaded {} records ({} events) into {} in {} s",
                stats.acked(),
                spec.eventCount(),
                topic,
                String.format("%.1f", secs));
        return stats.acked();
    }
}
