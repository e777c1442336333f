package io.deliverymetrics.batch.config;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.config.ConfigLoader;
import io.deliverymetrics.core.config.Settings;
import io.deliverymetrics.core.shard.ShardMap;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.core.time.TierPolicy;
import io.deliverymetrics.sql.GlobalDatabase;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.quartz.CronExpression;

/**
 * The validated configuration of the batch layer: shard, global and control databases, compaction
 * timing, retention, the Quartz schedule and the management endpoints.
 */
public record BatchConfig(
        ShardMap shards,
        GlobalDatabase global,
        Database control,
        boolean migrateOnStartup,
        String pipelineName,
        SpeedLayer speedLayer,
        Compaction compaction,
        Retention retention,
        Schedule schedule,
        Management management) {

    /** Classpath resource with the defaults. */
    public static final String DEFAULTS_RESOURCE = "/delivery-metrics-batch.yaml";

    public BatchConfig {
        Objects.requireNonNull(shards, "shards");
        Objects.requireNonNull(global, "global");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(speedLayer, "speedLayer");
        Objects.requireNonNull(compaction, "compaction");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(management, "management");
        if (pipelineName == null || pipelineName.isBlank() || pipelineName.length() > 64) {
            throw new ConfigException("pipeline-name must be 1 to 64 characters");
        }
        Duration settle = speedLayer.settleTime();
        if (compaction.buffer().compareTo(settle) < 0) {
            throw new ConfigException(
                    "compaction.buffer ("
                            + compaction.buffer()
                            + ") must be at least the speed layer's out-of-orderness + allowed"
                            + " lateness + flush interval ("
                            + settle
                            + "), or compaction would read minutes the job still rewrites");
        }
    }

    /** A JDBC database: URL, credentials and pool size. */
    public record Database(String jdbcUrl, String user, String password, int poolSize) {
        public Database {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
                throw new ConfigException("control.jdbc-url must be a jdbc: URL");
            }
            Objects.requireNonNull(user, "user");
            password = password == null ? "" : password;
            if (poolSize < 2) {
                throw new ConfigException("control.pool-size must be >= 2, was " + poolSize);
            }
        }

        @Override
        public String toString() {
            return "Database[jdbcUrl="
                    + jdbcUrl
                    + ", user="
                    + user
                    + ", poolSize="
                    + poolSize
                    + "]";
        }
    }

    /**
     * The speed layer's timing (its own configuration keys), which bounds how soon a minute is
     * final.
     */
    public record SpeedLayer(
            Duration outOfOrderness, Duration allowedLateness, Duration flushInterval) {
        public SpeedLayer {
            requireNonNegative("watermark.out-of-orderness", outOfOrderness);
            requireNonNegative("window.allowed-lateness", allowedLateness);
            requireNonNegative("sink.flush-interval", flushInterval);
        }

        /** How long after a minute ends the job may still rewrite it. */
        public Duration settleTime() {
            return outOfOrderness.plus(allowedLateness).plus(flushInterval);
        }
    }

    /**
     * Compaction settings.
     *
     * @param buffer a bucket is compacted only once {@code now - buffer} has passed its end
     * @param changeOverlap how far before the last change scan the next one starts again
     * @param chunkSize target rows per write transaction
     * @param fetchSize rows per round trip when streaming finer rows
     * @param blockBuckets consecutive target buckets compacted together
     * @param pairReadMinRows finer rows a block's pairs must average to be read pair by pair
     * @param parallelism shards compacted at once
     * @param shardPoolSize connections per shard pool
     */
    public record Compaction(
            Duration buffer,
            Duration changeOverlap,
            int chunkSize,
            int fetchSize,
            int blockBuckets,
            int pairReadMinRows,
            int parallelism,
            int shardPoolSize) {
        public Compaction {
            requireNonNegative("compaction.buffer", buffer);
            requireNonNegative("compaction.change-overlap", changeOverlap);
            requireAtLeast("compaction.chunk-size", chunkSize, 1);
            requireAtLeast("compaction.fetch-size", fetchSize, 1);
            requireAtLeast("compaction.block-buckets", blockBuckets, 1);
            requireAtLeast("compaction.pair-read-min-rows", pairReadMinRows, 1);
            requireAtLeast("compaction.parallelism", parallelism, 1);
            requireAtLeast("compaction.shard-pool-size", shardPoolSize, 2);
        }
    }

    /**
     * Retention per tier and how many partitions to create ahead of the current one.
     *
     * @param samples how long error samples are kept at most, in every tier ({@code
     *     retention.samples}; each tier keeps them no longer than its own retention either)
     * @param partitionsAhead per tier: days (minute), months (hour), years (day) ahead
     */
    public record Retention(
            TierPolicy policy, Duration samples, Map<Granularity, Integer> partitionsAhead) {
        public Retention {
            Objects.requireNonNull(policy, "policy");
            requirePositive("retention.samples", samples);
            partitionsAhead = Map.copyOf(partitionsAhead);
            for (Granularity g : Granularity.values()) {
                Integer n = partitionsAhead.get(g);
                if (n == null || n < 1 || n > 366) {
                    throw new ConfigException(
                            "retention.partitions-ahead." + g.wireName() + " must be 1..366");
                }
            }
        }
    }

    /**
     * The Quartz schedule.
     *
     * @param instanceId {@code AUTO} or a unique node name
     */
    public record Schedule(
            boolean enabled,
            String hourCompactionCron,
            String dayCompactionCron,
            String retentionCron,
            String schedulerName,
            String instanceId,
            int threadCount,
            Duration clusterCheckinInterval,
            Duration misfireThreshold) {
        public Schedule {
            requireCron("schedule.hour-compaction-cron", hourCompactionCron);
            requireCron("schedule.day-compaction-cron", dayCompactionCron);
            requireCron("schedule.retention-cron", retentionCron);
            if (schedulerName == null || schedulerName.isBlank()) {
                throw new ConfigException("schedule.scheduler-name must not be empty");
            }
            if (instanceId == null || instanceId.isBlank()) {
                throw new ConfigException("schedule.instance-id must not be empty (or AUTO)");
            }
            requireAtLeast("schedule.thread-count", threadCount, 1);
            requirePositive("schedule.cluster-checkin-interval", clusterCheckinInterval);
            requirePositive("schedule.misfire-threshold", misfireThreshold);
        }
    }

    /**
     * The HTTP management endpoints of {@code serve} (Actuator health, metrics, Prometheus).
     *
     * @param port the port of the management server, 0 for a random free one
     * @param healthTimeout how long a database may take to answer a health check
     * @param lagRefreshInterval how often the compaction lag gauges are read from the shards
     *     (besides after every compaction job)
     */
    public record Management(int port, Duration healthTimeout, Duration lagRefreshInterval) {
        public Management {
            if (port < 0 || port > 65535) {
                throw new ConfigException("management.port must be 0..65535, was " + port);
            }
            requirePositive("management.health-timeout", healthTimeout);
            requirePositive("management.lag-refresh-interval", lagRefreshInterval);
        }
    }

    /** Loads the bundled defaults, then {@code --config FILE}, DM_* variables and arguments. */
    public static BatchConfig load(Map<String, String> env, String... args) {
        return from(settings(env, args));
    }

    /** The merged settings (defaults, file, environment, arguments). */
    public static Settings settings(Map<String, String> env, String... args) {
        return ConfigLoader.create()
                .withDefaultsResource(BatchConfig.class, DEFAULTS_RESOURCE)
                .withEnvironment(env)
                .withArgs(args)
                .load();
    }

    /** Builds and validates the config from loaded settings. */
    public static BatchConfig from(Settings s) {
        Map<Granularity, Integer> ahead = new EnumMap<>(Granularity.class);
        for (Granularity g : Granularity.values()) {
            ahead.put(g, s.integer("retention.partitions-ahead." + g.wireName()));
        }
        TierPolicy policy;
        try {
            policy =
                    new TierPolicy(
                            s.duration("retention.minute"),
                            s.duration("retention.hour"),
                            s.duration("retention.day"),
                            TierPolicy.DEFAULT_MAX_POINTS);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid retention: " + e.getMessage(), e);
        }
        ShardMap shards = ShardMap.fromSettings(s);
        return new BatchConfig(
                shards,
                GlobalDatabase.fromSettings(s, shards),
                new Database(
                        s.string("control.jdbc-url"),
                        s.string("control.user", "root"),
                        s.string("control.password", ""),
                        s.integer("control.pool-size")),
                s.bool("migrate-on-startup", true),
                s.string("pipeline-name"),
                new SpeedLayer(
                        s.duration("watermark.out-of-orderness"),
                        s.duration("window.allowed-lateness"),
                        s.duration("sink.flush-interval")),
                new Compaction(
                        s.duration("compaction.buffer"),
                        s.duration("compaction.change-overlap"),
                        s.integer("compaction.chunk-size"),
                        s.integer("compaction.fetch-size"),
                        s.integer("compaction.block-buckets"),
                        s.integer("compaction.pair-read-min-rows"),
                        s.integer("compaction.parallelism"),
                        s.integer("compaction.shard-pool-size")),
                new Retention(policy, s.duration("retention.samples"), ahead),
                new Schedule(
                        s.bool("schedule.enabled", true),
                        s.string("schedule.hour-compaction-cron"),
                        s.string("schedule.day-compaction-cron"),
                        s.string("schedule.retention-cron"),
                        s.string("schedule.scheduler-name"),
                        s.string("schedule.instance-id"),
                        s.integer("schedule.thread-count"),
                        s.duration("schedule.cluster-checkin-interval"),
                        s.duration("schedule.misfire-threshold")),
                new Management(
                        s.integer("management.port"),
                        s.duration("management.health-timeout"),
                        s.duration("management.lag-refresh-interval")));
    }

    private static void requireCron(String key, String cron) {
        if (cron == null || !CronExpression.isValidExpression(cron)) {
            throw new ConfigException(
                    "setting '" + key + "' must be a Quartz cron expression, was '" + cron + "'");
        }
    }

    private static void requireNonNegative(String key, Duration d) {
        if (d == null || d.isNegative()) {
            throw new ConfigException("setting '" + key + "' must not be negative");
        }
    }

    private static void requirePositive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigException("setting '" + key + "' must be a positive duration");
        }
    }

    private static void requireAtLeast(String key, int value, int min) {
        if (value < min) {
            throw new ConfigException("setting '" + key + "' must be >= " + min + ", was " + value);
        }
    }
}
