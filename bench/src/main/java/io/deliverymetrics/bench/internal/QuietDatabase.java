package io.deliverymetrics.bench.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Waits until the database server has written back what a bulk load left in its buffer pool, so
 * that a latency measurement right after seeding does not share the cores and the disk with
 * InnoDB's page cleaner. While it waits, {@code innodb_max_dirty_pages_pct} is 0 (flush as fast as
 * the disk allows); the server's own value is restored afterwards.
 */
public final class QuietDatabase {

    /** What the wait found. */
    public record Result(long dirtyPagesBefore, long dirtyPagesAfter, double seconds) {}

    private QuietDatabase() {}

    /**
     * @param dirtyPages stop once at most this many buffer-pool pages are dirty
     * @param timeout stop waiting after this long, quiet or not
     */
    public static Result await(DataSource db, long dirtyPages, Duration timeout)
            throws SQLException, InterruptedException {
        long t0 = System.nanoTime();
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            double saved = scalar(st, "SELECT @@GLOBAL.innodb_max_dirty_pages_pct");
            long before = dirty(st);
            long now = before;
            st.execute("SET GLOBAL innodb_max_dirty_pages_pct = 0");
            try {
                while (now > dirtyPages && System.nanoTime() - t0 < timeout.toNanos()) {
                    TimeUnit.MILLISECONDS.sleep(500);
                    now = dirty(st);
                }
            } finally {
                st.execute("SET GLOBAL innodb_max_dirty_pages_pct = " + saved);
            }
            return new Result(before, now, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static long dirty(Statement st) throws SQLException {
        try (ResultSet rs =
                st.executeQuery(
                        "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                                + " WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static double scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
