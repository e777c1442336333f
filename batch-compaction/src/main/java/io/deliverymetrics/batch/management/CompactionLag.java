package io.deliverymetrics.batch.management;

import io.deliverymetrics.batch.internal.DatabaseProbe;
import io.deliverymetrics.batch.internal.ShardCompactor;
import io.deliverymetrics.batch.model.TierStatus;
import io.deliverymetrics.core.time.Granularity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compaction lag of every shard and tier ({@code compaction_progress} against what may be
 * compacted now), read through the health probe and published as the gauge {@value
 * CompactionMetrics#LAG_BUCKETS} (NaN while a shard does not answer). Refreshed on a fixed
 * schedule, after every compaction job and by every health check.
 */
public final class CompactionLag implements AutoCloseable {

    /** The compacted tiers. */
    public static final List<Granularity> TIERS = List.of(Granularity.HOUR, Granularity.DAY);

    private static final Logger LOG = LoggerFactory.getLogger(CompactionLag.class);

    private final List<Shard> shards = new ArrayList<>();
    private final DatabaseProbe probe;
    private final Duration refreshInterval;
    private final ScheduledExecutorService scheduler;

    /**
     * @param compactors one per shard, in shard-id order
     * @param writers the connection pool of each shard, in shard-id order
     */
    public CompactionLag(
            List<ShardCompactor> compactors,
            List<? extends DataSource> writers,
            DatabaseProbe probe,
            MeterRegistry registry,
            Duration refreshInterval) {
        if (compactors.size() != writers.size()) {
            throw new IllegalArgumentException(
                    compactors.size() + " compactors for " + writers.size() + " shards");
        }
        for (int i = 0; i < compactors.size(); i++) {
            Shard s = new Shard(compactors.get(i), writers.get(i));
            for (int t = 0; t < TIERS.size(); t++) {
                int tier = t;
                Gauge.builder(CompactionMetrics.LAG_BUCKETS, s, x -> x.lag(tier))
                        .description(
                                "Complete target buckets not compacted yet (NaN: shard not"
                                        + " answering)")
                        .tag("tier", TIERS.get(t).wireName())
                        .tag("shard", Integer.toString(i))
                        .register(registry);
            }
            shards.add(s);
        }
        this.probe = probe;
        this.refreshInterval = refreshInterval;
        this.scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "dm-lag-refresh");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Starts the periodic refresh (the first one right away). */
    public void start() {
        scheduler.scheduleWithFixedDelay(
                this::refreshAll, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int shardCount() {
        return shards.size();
    }

    /**
     * Reads the status of both tiers of one shard (after {@code SELECT 1}, within the probe's
     * timeout) and updates its gauges.
     *
     * @throws DatabaseProbe.UnavailableException when the shard does not answer in time; its gauges
     *     are NaN then
     */
    public List<TierStatus> refresh(int shardId) throws DatabaseProbe.UnavailableException {
        Shard s = shards.get(shardId);
        // One refresh of a shard at a time, so the value read last is the one published.
        synchronized (s) {
            return refresh(shardId, s);
        }
    }

    private List<TierStatus> refresh(int shardId, Shard s)
            throws DatabaseProbe.UnavailableException {
        try {
            List<TierStatus> statuses =
                    probe.probe(
                            s.writer,
                            c -> {
                                List<TierStatus> out = new ArrayList<>();
                                for (Granularity tier : TIERS) {
                                    out.add(s.compactor.status(c, tier));
                                }
                                return out;
                            });
            for (int t = 0; t < TIERS.size(); t++) {
                s.setLag(t, statuses.get(t).lagBuckets());
            }
            if (s.failing.compareAndSet(true, false)) {
                LOG.info("Shard {} answers again", shardId);
            }
            return statuses;
        } catch (DatabaseProbe.UnavailableException e) {
            for (int t = 0; t < TIERS.size(); t++) {
                s.setLag(t, Double.NaN);
            }
            if (s.failing.compareAndSet(false, true)) {
                LOG.warn("Shard {} does not answer: {}", shardId, e.getMessage());
            }
            throw e;
        }
    }

    /** Refreshes every shard; one that does not answer gets NaN gauges and is skipped. */
    public void refreshAll() {
        for (int id = 0; id < shards.size(); id++) {
            try {
                refresh(id);
            } catch (DatabaseProbe.UnavailableException e) {
                // Warned once, when the shard stopped answering; its gauges say NaN meanwhile.
                LOG.debug("Shard {} lag not refreshed: {}", id, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** One shard's compactor, pool and last lag per tier (as double bits, read by scrapes). */
    private static final class Shard {
        final ShardCompactor compactor;
        final DataSource writer;
        final AtomicLongArray lagBits = new AtomicLongArray(TIERS.size());
        final AtomicBoolean failing = new AtomicBoolean();

        Shard(ShardCompactor compactor, DataSource writer) {
            this.compactor = compactor;
            this.writer = writer;
            for (int t = 0; t < TIERS.size(); t++) {
                setLag(t, Double.NaN);
            }
        }

        double lag(int tier) {
            return Double.longBitsToDouble(lagBits.get(tier));
        }

        void setLag(int tier, double value) {
            lagBits.set(tier, Double.doubleToLongBits(value));
        }
    }
}
