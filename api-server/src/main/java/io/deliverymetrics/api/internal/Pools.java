package io.deliverymetrics.api.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.config.ApiConfig;
import java.sql.Connection;

/** Builds the HikariCP pools: one per shard (read-only) and one for the control database. */
public final class Pools {

    private Pools() {}

    /**
     * A pool that does not connect until first use, so the server starts (and reports not ready)
     * while a database is down.
     */
    public static HikariDataSource create(
            String name,
            String jdbcUrl,
            String user,
            String password,
            ApiConfig.Pool pool,
            boolean readOnly) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(name);
        c.setJdbcUrl(jdbcUrl);
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(pool.maxSize());
        c.setMinimumIdle(Math.min(2, pool.maxSize()));
        c.setConnectionTimeout(pool.connectionTimeout().toMillis());
        c.setValidationTimeout(Math.min(pool.connectionTimeout().toMillis(), 5_000));
        c.setInitializationFailTimeout(-1);
        c.setReadOnly(readOnly);
        // Every statement on its own: readers order their reads instead of holding a snapshot
        // (see ShardView), which saves a transaction and its rollback round trip per request.
        c.setAutoCommit(true);
        // Connector/J prepares statements on the client and, by default, parses each statement's
        // SQL again on every prepareStatement: about a tenth of a small query's CPU here. The
        // per-connection cache keeps the parsed form; the limit covers our longest statement
        // (a tier read names every metric column). Other drivers ignore these properties.
        c.addDataSourceProperty("cachePrepStmts", "true");
        c.addDataSourceProperty("prepStmtCacheSize", "64");
        c.addDataSourceProperty("prepStmtCacheSqlLimit", "4096");
        // Server-side prepared statements: prepared once per connection (the cache above keeps
        // them), then executed with the binary protocol, whose rows the driver decodes without
        // parsing each of a tier row's ~20 numbers from text.
        c.addDataSourceProperty("useServerPrepStmts", "true");
        return new HikariDataSource(c);
    }

    /** Whether a connection can be obtained and answers within the pool's timeout. */
    public static boolean reachable(HikariDataSource ds) {
        try (Connection c = ds.getConnection()) {
            return c.isValid((int) Math.max(1, ds.getValidationTimeout() / 1000));
        } catch (java.sql.SQLException e) {
            return false;
        }
    }
}
