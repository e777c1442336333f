package io.deliverymetrics.bench.streaming;

import io.deliverymetrics.bench.internal.MachineCpu;
import io.deliverymetrics.bench.micro.MinuteKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.parse.AttemptParser;
import io.deliverymetrics.core.parse.ParseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The limit of the speed layer on this machine: plain {@code KafkaConsumer}s that read the whole
 * topic, parse every record with {@link AttemptParser} and aggregate it into the {@link
 * MetricBucket} of its (pair, minute), with nothing else (no framework, no state backend, no
 * writes). Partitions are split evenly over the threads; each thread has its own map.
 */
public final class PlainConsumerLimit {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);

    private final String bootstrapServers;
    private final String topic;

    public PlainConsumerLimit(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    /** What one run read and built. */
    public record Result(long records, long buckets, double seconds, double cpuSeconds) {
        public double recordsPerSecond() {
            return records / seconds;
        }

        /** Machine CPU per record, in microseconds (consumers and broker together). */
        public double cpuMicrosPerRecord() {
            return cpuSeconds * 1e6 / records;
        }
    }

    /** Reads the topic from the beginning to its current end with {@code threads} consumers. */
    public Result run(int threads) throws InterruptedException {
        List<List<TopicPartition>> assignment = split(partitions(), threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            double cpu0 = MachineCpu.busySeconds();
            List<Future<long[]>> futures = new ArrayList<>();
            for (List<TopicPartition> parts : assignment) {
                futures.add(pool.submit(() -> consume(parts)));
            }
            long records = 0;
            long buckets = 0;
            for (Future<long[]> f : futures) {
                long[] r = f.get();
                records += r[0];
                buckets += r[1];
            }
            return new Result(
                    records,
                    buckets,
                    (System.nanoTime() - t0) / 1e9,
                    MachineCpu.busySeconds() - cpu0);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a consumer thread failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private long[] consume(List<TopicPartition> parts) {
        AttemptParser parser = new AttemptParser();
        Map<MinuteKey, MetricBucket> buckets = new HashMap<>();
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties())) {
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + parts);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    ParseResult p = parser.parse(r.value());
                    if (!(p instanceof ParseResult.Valid v)) {
                        throw new IllegalStateException(
                                "rejected record at "
                                        + r.topic()
                                        + "-"
                                        + r.partition()
                                        + "@"
                                        + r.offset()
                                        + ": "
                                        + ((ParseResult.Rejected) p).describe());
                    }
                    DeliveryAttempt a = v.attempt();
                    buckets.computeIfAbsent(MinuteKey.of(a), k -> new MetricBucket()).add(a);
                    records++;
                }
            }
        }
        return new long[] {records, buckets.size()};
    }

    private List<TopicPartition> partitions() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties())) {
            return consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .sorted((x, y) -> Integer.compare(x.partition(), y.partition()))
                    .toList();
        }
    }

    private static List<List<TopicPartition>> split(List<TopicPartition> parts, int threads) {
        if (parts.size() < threads) {
            throw new IllegalArgumentException(
                    parts.size() + " partitions cannot feed " + threads + " consumer threads");
        }
        List<List<TopicPartition>> out = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < parts.size(); i++) {
            out.get(i % threads).add(parts.get(i));
        }
        return out;
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return p;
    }
}
