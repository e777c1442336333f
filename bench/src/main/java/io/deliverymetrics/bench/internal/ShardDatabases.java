package io.deliverymetrics.bench.internal;

import io.deliverymetrics.core.config.Settings;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.shard.ShardMap;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.Migrator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Fresh, migrated shard databases on the embedded server, with the settings that name them. */
public final class ShardDatabases {

    private final ShardMap shards;
    private final Map<String, String> settings;

    private ShardDatabases(ShardMap shards, Map<String, String> settings) {
        this.shards = shards;
        this.settings = settings;
    }

    /**
     * Creates {@code count} new databases named after {@code prefix} and applies the migrations.
     */
    public static ShardDatabases create(
            EmbeddedMariaDb db, UniqueNames names, String prefix, int count) {
        Map<String, String> s = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = names.database(prefix + i);
            db.createDatabase(name);
            s.put("shards." + i + ".jdbc-url", db.jdbcUrl(name));
            s.put("shards." + i + ".user", db.user());
            s.put("shards." + i + ".password", db.password());
        }
        ShardMap map = ShardMap.fromSettings(Settings.of(s));
        Migrator.migrateShards(map);
        return new ShardDatabases(map, Map.copyOf(s));
    }

    public ShardMap shards() {
        return shards;
    }

    /**
     * {@code shards.N.jdbc-url/user/password} of every shard, as the job, batch and API read them.
     */
    public Map<String, String> settings() {
        return settings;
    }

    public Connection connect(int shardId) throws SQLException {
        Shard shard = shards.shard(shardId);
        return DriverManager.getConnection(shard.jdbcUrl(), shard.user(), shard.password());
    }
}
