package io.deliverymetrics.bench.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples a consumer group's backlog on a topic from a thread of its own, with the Kafka admin
 * client: the records between its committed offsets and the partitions' end offsets, and how long
 * ago the newest committed record was the end of its partition (the oldest such age over the
 * partitions), to within one sampling interval. A job that commits on checkpoints (as the Flink
 * Kafka source does) lags by up to a checkpoint interval even when it keeps up.
 */
public final class ConsumerLag implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);
    private static final long TIMEOUT_SECONDS = 10;

    /**
     * One sample.
     *
     * @param atMs when it was taken, on the sampler's clock
     * @param records end offset − committed offset, summed over the partitions
     * @param seconds how long before {@code atMs} the committed offsets were the end offsets
     */
    public record Sample(long atMs, long records, double seconds) {}

    private final Admin admin;
    private final String group;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Clock clock;
    private final long intervalMs;
    private final List<Sample> samples = new ArrayList<>();
    private final List<long[]> endHistory = new ArrayList<>();
    private final List<Long> endTimes = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile String firstFailure;

    private ConsumerLag(
            Admin admin,
            String topic,
            int partitionCount,
            String group,
            Clock clock,
            Duration interval) {
        this.admin = admin;
        this.group = group;
        this.clock = clock;
        this.intervalMs = interval.toMillis();
        for (int p = 0; p < partitionCount; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        this.thread = new Thread(this::loop, "bench-consumer-lag");
        thread.setDaemon(true);
    }

    /** Starts sampling {@code group}'s backlog on {@code topic} every {@code interval}. */
    public static ConsumerLag start(
            Admin admin,
            String topic,
            int partitionCount,
            String group,
            Clock clock,
            Duration interval) {
        ConsumerLag lag = new ConsumerLag(admin, topic, partitionCount, group, clock, interval);
        lag.thread.start();
        return lag;
    }

    private void loop() {
        while (!stopped) {
            long started = clock.millis();
            try {
                sample();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                if (firstFailure == null) {
                    firstFailure = e.toString();
                    LOG.warn("consumer lag: sampling failed: {}", e.toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long sleep = started + intervalMs - clock.millis();
            if (sleep > 0) {
                try {
                    TimeUnit.MILLISECONDS.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void sample() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long at = clock.millis();
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long[] end = new long[partitions.size()];
        for (int i = 0; i < end.length; i++) {
            end[i] = ends.get(partitions.get(i)).offset();
        }
        synchronized (this) {
            endHistory.add(end);
            endTimes.add(at);
            long records = 0;
            long oldest = at;
            for (int i = 0; i < end.length; i++) {
                OffsetAndMetadata c = committed.get(partitions.get(i));
                if (c == null) {
                    // Nothing committed yet (before the job's first checkpoint): no sample.
                    return;
                }
                records += Math.max(0, end[i] - c.offset());
                if (c.offset() < end[i]) {
                    oldest = Math.min(oldest, firstTimeEndReached(i, c.offset()));
                }
            }
            samples.add(new Sample(at, records, (at - oldest) / 1e3));
        }
    }

    /** The first sample time at which partition {@code i}'s end had reached {@code offset}. */
    private long firstTimeEndReached(int i, long offset) {
        for (int k = 0; k < endHistory.size(); k++) {
            if (endHistory.get(k)[i] >= offset) {
                return endTimes.get(k);
            }
        }
        return endTimes.get(endTimes.size() - 1);
    }

    /** The samples taken from {@code fromMs} (inclusive) to {@code toMs} (exclusive). */
    public synchronized List<Sample> between(long fromMs, long toMs) {
        return samples.stream().filter(s -> s.atMs() >= fromMs && s.atMs() < toMs).toList();
    }

    /** The first failure of a sample, or null. */
    public String firstFailure() {
        return firstFailure;
    }

    /** Stops sampling (the admin client stays the caller's). */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS * 3));
    }
}
