package io.deliverymetrics.sql;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.config.Settings;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.shard.ShardMap;
import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Matcher;

/**
 * The global database: one per deployment, not a tenant shard, holding the roll-ups over all
 * workspaces (per destination type) and the job's progress for them.
 *
 * <p>Settings {@code global.jdbc-url}, {@code global.user}, {@code global.password}. Without {@code
 * global.jdbc-url} it is the database {@value #DEFAULT_DATABASE} on the server of shard 0, with
 * shard 0's URL parameters and credentials: nothing to configure for a deployment whose shards are
 * databases on one server, and {@link Migrator} creates it.
 */
public record GlobalDatabase(String jdbcUrl, String user, String password) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Database name of the default global database, on shard 0's server. */
    public static final String DEFAULT_DATABASE = "delivery_metrics_global";

    public GlobalDatabase {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
    }

    /** From {@code global.*}, defaulting to {@value #DEFAULT_DATABASE} beside shard 0. */
    public static GlobalDatabase fromSettings(Settings s, ShardMap shards) {
        Shard first = shards.shard(0);
        String url =
                s.optional("global.jdbc-url")
                        .orElseGet(() -> withDatabase(first.jdbcUrl(), DEFAULT_DATABASE));
        return new GlobalDatabase(
                url,
                s.string("global.user", first.user()),
                s.string("global.password", first.password()));
    }

    /** {@code url} with its database name replaced by {@code database}. */
    static String withDatabase(String url, String database) {
        Matcher m = Migrator.MYSQL_URL.matcher(url);
        if (!m.matches()) {
            throw new ConfigException(
                    "global.jdbc-url is not set and shard 0's URL has no database name to replace");
        }
        return m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
    }

    @Override
    public String toString() {
        // Never print the password.
        return "GlobalDatabase[jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
    }
}
