package io.deliverymetrics.batch.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Full row contents of a table (sketch bytes included, {@code updated_at} left out), in key order.
 */
public final class TableSnapshot {

    private TableSnapshot() {}

    public static List<String> of(Connection c, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        // Table names come from the Granularity enum in tests.
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2, 3, 4, 5, 6")) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    if (md.getColumnName(i).equalsIgnoreCase("updated_at")) {
                        continue;
                    }
                    Object v = rs.getObject(i);
                    row.append(md.getColumnName(i))
                            .append('=')
                            .append(v instanceof byte[] b ? HexFormat.of().formatHex(b) : v)
                            .append(' ');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
