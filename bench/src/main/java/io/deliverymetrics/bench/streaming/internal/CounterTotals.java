package io.deliverymetrics.bench.streaming.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a run left in a table with the five outcome counters: their sum (each attempt record counts
 * once in exactly one of them), the row count and the time of the last change.
 *
 * @param counted sum of successes, retried, discarded, expired and filtered over all rows
 * @param rows number of rows
 * @param lastUpdateMs epoch ms of the newest {@code updated_at}, 0 for an empty table
 */
public record CounterTotals(long counted, long rows, long lastUpdateMs) {

    /** Reads the totals of {@code table} (a fixed identifier of this module, never input). */
    public static CounterTotals of(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT COALESCE(SUM(successes + retried + discarded + expired"
                                        + " + filtered), 0), COUNT(*),"
                                        + " COALESCE(FLOOR(UNIX_TIMESTAMP(MAX(updated_at)) * 1000),"
                                        + " 0) FROM "
                                        + table)) {
            rs.next();
            return new CounterTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    public CounterTotals plus(CounterTotals o) {
        return new CounterTotals(
                counted + o.counted, rows + o.rows, Math.max(lastUpdateMs, o.lastUpdateMs));
    }
}
