package io.deliverymetrics.batch.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.shard.ShardMap;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Two connection pools per shard (streaming reads, writes), plus the factory for the control
 * database's pool.
 */
public final class ShardDataSources implements AutoCloseable {

    private final List<HikariDataSource> readers;
    private final List<HikariDataSource> writers;

    private ShardDataSources(List<HikariDataSource> readers, List<HikariDataSource> writers) {
        this.readers = List.copyOf(readers);
        this.writers = List.copyOf(writers);
    }

    /**
     * Opens the pools of every shard of {@code shards}. They connect lazily: a shard that is down
     * at start-up fails only its own work (and its health check), not the whole application.
     */
    public static ShardDataSources open(ShardMap shards, int poolSize) {
        List<HikariDataSource> readers = new ArrayList<>();
        List<HikariDataSource> writers = new ArrayList<>();
        for (Shard s : shards.shards()) {
            HikariConfig read =
                    base(
                            "shard-" + s.id() + "-read",
                            s.jdbcUrl(),
                            s.user(),
                            s.password(),
                            poolSize);
            // Server-side cursors, so a query with a fetch size streams a bucket's finer rows in
            // pieces (two open cursors per connection are fine) instead of the driver reading
            // whole result sets into memory.
            read.addDataSourceProperty("useCursorFetch", "true");
            // Cursor fetch makes every statement a server-side prepared one; reading a block pair
            // by pair runs the same few statements many times, so keep them prepared.
            read.addDataSourceProperty("cachePrepStmts", "true");
            read.addDataSourceProperty("prepStmtCacheSqlLimit", "4096");
            HikariConfig write =
                    base(
                            "shard-" + s.id() + "-write",
                            s.jdbcUrl(),
                            s.user(),
                            s.password(),
                            poolSize);
            for (HikariConfig hc : List.of(read, write)) {
                hc.setInitializationFailTimeout(-1);
            }
            readers.add(new HikariDataSource(read));
            writers.add(new HikariDataSource(write));
        }
        return new ShardDataSources(readers, writers);
    }

    /** A pool for the control database. */
    public static HikariDataSource control(BatchConfig.Database db) {
        return new HikariDataSource(
                base("control", db.jdbcUrl(), db.user(), db.password(), db.poolSize()));
    }

    private static HikariConfig base(
            String name, String url, String user, String password, int poolSize) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("dm-batch-" + name);
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(0);
        // Times are UTC everywhere: DATETIME columns hold UTC, TIMESTAMP columns are read in a
        // UTC session. Batched statements are rewritten into multi-row inserts.
        hc.addDataSourceProperty("connectionTimeZone", "UTC");
        hc.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
        hc.addDataSourceProperty("rewriteBatchedStatements", "true");
        return hc;
    }

    public int size() {
        return writers.size();
    }

    /** Connections for streaming reads (server-side cursors when a fetch size is set). */
    public DataSource reader(int shardId) {
        return readers.get(shardId);
    }

    /** Connections for writes, progress and small queries. */
    public DataSource writer(int shardId) {
        return writers.get(shardId);
    }

    @Override
    public void close() {
        readers.forEach(HikariDataSource::close);
        writers.forEach(HikariDataSource::close);
    }
}
