package io.deliverymetrics.bench.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.sql.Migrator;
import java.util.LinkedHashMap;
import java.util.Map;

/** A fresh, migrated control database (API tokens) on the embedded server. */
public final class ControlDatabase {

    private ControlDatabase() {}

    /**
     * Creates the database and returns the {@code control.jdbc-url/user/password} settings the API
     * server reads.
     */
    public static Map<String, String> create(BenchInfra infra, String prefix) {
        String name = infra.names().database(prefix);
        infra.db().createDatabase(name);
        Migrator.migrateControl(infra.db().jdbcUrl(name), infra.db().user(), infra.db().password());
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("control.jdbc-url", infra.db().jdbcUrl(name));
        settings.put("control.user", infra.db().user());
        settings.put("control.password", infra.db().password());
        return Map.copyOf(settings);
    }

    /** A small pool on the control database that {@code settings} name (to store tokens). */
    public static HikariDataSource pool(Map<String, String> settings) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(settings.get("control.jdbc-url"));
        c.setUsername(settings.get("control.user"));
        c.setPassword(settings.get("control.password"));
        c.setMaximumPoolSize(1);
        return new HikariDataSource(c);
    }
}
