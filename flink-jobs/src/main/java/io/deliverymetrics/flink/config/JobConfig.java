package io.deliverymetrics.flink.config;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.config.ConfigLoader;
import io.deliverymetrics.core.config.Settings;
import io.deliverymetrics.core.shard.ShardMap;
import io.deliverymetrics.sql.GlobalDatabase;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The validated configuration of the speed-layer job.
 *
 * @param startingOffsets {@code earliest}, {@code latest} or {@code committed}
 * @param stopAtLatest read only up to the offsets that are latest when the job starts, then finish
 *     (a bounded replay or backfill); the final watermark then closes every minute
 * @param consumerProperties Kafka consumer properties of the source, from {@code
 *     kafka.consumer.<property>} (e.g. {@code kafka.consumer.max.poll.records}); the ones the
 *     source sets itself (servers, group, offsets, deserializers) are refused
 * @param maxPairsPerWorkspace distinct active pairs one workspace may have; the attempts of further
 *     pairs are counted in the workspace's overflow pair
 * @param pairIdleTimeout how long after its latest minute a pair stops counting as active
 * @param watermarkPerRecord emit a watermark with every record that raises the maximum event time
 *     ({@code watermark.emit: per-record}) instead of periodically: lateness decisions then follow
 *     the record order exactly, at the cost of more watermarks
 * @param earlyFiringHorizon early firings only for windows that end at most this long before the
 *     processing time at which their first element arrives ({@code window.early-firing-horizon}):
 *     older minutes are being caught up or replayed, and the watermark completes them
 * @param windowAccumulation how the minute windows hold a pair's partials ({@code
 *     window.accumulation}): {@code incremental} merges each into one bucket as it arrives, {@code
 *     on-firing} keeps the partials and merges them when the window fires, {@code auto} chooses
 *     {@code on-firing} on the RocksDB state backend and {@code incremental} otherwise
 * @param stateBackend {@code hashmap} or {@code rocksdb} ({@code checkpoint.state-backend}), or
 *     empty: the Flink configuration decides
 * @param incrementalCheckpoints {@code true} or {@code false} ({@code checkpoint.incremental}), or
 *     empty: the Flink configuration decides
 * @param timers where the RocksDB backend keeps timers, {@code heap} or {@code rocksdb} ({@code
 *     checkpoint.timers}), or empty: the Flink configuration decides (Flink's default: rocksdb)
 * @param global the global database of the per-destination-type roll-up ({@code global.*})
 * @param maxParallelism the job's maximum parallelism ({@code max-parallelism}): the number of key
 *     groups of every keyed operator, stored in each checkpoint and savepoint; a savepoint restores
 *     only into a job with the same number
 */
public record JobConfig(
        String pipelineName,
        int maxParallelism,
        String bootstrapServers,
        String topic,
        String groupId,
        String startingOffsets,
        boolean stopAtLatest,
        String deadLetterTopic,
        String lateTopic,
        Map<String, String> consumerProperties,
        int maxRecordBytes,
        Duration outOfOrderness,
        Duration idleness,
        boolean watermarkPerRecord,
        Duration allowedLateness,
        Duration earlyFiringInterval,
        Duration earlyFiringHorizon,
        Duration lateCountRetention,
        String windowAccumulation,
        Duration preAggregateFlushInterval,
        int preAggregateMaxEntries,
        int maxPairsPerWorkspace,
        Duration pairIdleTimeout,
        boolean samplesEnabled,
        boolean eventsEnabled,
        boolean globalEnabled,
        Duration checkpointInterval,
        String checkpointDir,
        String stateBackend,
        String incrementalCheckpoints,
        String timers,
        int sinkBatchSize,
        Duration sinkFlushInterval,
        int sinkMaxRetries,
        Duration sinkRetryBackoff,
        int restartAttempts,
        Duration restartDelay,
        ShardMap shards,
        GlobalDatabase global)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Flink's upper bound of the maximum parallelism (2^15 key groups). */
    public static final int MAX_PARALLELISM_LIMIT = 32_768;

    /** Consumer properties the source sets itself, with the setting that controls each. */
    private static final Map<String, String> SOURCE_OWNED =
            Map.of(
                    "bootstrap.servers", "kafka.bootstrap-servers",
                    "group.id", "kafka.group-id",
                    "auto.offset.reset", "kafka.starting-offsets",
                    "key.deserializer", "nothing (the job reads raw bytes)",
                    "value.deserializer", "nothing (the job reads raw bytes)",
                    "commit.offsets.on.checkpoint", "nothing (offsets commit on checkpoints)");

    public JobConfig {
        Objects.requireNonNull(shards, "shards");
        Objects.requireNonNull(global, "global");
        requireText("pipeline-name", pipelineName);
        if (pipelineName.length() > 64) {
            throw new ConfigException("pipeline-name must be at most 64 characters");
        }
        if (maxParallelism < 1 || maxParallelism > MAX_PARALLELISM_LIMIT) {
            throw new ConfigException(
                    "max-parallelism must be between 1 and "
                            + MAX_PARALLELISM_LIMIT
                            + ", was "
                            + maxParallelism);
        }
        requireText("kafka.bootstrap-servers", bootstrapServers);
        requireText("kafka.topic", topic);
        requireText("kafka.group-id", groupId);
        requireText("kafka.dead-letter-topic", deadLetterTopic);
        requireText("kafka.late-topic", lateTopic);
        consumerProperties = Collections.unmodifiableMap(new TreeMap<>(consumerProperties));
        for (String key : consumerProperties.keySet()) {
            String owner = SOURCE_OWNED.get(key);
            if (owner != null) {
                throw new ConfigException(
                        "kafka.consumer." + key + " is set by the job; use " + owner + " instead");
            }
        }
        if (!startingOffsets.equals("earliest")
                && !startingOffsets.equals("latest")
                && !startingOffsets.equals("committed")) {
            throw new ConfigException(
                    "kafka.starting-offsets must be earliest, latest or committed, was "
                            + startingOffsets);
        }
        requireNonNegative("watermark.out-of-orderness", outOfOrderness);
        requirePositive("watermark.idleness", idleness);
        requireNonNegative("window.allowed-lateness", allowedLateness);
        requirePositive("window.early-firing-interval", earlyFiringInterval);
        requirePositive("window.early-firing-horizon", earlyFiringHorizon);
        if (!List.of("auto", "incremental", "on-firing").contains(windowAccumulation)) {
            throw new ConfigException(
                    "window.accumulation must be auto, incremental or on-firing, was '"
                            + windowAccumulation
                            + "'");
        }
        requirePositive("window.late-count-retention", lateCountRetention);
        requirePositive("pre-aggregate.flush-interval", preAggregateFlushInterval);
        if (maxPairsPerWorkspace < 1) {
            throw new ConfigException("cardinality.max-pairs-per-workspace must be >= 1");
        }
        requirePositive("cardinality.pair-idle-timeout", pairIdleTimeout);
        if (preAggregateMaxEntries < 1) {
            throw new ConfigException(
                    "pre-aggregate.max-entries must be >= 1 (1 turns pre-aggregation off)");
        }
        requirePositive("checkpoint.interval", checkpointInterval);
        Objects.requireNonNull(checkpointDir, "checkpointDir");
        requireOneOf("checkpoint.state-backend", stateBackend, "hashmap", "rocksdb");
        requireOneOf("checkpoint.incremental", incrementalCheckpoints, "true", "false");
        requireOneOf("checkpoint.timers", timers, "heap", "rocksdb");
        requirePositive("sink.flush-interval", sinkFlushInterval);
        requirePositive("sink.retry-backoff", sinkRetryBackoff);
        requirePositive("restart.delay", restartDelay);
        if (sinkBatchSize < 1
                || sinkMaxRetries < 0
                || restartAttempts < 0
                || maxRecordBytes < 256) {
            throw new ConfigException(
                    "sink.batch-size must be >= 1, sink.max-retries and restart.attempts >= 0,"
                            + " parser.max-record-bytes >= 256");
        }
    }

    /** Loads defaults from the bundled YAML, then {@code --config}, DM_* env vars and arguments. */
    public static JobConfig load(Map<String, String> env, String... args) {
        Settings s =
                ConfigLoader.create()
                        .withDefaultsResource(JobConfig.class, "/delivery-metrics-job.yaml")
                        .withEnvironment(env)
                        .withArgs(args)
                        .load();
        return from(s);
    }

    /** Builds the config from already loaded settings. */
    public static JobConfig from(Settings s) {
        return new JobConfig(
                s.string("pipeline-name"),
                s.integer("max-parallelism", 128),
                s.string("kafka.bootstrap-servers"),
                s.string("kafka.topic"),
                s.string("kafka.group-id"),
                s.string("kafka.starting-offsets", "committed"),
                s.bool("kafka.stop-at-latest", false),
                s.string("kafka.dead-letter-topic"),
                s.string("kafka.late-topic"),
                s.section("kafka.consumer").asMap(),
                s.integer("parser.max-record-bytes", 16_384),
                s.duration("watermark.out-of-orderness"),
                s.duration("watermark.idleness"),
                s.string("watermark.emit", "periodic").equals("per-record"),
                s.duration("window.allowed-lateness"),
                s.duration("window.early-firing-interval"),
                s.duration("window.early-firing-horizon", Duration.ofMinutes(10)),
                s.duration("window.late-count-retention"),
                s.string("window.accumulation", "auto"),
                s.duration("pre-aggregate.flush-interval", Duration.ofSeconds(1)),
                s.integer("pre-aggregate.max-entries", 20_000),
                s.integer("cardinality.max-pairs-per-workspace", 20_000),
                s.duration("cardinality.pair-idle-timeout", Duration.ofHours(24)),
                s.bool("samples.enabled", true),
                s.bool("events.enabled", true),
                s.bool("global.enabled", true),
                s.duration("checkpoint.interval"),
                s.string("checkpoint.dir", ""),
                s.string("checkpoint.state-backend", ""),
                s.string("checkpoint.incremental", ""),
                s.string("checkpoint.timers", ""),
                s.integer("sink.batch-size"),
                s.duration("sink.flush-interval"),
                s.integer("sink.max-retries"),
                s.duration("sink.retry-backoff"),
                s.integer("restart.attempts"),
                s.duration("restart.delay"),
                ShardMap.fromSettings(s),
                GlobalDatabase.fromSettings(s, ShardMap.fromSettings(s)));
    }

    private static void requireText(String key, String v) {
        if (v == null || v.isBlank()) {
            throw new ConfigException("setting '" + key + "' must not be empty");
        }
    }

    /** {@code value} is one of {@code allowed} or empty (the Flink configuration decides). */
    private static void requireOneOf(String key, String value, String... allowed) {
        if (!value.isEmpty() && !List.of(allowed).contains(value)) {
            throw new ConfigException(
                    key
                            + " must be "
                            + String.join(", ", allowed)
                            + " or empty (the Flink configuration decides), was '"
                            + value
                            + "'");
        }
    }

    private static void requirePositive(String key, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ConfigException("setting '" + key + "' must be a positive duration");
        }
    }

    private static void requireNonNegative(String key, Duration d) {
        if (d == null || d.isNegative()) {
            throw new ConfigException("setting '" + key + "' must not be negative");
        }
    }
}
