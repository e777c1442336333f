package io.deliverymetrics.bench.state;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.parse.AttemptWriter;
import io.deliverymetrics.loadgen.config.KafkaSinkConfig;
import io.deliverymetrics.loadgen.sink.KafkaLoadSink;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A real-time producer that keeps a fixed number of pairs active: attempt records go to the pairs
 * in round-robin order at {@code pairs × attemptsPerPairMinute / 60} records per second, each with
 * the producer's clock as {@code completed_at}, so every pair gets one attempt every {@link
 * #cycleMillis} milliseconds. Records are written with core's {@link AttemptWriter}; outcomes are a
 * fixed mix (mostly first-try deliveries with log-normal latencies, some retries, discards and
 * filtered events with error codes) so buckets carry a latency sketch and error rows.
 */
final class PacedAttemptProducer implements AutoCloseable {

    private static final int PAIRS_PER_WORKSPACE = 1_000;
    private static final int DESTINATIONS_PER_WORKSPACE = 40;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int pairs;
    private final double perSecond;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean stopped;
    private Thread thread;
    private long startedAtMs;
    private long stoppedAtMs;

    PacedAttemptProducer(
            String bootstrapServers, String topic, int pairs, int attemptsPerPairMinute) {
        // loadgen's producer settings (acks=all, idempotence, lz4, linger 5 ms) with a smaller
        // buffer pool, which lives in the heap being measured.
        this.producer =
                new KafkaProducer<>(
                        KafkaLoadSink.producerProperties(
                                new KafkaSinkConfig(
                                        bootstrapServers,
                                        topic,
                                        "lz4",
                                        Map.of(
                                                "buffer.memory",
                                                Integer.toString(8 << 20),
                                                "batch.size",
                                                Integer.toString(64 << 10)))));
        this.topic = topic;
        this.pairs = pairs;
        this.perSecond = pairs * (double) attemptsPerPairMinute / 60.0;
    }

    /** Milliseconds between two attempts of the same pair. */
    static long cycleMillis(int attemptsPerPairMinute) {
        return (60_000 + attemptsPerPairMinute - 1) / attemptsPerPairMinute;
    }

    /** The pair with index {@code i}: 1,000 pairs per workspace, 40 destinations each. */
    static PairKey pair(int i) {
        int ws = i / PAIRS_PER_WORKSPACE;
        int j = i % PAIRS_PER_WORKSPACE;
        return new PairKey(
                String.format("ws_state_%03d", ws),
                String.format("src_%02d", j / DESTINATIONS_PER_WORKSPACE),
                String.format("dst_%02d", j % DESTINATIONS_PER_WORKSPACE));
    }

    /** Starts producing in a thread of its own, paced to {@code clock}. */
    void start(Clock clock) {
        thread = new Thread(() -> produce(clock), "bench-state-producer");
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(Clock clock) {
        SplittableRandom random = new SplittableRandom(4_242);
        byte[][] keys = new byte[pairs][];
        for (int i = 0; i < pairs; i++) {
            keys[i] = pair(i).kafkaKey().getBytes(StandardCharsets.UTF_8);
        }
        long t0 = clock.millis();
        startedAtMs = t0;
        long i = 0;
        try {
            while (!stopped) {
                long now = clock.millis();
                long due = (long) ((now - t0) * perSecond / 1_000.0);
                while (i < due && !stopped) {
                    if (failure.get() != null) {
                        return;
                    }
                    int p = (int) (i % pairs);
                    byte[] value = AttemptWriter.toJson(attempt(pair(p), i, now, random));
                    producer.send(
                            new ProducerRecord<>(topic, keys[p], value),
                            (metadata, e) -> {
                                if (e == null) {
                                    acked.incrementAndGet();
                                } else {
                                    failure.compareAndSet(null, e);
                                }
                            });
                    sent.incrementAndGet();
                    i++;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            stoppedAtMs = clock.millis();
        }
    }

    private static DeliveryAttempt attempt(
            PairKey pair, long seq, long completedAtMs, SplittableRandom random) {
        double u = random.nextDouble();
        Outcome outcome;
        String error = null;
        int attempt = 1;
        if (u < 0.88) {
            outcome = Outcome.DELIVERED;
        } else if (u < 0.92) {
            outcome = Outcome.DELIVERED;
            attempt = 2;
        } else if (u < 0.96) {
            outcome = Outcome.RETRYING;
            error = random.nextBoolean() ? "http_429" : "http_503";
        } else if (u < 0.98) {
            outcome = Outcome.DISCARDED;
            error = "http_400";
        } else {
            outcome = Outcome.FILTERED;
        }
        long latency =
                Math.max(1, Math.round(Math.exp(Math.log(200) + 0.8 * random.nextGaussian())));
        if (attempt == 2) {
            latency += 1_000;
        }
        return new DeliveryAttempt(
                pair.workspaceId(),
                pair.sourceId(),
                pair.destinationId(),
                "evt_" + seq,
                attempt,
                outcome,
                error,
                Instant.ofEpochMilli(completedAtMs - latency),
                Instant.ofEpochMilli(completedAtMs));
    }

    /** Stops producing and waits until every record sent is acknowledged; throws on a failure. */
    void stop() throws InterruptedException {
        stopped = true;
        if (thread != null) {
            thread.join(CLOSE_TIMEOUT.toMillis());
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("the state benchmark's producer failed", failure.get());
        }
    }

    long sent() {
        return sent.get();
    }

    long acked() {
        return acked.get();
    }

    /** Records sent per second between start and stop. */
    double rate() {
        long span = stoppedAtMs - startedAtMs;
        return span <= 0 ? Double.NaN : sent.get() * 1_000.0 / span;
    }

    @Override
    public void close() {
        stopped = true;
        producer.close(CLOSE_TIMEOUT);
    }
}
