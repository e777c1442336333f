package io.deliverymetrics.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.loadgen.LoadRunner;
import io.deliverymetrics.loadgen.RunStats;
import io.deliverymetrics.loadgen.config.KafkaSinkConfig;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.sink.KafkaLoadSink;
import io.deliverymetrics.loadgen.truth.Truth;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One batch of load-generator input for a test of a running job: 12,000 events at 40 per simulated
 * second (5 simulated minutes) over 150 pairs of 12 workspaces, sent to the topic and added to the
 * ground truth as the broker acknowledges them.
 *
 * <p>No late records: whether the job accepts or drops one depends on how far the watermark has
 * come, which these tests do not pin down. Every batch has the same seed, so batches share the pair
 * catalogue; records are out of order by up to 20 s, so the job's {@code
 * watermark.out-of-orderness} must be at least that.
 *
 * @param start simulated receipt time of the batch's first event
 * @param stats what the run sent and the broker acknowledged
 */
public record LoadBatch(Instant start, RunStats stats) {

    public static final long EVENTS = 12_000;
    public static final double EVENTS_PER_SECOND = 40;

    /** Sends a batch starting at {@code start} to {@code topic}, adding it to {@code truth}. */
    public static LoadBatch produce(
            String bootstrapServers, String topic, Truth truth, Instant start) {
        LoadSpec spec =
                LoadSpec.builder()
                        .withSeed(23L)
                        .withStart(start)
                        .withRate(EVENTS_PER_SECOND)
                        .withTotalEvents(EVENTS)
                        .withWorkspaces(12)
                        .withPairs(150)
                        .withLateShare(0)
                        .withMalformedShare(0.005)
                        .withOutOfOrderShare(0.02)
                        .withOutOfOrder(Duration.ofSeconds(20))
                        .build();
        try (KafkaLoadSink sink =
                KafkaLoadSink.create(KafkaSinkConfig.of(bootstrapServers, topic), truth)) {
            RunStats stats = new LoadRunner(spec, sink).run();
            assertThat(stats.complete()).as("load run complete").isTrue();
            return new LoadBatch(start, stats);
        }
    }

    /** Simulated receipt time of the batch's last event. */
    public Instant lastReceipt() {
        return start.plusMillis((long) (EVENTS * 1000 / EVENTS_PER_SECOND));
    }

    /**
     * Where the next batch should start: the minute of this batch's last record, so that minute
     * holds records of both batches.
     */
    public Instant nextStart() {
        return stats.clock().truncatedTo(ChronoUnit.MINUTES);
    }

    /** Records the broker acknowledged. */
    public long acked() {
        return stats.acked();
    }
}
