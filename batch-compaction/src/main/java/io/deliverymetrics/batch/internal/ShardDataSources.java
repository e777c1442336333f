package io.deliverymetrics.batch.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.model.Databases;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.shard.ShardMap;
import io.deliverymetrics.sql.GlobalDatabase;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Two connection pools (streaming reads, writes) per shard and for the global database, plus the
 * factory for the control database's pool.
 */
public final class ShardDataSources implements AutoCloseable {

    private final List<HikariDataSource> readers;
    private final List<HikariDataSource> writers;

    private ShardDataSources(List<HikariDataSource> readers, List<HikariDataSource> writers) {
        this.readers = List.copyOf(readers);
        this.writers = List.copyOf(writers);
    }

    /**
     * Opens the pools of every shard of {@code shards} and of the global database. They connect
     * lazily: a database that is down at start-up fails only its own work (and its health check),
     * not the whole application.
     */
    public static ShardDataSources open(ShardMap shards, GlobalDatabase global, int poolSize) {
        List<HikariDataSource> readers = new ArrayList<>();
        List<HikariDataSource> writers = new ArrayList<>();
        for (Shard s : shards.shards()) {
            readers.add(reader("shard-" + s.id(), s.jdbcUrl(), s.user(), s.password(), poolSize));
            writers.add(writer("shard-" + s.id(), s.jdbcUrl(), s.user(), s.password(), poolSize));
        }
        readers.add(reader("global", global.jdbcUrl(), global.user(), global.password(), poolSize));
        writers.add(writer("global", global.jdbcUrl(), global.user(), global.password(), poolSize));
        return new ShardDataSources(readers, writers);
    }

    private static HikariDataSource reader(
            String name, String url, String user, String password, int poolSize) {
        HikariConfig read = base(name + "-read", url, user, password, poolSize);
        // Server-side cursors, so a query with a fetch size streams a bucket's finer rows in
        // pieces (two open cursors per connection are fine) instead of the driver reading
        // whole result sets into memory.
        read.addDataSourceProperty("useCursorFetch", "true");
        // Cursor fetch makes every statement a server-side prepared one; reading a block pair
        // by pair runs the same few statements many times, so keep them prepared.
        read.addDataSourceProperty("cachePrepStmts", "true");
        read.addDataSourceProperty("prepStmtCacheSqlLimit", "4096");
        read.setInitializationFailTimeout(-1);
        return new HikariDataSource(read);
    }

    private static HikariDataSource writer(
            String name, String url, String user, String password, int poolSize) {
        HikariConfig write = base(name + "-write", url, user, password, poolSize);
        write.setInitializationFailTimeout(-1);
        return new HikariDataSource(write);
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

    /** Number of shards (the global database not counted). */
    public int size() {
        return writers.size() - 1;
    }

    /**
     * The ids of every database compacted and retained: the shards, then {@link Databases#GLOBAL}.
     */
    public List<Integer> ids() {
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < size(); id++) {
            ids.add(id);
        }
        ids.add(Databases.GLOBAL);
        return ids;
    }

    /**
     * Connections for streaming reads (server-side cursors when a fetch size is set) of shard
     * {@code id}, or of the global database for {@link Databases#GLOBAL}.
     */
    public DataSource reader(int id) {
        return readers.get(index(id));
    }

    /** Connections for writes, progress and small queries, as {@link #reader}. */
    public DataSource writer(int id) {
        return writers.get(index(id));
    }

    private int index(int id) {
        if (id == Databases.GLOBAL) {
            return writers.size() - 1;
        }
        if (id < 0 || id >= size()) {
            throw new IllegalArgumentException(
                    "no shard " + id + ": shards are 0.." + (size() - 1));
        }
        return id;
    }

    @Override
    public void close() {
        readers.forEach(HikariDataSource::close);
        writers.forEach(HikariDataSource::close);
    }
}
