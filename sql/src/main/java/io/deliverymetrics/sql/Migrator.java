package io.deliverymetrics.sql;

import io.deliverymetrics.core.config.ConfigLoader;
import io.deliverymetrics.core.config.Settings;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.shard.ShardMap;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings every configured shard database, the global database and the control database up to date
 * with the migrations in {@code db/shard}, {@code db/global} and {@code db/control}, creating the
 * databases if they do not exist.
 */
public final class Migrator {

    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    /** Flyway location of the per-shard schema. */
    public static final String SHARD_LOCATION = "classpath:db/shard";

    /** Flyway location of the control schema (API tokens, batch and scheduler tables). */
    public static final String CONTROL_LOCATION = "classpath:db/control";

    /** Flyway location of the global schema (roll-ups over all workspaces). */
    public static final String GLOBAL_LOCATION = "classpath:db/global";

    static final Pattern MYSQL_URL =
            Pattern.compile("^(jdbc:(?:mysql|mariadb)://[^/]+/)([A-Za-z0-9_]{1,64})(\\?.*)?$");

    private Migrator() {}

    /** Migrates every shard of {@code shards}; returns one result per shard, in shard order. */
    public static List<MigrateResult> migrateShards(ShardMap shards) {
        List<MigrateResult> results = new ArrayList<>();
        for (Shard s : shards.shards()) {
            results.add(migrate(s.jdbcUrl(), s.user(), s.password(), SHARD_LOCATION));
        }
        return results;
    }

    /** Migrates one shard database. */
    public static MigrateResult migrateShard(Shard shard) {
        return migrate(shard.jdbcUrl(), shard.user(), shard.password(), SHARD_LOCATION);
    }

    /** Migrates the control database. */
    public static MigrateResult migrateControl(String jdbcUrl, String user, String password) {
        return migrate(jdbcUrl, user, password, CONTROL_LOCATION);
    }

    /** Migrates the global database. */
    public static MigrateResult migrateGlobal(GlobalDatabase global) {
        return migrate(global.jdbcUrl(), global.user(), global.password(), GLOBAL_LOCATION);
    }

    private static MigrateResult migrate(
            String url, String user, String password, String location) {
        ensureDatabase(url, user, password);
        Flyway flyway =
                Flyway.configure()
                        .dataSource(url, user, password)
                        .locations(location)
                        .cleanDisabled(true)
                        .validateMigrationNaming(true)
                        .load();
        MigrateResult result = flyway.migrate();
        LOG.info(
                "Migrated {} ({}): {} migration(s) applied, now at version {}",
                redact(url),
                location,
                result.migrationsExecuted,
                result.targetSchemaVersion == null
                        ? flyway.info().current().getVersion()
                        : result.targetSchemaVersion);
        return result;
    }

    /**
     * Creates the database named in a MySQL/MariaDB JDBC URL if it does not exist yet. The name is
     * validated against {@code [A-Za-z0-9_]{1,64}} before it is used in DDL.
     */
    static void ensureDatabase(String url, String user, String password) {
        Matcher m = MYSQL_URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "expected a jdbc:mysql://host:port/database[?params] URL with a database name of"
                            + " [A-Za-z0-9_], got "
                            + redact(url));
        }
        String serverUrl = m.group(1) + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = DriverManager.getConnection(serverUrl, user, password);
                Statement st = c.createStatement()) {
            st.executeUpdate("CREATE DATABASE IF NOT EXISTS `" + m.group(2) + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database for " + redact(url), e);
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1****");
    }

    /**
     * Command line: {@code --config FILE} with {@code shards.N.jdbc-url/user/password}, optionally
     * {@code global.jdbc-url/user/password} (see {@link GlobalDatabase}) and {@code
     * control.jdbc-url/user/password}; any key can be overridden with {@code --key=value}.
     */
    public static void main(String[] args) {
        Settings s = ConfigLoader.create().withEnvironment(System.getenv()).withArgs(args).load();
        ShardMap shards = ShardMap.fromSettings(s);
        migrateShards(shards);
        migrateGlobal(GlobalDatabase.fromSettings(s, shards));
        s.optional("control.jdbc-url")
                .ifPresent(
                        url ->
                                migrateControl(
                                        url,
                                        s.string("control.user", "root"),
                                        s.string("control.password", "")));
    }
}
