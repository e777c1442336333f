package io.deliverymetrics.flink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.flink.DeliveryMetricsJob;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class JobConfigTest {

    @Test
    void shouldCheckpointToTheConfiguredDirectoryInsteadOfJobManagerMemory() {
        JobConfig config = JobConfig.load(Map.of(), "--checkpoint.dir=file:///var/dm/checkpoints");

        Configuration flink = DeliveryMetricsJob.flinkConfiguration(config);

        assertThat(flink.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("file:///var/dm/checkpoints");
    }

    @Test
    void shouldKeepErrorSamplesByDefaultAndTurnThemOff() {
        assertThat(JobConfig.load(Map.of()).samplesEnabled()).isTrue();
        assertThat(JobConfig.load(Map.of(), "--samples.enabled=false").samplesEnabled()).isFalse();
    }

    @Test
    void shouldLeaveCheckpointStorageToTheFlinkConfigurationByDefault() {
        Configuration flink = DeliveryMetricsJob.flinkConfiguration(JobConfig.load(Map.of()));

        assertThat(flink.contains(CheckpointingOptions.CHECKPOINT_STORAGE)).isFalse();
        assertThat(flink.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isFalse();
    }

    @Test
    void shouldLeaveTheStateBackendToTheFlinkConfigurationUnlessOneIsNamed() {
        Configuration byDefault = DeliveryMetricsJob.flinkConfiguration(JobConfig.load(Map.of()));
        Configuration rocks =
                DeliveryMetricsJob.flinkConfiguration(
                        JobConfig.load(
                                Map.of(),
                                "--checkpoint.state-backend=rocksdb",
                                "--checkpoint.incremental=true"));

        assertThat(byDefault.contains(StateBackendOptions.STATE_BACKEND)).isFalse();
        assertThat(byDefault.contains(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
        assertThat(rocks.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(rocks.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(byDefault.toMap())
                .containsEntry("state.backend.rocksdb.timer-service.factory", "HEAP");
        assertThat(
                        DeliveryMetricsJob.flinkConfiguration(
                                        JobConfig.load(Map.of(), "--checkpoint.timers="))
                                .toMap())
                .doesNotContainKey("state.backend.rocksdb.timer-service.factory");
        assertThatThrownBy(() -> JobConfig.load(Map.of(), "--checkpoint.timers=disk"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("checkpoint.timers");
        assertThatThrownBy(() -> JobConfig.load(Map.of(), "--checkpoint.state-backend=rocks"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("checkpoint.state-backend");
        assertThatThrownBy(() -> JobConfig.load(Map.of(), "--checkpoint.incremental=yes"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("checkpoint.incremental");
    }

    @Test
    void shouldHoldTheWindowsPartialsAsAListOnRocksDbUnlessToldOtherwise() {
        JobConfig auto = JobConfig.load(Map.of());
        JobConfig namedRocks = JobConfig.load(Map.of(), "--checkpoint.state-backend=rocksdb");
        StreamExecutionEnvironment heap = new StreamExecutionEnvironment(new Configuration());
        Configuration rocksCluster = new Configuration();
        rocksCluster.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        StreamExecutionEnvironment rocks = new StreamExecutionEnvironment(rocksCluster);

        assertThat(auto.windowAccumulation()).isEqualTo("auto");
        assertThat(DeliveryMetricsJob.mergesOnFiring(heap, auto)).isFalse();
        assertThat(DeliveryMetricsJob.mergesOnFiring(rocks, auto)).isTrue();
        assertThat(
                        DeliveryMetricsJob.mergesOnFiring(
                                new StreamExecutionEnvironment(
                                        DeliveryMetricsJob.flinkConfiguration(namedRocks)),
                                namedRocks))
                .isTrue();
        assertThat(
                        DeliveryMetricsJob.mergesOnFiring(
                                rocks,
                                JobConfig.load(Map.of(), "--window.accumulation=incremental")))
                .isFalse();
        assertThat(
                        DeliveryMetricsJob.mergesOnFiring(
                                heap, JobConfig.load(Map.of(), "--window.accumulation=on-firing")))
                .isTrue();
        assertThatThrownBy(() -> JobConfig.load(Map.of(), "--window.accumulation=lazy"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("window.accumulation");
    }

    @Test
    void shouldReadPreAggregationSettingsAndRefuseZeroEntries() {
        JobConfig defaults = JobConfig.load(Map.of());
        assertThat(defaults.preAggregateFlushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.preAggregateMaxEntries()).isEqualTo(20_000);

        JobConfig env =
                JobConfig.load(
                        Map.of(
                                "DM_PRE_AGGREGATE_MAX_ENTRIES", "1",
                                "DM_PRE_AGGREGATE_FLUSH_INTERVAL", "1s"));
        assertThat(env.preAggregateMaxEntries()).isEqualTo(1);
        assertThat(env.preAggregateFlushInterval()).isEqualTo(Duration.ofSeconds(1));

        assertThatThrownBy(() -> JobConfig.load(Map.of(), "--pre-aggregate.max-entries=0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pre-aggregate.max-entries");
    }

    @Test
    void shouldReadTheEarlyFiringHorizonAndRefuseZero() {
        assertThat(JobConfig.load(Map.of()).earlyFiringHorizon()).isEqualTo(Duration.ofMinutes(10));
        assertThat(
                        JobConfig.load(Map.of(), "--window.early-firing-horizon=1h")
                                .earlyFiringHorizon())
                .isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> JobConfig.load(Map.of(), "--window.early-firing-horizon=0s"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("window.early-firing-horizon");
    }

    @Test
    void shouldPassKafkaConsumerPropertiesThroughAndRefuseTheOnesTheSourceSets() {
        assertThat(JobConfig.load(Map.of()).consumerProperties()).isEmpty();

        JobConfig config =
                JobConfig.load(
                        Map.of(),
                        "--kafka.consumer.max.poll.records=2000",
                        "--kafka.consumer.fetch.min.bytes=65536");
        assertThat(config.consumerProperties())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("max.poll.records", "2000", "fetch.min.bytes", "65536"));
        assertThat(DeliveryMetricsJob.sourceProperties(config))
                .containsEntry("max.poll.records", "2000")
                .containsEntry("fetch.min.bytes", "65536")
                .containsEntry("commit.offsets.on.checkpoint", "true");

        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        Map.of(), "--kafka.consumer.bootstrap.servers=other:9092"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.consumer.bootstrap.servers")
                .hasMessageContaining("kafka.bootstrap-servers");
    }

    @Test
    void shouldSetTheMaxParallelismAndRefuseOneFlinkCannotRun() {
        JobConfig config = JobConfig.load(Map.of(), "--max-parallelism=256");
        assertThat(
                        DeliveryMetricsJob.flinkConfiguration(config)
                                .get(PipelineOptions.MAX_PARALLELISM))
                .isEqualTo(256);
        assertThat(
                        DeliveryMetricsJob.flinkConfiguration(JobConfig.load(Map.of()))
                                .get(PipelineOptions.MAX_PARALLELISM))
                .isEqualTo(128);

        for (String refused : new String[] {"0", "32769"}) {
            assertThatThrownBy(() -> JobConfig.load(Map.of(), "--max-parallelism=" + refused))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("max-parallelism");
        }
    }
}
