package io.deliverymetrics.bench.streaming;

import io.deliverymetrics.bench.internal.MachineCpu;
import io.deliverymetrics.bench.micro.MinuteKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.parse.AttemptParser;
import io.deliverymetrics.core.parse.ParseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.TimeUnit;
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
 *
 * <p>{@link #runForked} runs it as a program of its own ({@link #main}), the way such a consumer is
 * deployed: in the benchmark's JVM, the jobs that ran after it found the parser, the Kafka client
 * and the bucket compiled for the consumer's call sites, and recompiling them cost the job measured
 * next several percent of the machine.
 */
public final class PlainConsumerLimit {

    /** How the forked program reports one run on its standard output. */
    private static final String RESULT_LINE = "plain-consumer-limit ";

    /** Heap of the forked program. */
    private static final String FORK_HEAP = "1g";

    /** Longest a forked program may take (start, warm-up pass, the runs). */
    private static final Duration FORK_TIMEOUT = Duration.ofMinutes(20);

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

    /**
     * Runs {@link #main} in a new JVM with a 1 GiB heap: when {@code warmUp} (full size), its heap
     * pre-touched and an unmeasured pass with the last thread count first (a new JVM is cold); then
     * one measured run per thread count, in order.
     */
    public List<Result> runForked(boolean warmUp, int... threads)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A heap sized for the consumers' maps, fixed and touched up front like the benchmark's
        // own (see run.sh); the benchmark's 6 GiB twice squeezed the broker's page cache.
        command.add("-Xms" + FORK_HEAP);
        command.add("-Xmx" + FORK_HEAP);
        if (warmUp) {
            command.add("-XX:+AlwaysPreTouch");
        }
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PlainConsumerLimit.class.getName());
        command.add(bootstrapServers);
        command.add(topic);
        command.add(Boolean.toString(warmUp));
        for (int t : threads) {
            command.add(Integer.toString(t));
        }
        Path log = Files.createTempFile("plain-consumer-limit-", ".log");
        try {
            Process process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            if (!process.waitFor(FORK_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "the plain consumer did not finish in "
                                + FORK_TIMEOUT.toMinutes()
                                + " min");
            }
            List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<Result> results = new ArrayList<>();
            for (String line : output) {
                if (line.startsWith(RESULT_LINE)) {
                    String[] f = line.substring(RESULT_LINE.length()).split(" ");
                    results.add(
                            new Result(
                                    Long.parseLong(f[0]),
                                    Long.parseLong(f[1]),
                                    Double.parseDouble(f[2]),
                                    Double.parseDouble(f[3])));
                }
            }
            if (process.exitValue() != 0 || results.size() != threads.length) {
                throw new IllegalStateException(
                        "the plain consumer failed (exit "
                                + process.exitValue()
                                + "):\n"
                                + String.join("\n", output));
            }
            return results;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * The forked program: {@code bootstrapServers topic warmUp threads…}; prints one result line
     * per thread count.
     */
    public static void main(String[] args) throws Exception {
        PlainConsumerLimit limit = new PlainConsumerLimit(args[0], args[1]);
        boolean warmUp = Boolean.parseBoolean(args[2]);
        int[] threads = new int[args.length - 3];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = Integer.parseInt(args[i + 3]);
        }
        if (warmUp && threads.length > 0) {
            limit.run(threads[threads.length - 1]);
        }
        for (int t : threads) {
            Result r = limit.run(t);
            // Doubles as their shortest exact decimal, so the parent reads back the same values.
            System.out.println(
                    RESULT_LINE
                            + r.records()
                            + " "
                            + r.buckets()
                            + " "
                            + r.seconds()
                            + " "
                            + r.cpuSeconds());
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
