package io.deliverymetrics.batch.support;

import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.core.config.ConfigLoader;
import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two shard databases, a global and a control database with unique names on the shared MariaDB, and
 * the batch configuration pointing at them (schedule off, management endpoints on a random port,
 * defaults otherwise).
 */
public final class BatchFixture {

    public static final int SHARDS = 2;

    private final EmbeddedMariaDb mariaDb;
    private final List<String> shardDatabases = new ArrayList<>();
    private final String controlDatabase;
    private final String globalDatabase;
    private final Map<String, String> settings = new LinkedHashMap<>();

    public BatchFixture(EmbeddedMariaDb mariaDb, UniqueNames names) {
        this.mariaDb = mariaDb;
        for (int i = 0; i < SHARDS; i++) {
            String db = names.database("batch_shard" + i);
            shardDatabases.add(db);
            settings.put("shards." + i + ".jdbc-url", mariaDb.jdbcUrl(db));
            settings.put("shards." + i + ".user", mariaDb.user());
            settings.put("shards." + i + ".password", mariaDb.password());
        }
        globalDatabase = names.database("batch_global");
        settings.put("global.jdbc-url", mariaDb.jdbcUrl(globalDatabase));
        controlDatabase = names.database("batch_control");
        settings.put("control.jdbc-url", mariaDb.jdbcUrl(controlDatabase));
        settings.put("control.user", mariaDb.user());
        settings.put("control.password", mariaDb.password());
        settings.put("schedule.enabled", "false");
        settings.put("management.port", "0");
    }

    /** Overrides one configuration key (before {@link #config()}). */
    public BatchFixture with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** The settings as {@code --key=value} arguments, for the CLI. */
    public List<String> args() {
        List<String> out = new ArrayList<>();
        settings.forEach((k, v) -> out.add("--" + k + "=" + v));
        return out;
    }

    public BatchConfig config() {
        return BatchConfig.from(
                ConfigLoader.create()
                        .withDefaultsResource(BatchConfig.class, BatchConfig.DEFAULTS_RESOURCE)
                        .withOverrides(settings)
                        .load());
    }

    public ShardRouter router() {
        return new ShardRouter(SHARDS, Map.of());
    }

    public Connection shard(int id) throws SQLException {
        return mariaDb.connect(shardDatabases.get(id));
    }

    public Connection global() throws SQLException {
        return mariaDb.connect(globalDatabase);
    }

    public Connection control() throws SQLException {
        return mariaDb.connect(controlDatabase);
    }
}
