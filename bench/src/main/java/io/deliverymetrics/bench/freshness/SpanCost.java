package io.deliverymetrics.bench.freshness;

import io.deliverymetrics.bench.internal.MachineCpu;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the machine and the database had done at one moment of a live run: the machine's busy CPU
 * seconds ({@link MachineCpu}), the row operations of the database server's storage engines
 * (handler writes, updates and deletes: an upsert of an existing row counts as a write attempt and
 * an update) and its commits, all since they started. Two samples give a span's cost: CPU per
 * attempt and row writes per second, the price of fresher minutes.
 *
 * @param atMs when the sample was taken (the run's clock)
 */
record SpanCost(long atMs, double busySeconds, long rowWrites, long commits) {

    static SpanCost sample(EmbeddedMariaDb db, long atMs) {
        double busy = MachineCpu.busySeconds();
        long rows = 0;
        long commits = 0;
        try (Connection c = db.connect("mysql");
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SHOW GLOBAL STATUS WHERE Variable_name IN ('Handler_write',"
                                        + " 'Handler_update', 'Handler_delete', 'Com_commit')")) {
            while (rs.next()) {
                long v = rs.getLong(2);
                if (rs.getString(1).equalsIgnoreCase("Com_commit")) {
                    commits = v;
                } else {
                    rows += v;
                }
            }
        } catch (SQLException e) {
            return new SpanCost(atMs, busy, -1, -1);
        }
        return new SpanCost(atMs, busy, rows, commits);
    }

    /** Seconds from {@code earlier} to this sample. */
    double secondsSince(SpanCost earlier) {
        return (atMs - earlier.atMs) / 1e3;
    }

    /** Busy CPU seconds of the whole machine per second of wall time since {@code earlier}. */
    double busyCoresSince(SpanCost earlier) {
        return (busySeconds - earlier.busySeconds) / secondsSince(earlier);
    }

    /** Row operations (write, update, delete) per second since {@code earlier}; NaN if unknown. */
    double rowWritesPerSecondSince(SpanCost earlier) {
        return rowWrites < 0 || earlier.rowWrites < 0
                ? Double.NaN
                : (rowWrites - earlier.rowWrites) / secondsSince(earlier);
    }

    /** Commits per second since {@code earlier}; NaN if unknown. */
    double commitsPerSecondSince(SpanCost earlier) {
        return commits < 0 || earlier.commits < 0
                ? Double.NaN
                : (commits - earlier.commits) / secondsSince(earlier);
    }
}
