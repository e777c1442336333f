package io.deliverymetrics.quickstart;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.config.ConfigLoader;
import io.deliverymetrics.core.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The quickstart's settings: what to start and where the external parts are.
 *
 * @param incidentEvery period of the load's rotating incidents, null for none
 * @param pairIncidentShare share of its events the demo's incident pair discards (0: no incident)
 * @param typeIncidentStart when the first outage of the status incident's destination type starts,
 *     after the load's start
 * @param typeIncidentLength how long each of its outages lasts
 * @param typeIncidentEvery period of its outages, null for none
 * @param settings everything loaded, passed through to the job, the API and compaction (they read
 *     the keys they know: {@code shards.*}, {@code control.*}, {@code kafka.*}, …)
 */
public record QuickstartConfig(
        boolean embedded,
        int embeddedShards,
        String topic,
        int partitions,
        int apiPort,
        boolean auth,
        int flinkWebPort,
        int parallelism,
        boolean batchEnabled,
        Path batchJar,
        boolean loadgenEnabled,
        double loadgenRate,
        int loadgenWorkspaces,
        int loadgenPairs,
        long loadgenSeed,
        double lateShare,
        double malformedShare,
        Duration incidentEvery,
        double pairIncidentShare,
        Duration typeIncidentStart,
        Duration typeIncidentLength,
        Duration typeIncidentEvery,
        Settings settings) {

    public QuickstartConfig {
        if (embeddedShards < 1 || embeddedShards > 16) {
            throw new ConfigException("embedded-shards must be between 1 and 16");
        }
        if (loadgenRate <= 0) {
            throw new ConfigException("loadgen.rate must be positive");
        }
        if (!(pairIncidentShare >= 0 && pairIncidentShare <= 1)) {
            throw new ConfigException("loadgen.pair-incident-share must be between 0 and 1");
        }
        if (typeIncidentEvery != null
                && (typeIncidentStart.isNegative()
                        || typeIncidentLength.isNegative()
                        || typeIncidentLength.isZero()
                        || typeIncidentLength.compareTo(typeIncidentEvery) >= 0)) {
            throw new ConfigException(
                    "loadgen.type-incident-start must be 0s or more and loadgen.type-incident-length"
                            + " more than 0s and less than loadgen.type-incident-every");
        }
    }

    /** The period of the rotating incidents or the type incident; 0 turns them off (null). */
    private static Duration rotation(Duration every) {
        return every.isZero() ? null : every;
    }

    public static QuickstartConfig load(Map<String, String> env, String... args) {
        Settings s =
                ConfigLoader.create()
                        .withDefaultsResource(
                                QuickstartConfig.class, "/delivery-metrics-quickstart.yaml")
                        .withEnvironment(env)
                        .withArgs(args)
                        .load();
        return new QuickstartConfig(
                s.bool("embedded", true),
                s.integer("embedded-shards", 2),
                s.string("kafka.topic"),
                s.integer("kafka.partitions", 4),
                s.integer("api.port", 8080),
                s.bool("api.auth", true),
                s.integer("flink.web-port", 8081),
                s.integer("flink.parallelism", 2),
                s.bool("batch.enabled", true),
                Path.of(s.string("batch.jar")),
                s.bool("loadgen.enabled", true),
                s.decimal("loadgen.rate", 300),
                s.integer("loadgen.workspaces", 16),
                s.integer("loadgen.pairs", 64),
                s.longValue("loadgen.seed", 42),
                s.decimal("loadgen.late-share", 0.002),
                s.decimal("loadgen.malformed-share", 0.002),
                rotation(s.duration("loadgen.incident-every", Duration.ofMinutes(5))),
                s.decimal("loadgen.pair-incident-share", 0.5),
                s.duration("loadgen.type-incident-start", Duration.ofMinutes(2)),
                s.duration("loadgen.type-incident-length", Duration.ofMinutes(4)),
                rotation(s.duration("loadgen.type-incident-every", Duration.ofMinutes(10))),
                s);
    }
}
