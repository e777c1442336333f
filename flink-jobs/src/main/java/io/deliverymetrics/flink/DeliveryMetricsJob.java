package io.deliverymetrics.flink;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.flink.config.JobConfig;
import io.deliverymetrics.flink.functions.AttemptDeserializer;
import io.deliverymetrics.flink.functions.BucketAggregator;
import io.deliverymetrics.flink.functions.DestinationTypeSightings;
import io.deliverymetrics.flink.functions.EarlyFiringTrigger;
import io.deliverymetrics.flink.functions.EmitMinute;
import io.deliverymetrics.flink.functions.EmitTypeMinute;
import io.deliverymetrics.flink.functions.FinalMinuteTotals;
import io.deliverymetrics.flink.functions.LateRecordCounter;
import io.deliverymetrics.flink.functions.LateSplitter;
import io.deliverymetrics.flink.functions.LatenessGuard;
import io.deliverymetrics.flink.functions.MergeOnFiring;
import io.deliverymetrics.flink.functions.MinutePreAggregator;
import io.deliverymetrics.flink.functions.PairCardinalityGuard;
import io.deliverymetrics.flink.functions.PerRecordWatermarks;
import io.deliverymetrics.flink.functions.RouteParsed;
import io.deliverymetrics.flink.functions.ShardSplitter;
import io.deliverymetrics.flink.functions.TypeRollupAggregator;
import io.deliverymetrics.flink.model.DeadLetter;
import io.deliverymetrics.flink.model.MinutePartial;
import io.deliverymetrics.flink.model.MinuteUpdate;
import io.deliverymetrics.flink.model.ParsedRecord;
import io.deliverymetrics.flink.model.TypeMinuteUpdate;
import io.deliverymetrics.flink.sink.DeadLetterSerializer;
import io.deliverymetrics.flink.sink.GlobalJdbcSink;
import io.deliverymetrics.flink.sink.LateRecordSerializer;
import io.deliverymetrics.flink.sink.ShardJdbcSink;
import io.deliverymetrics.flink.typeinfo.MetricBucketTypeInfo;
import io.deliverymetrics.flink.typeinfo.MinutePartialTypeInfo;
import io.deliverymetrics.flink.typeinfo.TypeRollupTypeInfo;
import io.deliverymetrics.sql.Migrator;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.function.IntFunction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The speed layer: Kafka delivery attempts → parse → event-time watermarks → pre-aggregate per
 * (pair, minute) within each source subtask → key by pair → 1-minute windows with early firings and
 * allowed lateness → each pair's running totals over its final minutes → route by shard → overwrite
 * upserts into each shard's {@code delivery_metrics_minute} and {@code delivery_totals} (and each
 * destination's newest type into {@code destination_types}); the same partials rolled up per
 * destination type and minute into the global database; bad records to the dead-letter topic,
 * too-late records to the late topic and counted per pair and minute.
 *
 * <p>{@link #build} wires the pipeline from a source and sinks given as arguments; {@link #main}
 * supplies the production Kafka and JDBC parts. Tests call {@code build} with the same parts.
 */
public final class DeliveryMetricsJob {

    /**
     * Name of the global database's sink, which runs at parallelism 1 whatever the job's: a few
     * rows per destination type and firing need one writer and one progress row.
     */
    public static final String GLOBAL_ROWS = "global-type-rows";

    /**
     * Where the RocksDB backend keeps timers (its {@code RocksDBOptions.TIMER_SERVICE_FACTORY}, by
     * key: the backend is on the cluster's class path, not this job's).
     */
    private static final ConfigOption<String> TIMER_SERVICE_FACTORY =
            ConfigOptions.key("state.backend.rocksdb.timer-service.factory")
                    .stringType()
                    .noDefaultValue();

    /** Too-late attempts, as diverted by the {@link LatenessGuard}. */
    public static final OutputTag<DeliveryAttempt> LATE =
            new OutputTag<>("too-late", TypeInformation.of(DeliveryAttempt.class));

    /** Too-late partials, as emitted by the window operator. */
    public static final OutputTag<MinutePartial> LATE_PARTIALS =
            new OutputTag<>("too-late-partials", MinutePartialTypeInfo.INSTANCE);

    private DeliveryMetricsJob() {}

    /** The sinks of the pipeline, so tests can wrap or replace any of them. */
    public record Sinks(
            IntFunction<Sink<MinuteUpdate>> shardSink,
            Sink<DeadLetter> deadLetters,
            Sink<DeliveryAttempt> lateRecords,
            Sink<TypeMinuteUpdate> globalRows) {}

    public static void main(String[] args) throws Exception {
        JobConfig config = JobConfig.load(System.getenv(), args);
        Migrator.migrateShards(config.shards());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        build(env, config, kafkaSource(config), productionSinks(config));
        env.execute(config.pipelineName());
    }

    /**
     * Flink settings the job relies on: maximum parallelism, restart strategy, no Kryo fallback,
     * object reuse, and the checkpoint directory when {@code checkpoint.dir} is set.
     */
    public static Configuration flinkConfiguration(JobConfig config) {
        Configuration c = new Configuration();
        // The key groups of every keyed operator. Set here, not derived by Flink from the first
        // run's parallelism, so that every savepoint of this pipeline has the same number and
        // restores at any parallelism up to it (flink-jobs/README.md, "Maximum parallelism").
        c.set(PipelineOptions.MAX_PARALLELISM, config.maxParallelism());
        c.set(PipelineOptions.GENERIC_TYPES, false);
        // Every record type is an immutable Java record and no function keeps a reference to its
        // input, so chained operators may pass objects on instead of deep-copying each one.
        c.set(PipelineOptions.OBJECT_REUSE, true);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                config.restartAttempts());
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, config.restartDelay());
        if (!config.checkpointDir().isBlank()) {
            c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir());
        }
        if (!config.stateBackend().isEmpty()) {
            c.set(StateBackendOptions.STATE_BACKEND, config.stateBackend());
        }
        if (!config.timers().isEmpty()) {
            c.set(TIMER_SERVICE_FACTORY, config.timers().toUpperCase(Locale.ROOT));
        }
        if (!config.incrementalCheckpoints().isEmpty()) {
            c.set(
                    CheckpointingOptions.INCREMENTAL_CHECKPOINTS,
                    Boolean.parseBoolean(config.incrementalCheckpoints()));
        }
        return c;
    }

    /** Wires the pipeline into {@code env}. */
    public static void build(
            StreamExecutionEnvironment env,
            JobConfig config,
            Source<ParsedRecord, ?, ?> source,
            Sinks sinks) {
        env.enableCheckpointing(config.checkpointInterval().toMillis());

        WatermarkStrategy<ParsedRecord> watermarks =
                (config.watermarkPerRecord()
                                ? WatermarkStrategy.<ParsedRecord>forGenerator(
                                        ctx -> new PerRecordWatermarks<>(config.outOfOrderness()))
                                : WatermarkStrategy.<ParsedRecord>forBoundedOutOfOrderness(
                                        config.outOfOrderness()))
                        // Rejected records carry no event time; MIN_VALUE keeps them from moving
                        // the watermark.
                        .withTimestampAssigner(
                                (r, kafkaTs) ->
                                        r.isValid()
                                                ? r.attempt().eventTimeMillis()
                                                : Long.MIN_VALUE)
                        .withIdleness(config.idleness());

        SingleOutputStreamOperator<DeliveryAttempt> attempts =
                env.fromSource(source, watermarks, "delivery-attempts")
                        .uid("source-delivery-attempts")
                        .process(new RouteParsed(config.samplesEnabled(), config.eventsEnabled()))
                        .uid("route-parsed")
                        .name("parse-and-route");

        attempts.getSideOutput(RouteParsed.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters())
                .uid("sink-dead-letters")
                .name("dead-letter-topic");

        SingleOutputStreamOperator<DeliveryAttempt> guarded =
                attempts.transform(
                                "lateness-guard",
                                TypeInformation.of(DeliveryAttempt.class),
                                new LatenessGuard(LATE, config.allowedLateness()))
                        .uid("lateness-guard");

        SingleOutputStreamOperator<MinutePartial> partials =
                guarded.transform(
                                "pre-aggregate",
                                MinutePartialTypeInfo.INSTANCE,
                                new MinutePreAggregator(
                                        config.preAggregateFlushInterval(),
                                        config.preAggregateMaxEntries()))
                        .uid("pre-aggregate");

        // Keyed by workspace: each workspace's distinct active pairs are capped before they
        // become window keys.
        SingleOutputStreamOperator<MinutePartial> capped =
                partials.keyBy(p -> p.pair().workspaceId(), Types.STRING)
                        .process(
                                new PairCardinalityGuard(
                                        config.maxPairsPerWorkspace(), config.pairIdleTimeout()),
                                MinutePartialTypeInfo.INSTANCE)
                        .uid("pair-cardinality-guard")
                        .name("pair-cardinality-guard");

        boolean onFiring = mergesOnFiring(env, config);
        WindowedStream<MinutePartial, PairKey, TimeWindow> pairWindows =
                minuteWindows(
                                capped.keyBy(
                                        MinutePartial::pair, TypeInformation.of(PairKey.class)),
                                config,
                                onFiring)
                        .sideOutputLateData(LATE_PARTIALS);
        EmitMinute emit = new EmitMinute(config.samplesEnabled(), config.eventsEnabled());
        // Either way the window's state has the uid below; a savepoint restores only into a job
        // that holds its partials the same way (flink-jobs/README.md, "Window accumulation").
        SingleOutputStreamOperator<MinuteUpdate> minutes =
                (onFiring
                                ? pairWindows.process(
                                        new MergeOnFiring(emit),
                                        TypeInformation.of(MinuteUpdate.class))
                                : pairWindows.aggregate(
                                        new BucketAggregator(),
                                        emit,
                                        MetricBucketTypeInfo.INSTANCE,
                                        MetricBucketTypeInfo.INSTANCE,
                                        TypeInformation.of(MinuteUpdate.class)))
                        .uid("minute-windows")
                        .name("minute-windows");

        // The same partials rolled up per destination type and minute over all workspaces, with the
        // same windows. A partial too late here is too late for its pair window as well (same
        // input, same watermark): counted there, dropped here (numLateRecordsDropped).
        if (config.globalEnabled()) {
            SingleOutputStreamOperator<MinutePartial> forTypes =
                    capped.map(MinutePartial::forTypeRollup, MinutePartialTypeInfo.INSTANCE)
                            .uid("type-rollup-partials")
                            .name("type-rollup-partials");
            minuteWindows(
                            forTypes.keyBy(MinutePartial::destinationType, Types.STRING),
                            config,
                            false)
                    .aggregate(
                            new TypeRollupAggregator(),
                            new EmitTypeMinute(),
                            TypeRollupTypeInfo.INSTANCE,
                            TypeRollupTypeInfo.INSTANCE,
                            TypeInformation.of(TypeMinuteUpdate.class))
                    .uid("destination-type-windows")
                    .name("destination-type-windows")
                    .sinkTo(sinks.globalRows())
                    // A few rows per type and firing: one writer, one progress row.
                    .setParallelism(1)
                    .uid("sink-global")
                    .name(GLOBAL_ROWS);
        }

        // Too late: from the guard as attempts, from the windows as partials (see
        // MinutePreAggregator for when the windows see any). Lone attempts go to the late topic
        // as they came; every attempt is counted.
        SingleOutputStreamOperator<MinutePartial> late =
                guarded.getSideOutput(LATE)
                        .map(MinutePartial::of, MinutePartialTypeInfo.INSTANCE)
                        .uid("late-attempts-as-partials")
                        .name("late-attempts")
                        .union(minutes.getSideOutput(LATE_PARTIALS))
                        .process(new LateSplitter(), MinutePartialTypeInfo.INSTANCE)
                        .uid("late-splitter")
                        .name("late-splitter");
        late.getSideOutput(LateSplitter.SINGLES)
                .sinkTo(sinks.lateRecords())
                .uid("sink-late-records")
                .name("late-topic");
        DataStream<MinuteUpdate> lateCounts =
                late.keyBy(LateRecordCounter::key)
                        .process(new LateRecordCounter(config.lateCountRetention()))
                        .uid("late-counter")
                        .name("late-counter");

        // Same key as the windows, so the running totals chain to them without a shuffle.
        SingleOutputStreamOperator<MinuteUpdate> minutesAndTotals =
                DataStreamUtils.reinterpretAsKeyedStream(
                                minutes, MinuteUpdate::pair, TypeInformation.of(PairKey.class))
                        .process(
                                new FinalMinuteTotals(config.allowedLateness()),
                                TypeInformation.of(MinuteUpdate.class))
                        .uid("final-minute-totals")
                        .name("final-minute-totals");

        // Which type each destination's records name, for the shards' destination_types rows
        // (the pair responses' destination status). From the capped partials: the pair cap bounds
        // these rows too.
        DataStream<MinuteUpdate> destinationTypes =
                capped.flatMap(
                                new DestinationTypeSightings(),
                                TypeInformation.of(MinuteUpdate.class))
                        .uid("destination-type-sightings")
                        .name("destination-type-sightings");

        ShardRouter router = new ShardRouter(config.shards());
        SingleOutputStreamOperator<MinuteUpdate> routed =
                minutesAndTotals
                        .union(lateCounts, destinationTypes)
                        .process(new ShardSplitter(router))
                        .uid("shard-router")
                        .name("route-by-shard");
        for (Shard shard : config.shards().shards()) {
            routed.getSideOutput(ShardSplitter.tagFor(shard.id()))
                    .sinkTo(sinks.shardSink().apply(shard.id()))
                    .uid("sink-shard-" + shard.id())
                    .name("shard-" + shard.id() + "-minute-rows");
        }
    }

    /**
     * Whether the minute windows keep their partials and merge them when they fire ({@code
     * window.accumulation}; {@code auto}: on the RocksDB state backend of the environment).
     */
    public static boolean mergesOnFiring(StreamExecutionEnvironment env, JobConfig config) {
        return switch (config.windowAccumulation()) {
            case "on-firing" -> true;
            case "incremental" -> false;
            default ->
                    "rocksdb"
                            .equalsIgnoreCase(
                                    env.getConfiguration().get(StateBackendOptions.STATE_BACKEND));
        };
    }

    /** 1-minute event-time windows with the job's allowed lateness and early firings. */
    /**
     * Tumbling minute windows with the early-firing trigger; {@code purging} for a window function
     * that keeps what it has merged ({@link MergeOnFiring}).
     */
    private static <K> WindowedStream<MinutePartial, K, TimeWindow> minuteWindows(
            KeyedStream<MinutePartial, K> keyed, JobConfig config, boolean purging) {
        EarlyFiringTrigger trigger =
                EarlyFiringTrigger.every(config.earlyFiringInterval())
                        .within(config.earlyFiringHorizon());
        return keyed.window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .allowedLateness(config.allowedLateness())
                .trigger(purging ? trigger.purging() : trigger);
    }

    /** The Kafka source of the contract topic. */
    public static KafkaSource<ParsedRecord> kafkaSource(JobConfig config) {
        OffsetsInitializer offsets =
                switch (config.startingOffsets()) {
                    case "earliest" -> OffsetsInitializer.earliest();
                    case "latest" -> OffsetsInitializer.latest();
                    default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                };
        KafkaSourceBuilder<ParsedRecord> builder =
                KafkaSource.<ParsedRecord>builder()
                        .setBootstrapServers(config.bootstrapServers())
                        .setTopics(config.topic())
                        .setGroupId(config.groupId())
                        .setStartingOffsets(offsets)
                        .setDeserializer(new AttemptDeserializer(config.maxRecordBytes()))
                        .setProperties(sourceProperties(config));
        if (config.stopAtLatest()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * The Kafka properties {@link #kafkaSource} passes on besides servers, topic, group, offsets
     * and deserializer: offsets committed on checkpoints, then {@code kafka.consumer.<property>}.
     */
    public static Properties sourceProperties(JobConfig config) {
        Properties props = new Properties();
        props.setProperty("commit.offsets.on.checkpoint", "true");
        props.putAll(config.consumerProperties());
        return props;
    }

    /** Production sinks: one JDBC sink per shard, dead-letter and late topics. */
    public static Sinks productionSinks(JobConfig config) {
        return new Sinks(
                shardId -> shardSink(config, config.shards().shard(shardId)),
                KafkaSink.<DeadLetter>builder()
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(new DeadLetterSerializer(config.deadLetterTopic()))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build(),
                KafkaSink.<DeliveryAttempt>builder()
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(new LateRecordSerializer(config.lateTopic()))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build(),
                globalSink(config));
    }

    /** The JDBC sink of the destination-type rows in the global database. */
    public static GlobalJdbcSink globalSink(JobConfig config) {
        return new GlobalJdbcSink(
                config.global(),
                config.pipelineName(),
                config.allowedLateness(),
                config.sinkBatchSize(),
                config.sinkFlushInterval(),
                config.sinkMaxRetries(),
                config.sinkRetryBackoff());
    }

    /** The JDBC sink of one shard, configured from {@code config}. */
    public static ShardJdbcSink shardSink(JobConfig config, Shard shard) {
        return ShardJdbcSink.builder()
                .withShard(shard)
                .withPipelineName(config.pipelineName())
                .withAllowedLateness(config.allowedLateness())
                .withBatchSize(config.sinkBatchSize())
                .withFlushInterval(config.sinkFlushInterval())
                .withRetries(config.sinkMaxRetries(), config.sinkRetryBackoff())
                .buildAtLeastOnce();
    }
}
