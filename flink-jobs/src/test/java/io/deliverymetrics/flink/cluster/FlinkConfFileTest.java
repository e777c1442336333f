package io.deliverymetrics.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code flink-conf/config.yaml} parses with Flink's own loader, uses only current
 * (non-deprecated) Flink 2.x option keys, and sets what the job and its savepoints rely on.
 */
class FlinkConfFileTest {

    /** The option classes whose keys the file may use; extend when the file uses another. */
    private static final List<Class<?>> OPTION_CLASSES =
            List.of(
                    CoreOptions.class,
                    JobManagerOptions.class,
                    TaskManagerOptions.class,
                    RestOptions.class,
                    CheckpointingOptions.class,
                    StateBackendOptions.class,
                    RestartStrategyOptions.class,
                    PipelineOptions.class);

    /** Keys with a free-form middle part (the reporter's name). */
    private static final String REPORTER_PREFIX = "metrics.reporter.";

    private static Configuration config;

    @BeforeAll
    static void loadConfigYaml() {
        Path dir = flinkConfDir();
        assertThat(dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME)).isRegularFile();
        config = GlobalConfiguration.loadConfiguration(dir.toString());
    }

    @Test
    void shouldUseOnlyCurrentFlinkOptionKeys() throws Exception {
        Map<String, ConfigOption<?>> current = new HashMap<>();
        Map<String, String> deprecated = new HashMap<>();
        for (Class<?> holder : OPTION_CLASSES) {
            for (Field f : holder.getFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> option = (ConfigOption<?>) f.get(null);
                    current.put(option.key(), option);
                    for (FallbackKey k : option.fallbackKeys()) {
                        if (k.isDeprecated()) {
                            deprecated.put(k.getKey(), option.key());
                        }
                    }
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (String key : config.keySet()) {
            if (deprecated.containsKey(key) && !current.containsKey(key)) {
                problems.add(key + " is deprecated, use " + deprecated.get(key));
            } else if (!current.containsKey(key) && !key.startsWith(REPORTER_PREFIX)) {
                problems.add(key + " is not an option of " + OPTION_CLASSES);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldKeepStateInRocksDbWithCheckpointAndSavepointDirectories() {
        assertThat(config.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(config.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("file:");
        assertThat(config.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).startsWith("file:");
        assertThat(config.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isPositive();
    }

    @Test
    void shouldFailOnKryoFallbackAndRestartWithFixedDelay() {
        assertThat(config.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(config.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
        assertThat(config.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isPositive();
    }

    @Test
    void shouldOpenEveryPackageTheProjectsFlinkTestsOpen() {
        // This JVM runs with flink-jobs' test.jvm.args; a cluster JVM needs the same opens.
        Set<String> clusterOptions =
                Set.of(config.get(CoreOptions.FLINK_JVM_OPTIONS).trim().split("\\s+"));
        List<String> testJvmOpens =
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("--add-opens"))
                        .toList();
        assertThat(testJvmOpens).as("test JVM arguments").isNotEmpty();
        assertThat(clusterOptions).as("env.java.opts.all").containsAll(testJvmOpens);
    }

    @Test
    void shouldShipTheConsoleAndTheFileLog4jConfiguration() {
        assertThat(flinkConfDir().resolve("log4j-console.properties")).isRegularFile();
        assertThat(flinkConfDir().resolve("log4j.properties")).isRegularFile();
    }

    /** The project's flink-conf/, next to this module (Surefire and Failsafe set basedir). */
    private static Path flinkConfDir() {
        return Path.of(System.getProperty("basedir", ".")).resolve("../flink-conf").normalize();
    }
}
