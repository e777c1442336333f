package io.deliverymetrics.sql;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;

/**
 * One multi-row {@code INSERT … VALUES (…), (…) …} written as SQL text, with every value a literal,
 * and sent as one statement per {@link #MAX_STATEMENT_CHARS} characters.
 *
 * <p>This is what Connector/J's {@code rewriteBatchedStatements} sends for a batch of a client-side
 * prepared statement, without its per-parameter work: binding each value as an object, cloning the
 * bindings per row, and measuring every row's text before writing it. That work was most of the
 * streaming job's sink thread. The literals cannot change the statement: numbers are digits, times
 * are digits and separators, and a string is quoted as it is only when it holds nothing but
 * printable ASCII other than quote and backslash (true of every id the parser admits); any other
 * string, and every byte array, is a hexadecimal literal, which means the same under every {@code
 * sql_mode}.
 */
final class MultiRowInsert implements AutoCloseable {

    /** Statements stay well below the servers' smallest default {@code max_allowed_packet}. */
    static final int MAX_STATEMENT_CHARS = 1 << 20;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final Statement statement;
    private final int maxStatementChars;
    private final String head;
    private final String tail;
    private final StringBuilder sql = new StringBuilder(1 << 16);
    private int rows;
    private boolean rowOpen;
    private boolean firstValue;

    /**
     * @param head everything up to and including {@code VALUES}
     * @param tail what follows the rows, such as {@code ON DUPLICATE KEY UPDATE …}, or empty
     */
    MultiRowInsert(Connection c, String head, String tail) throws SQLException {
        this(c, head, tail, MAX_STATEMENT_CHARS);
    }

    /** As above, sending a statement once it holds {@code maxStatementChars} characters. */
    MultiRowInsert(Connection c, String head, String tail, int maxStatementChars)
            throws SQLException {
        this.statement = c.createStatement();
        this.maxStatementChars = maxStatementChars;
        // The text holds no JDBC escapes; without this the driver scans all of it for '{'.
        statement.setEscapeProcessing(false);
        this.head = head;
        this.tail = tail;
    }

    /** Starts a row; follow with its values in column order, then {@link #endRow}. */
    MultiRowInsert row() {
        if (rowOpen) {
            throw new IllegalStateException("the previous row was not ended");
        }
        sql.append(rows == 0 ? head : ",").append('(');
        rowOpen = true;
        firstValue = true;
        return this;
    }

    MultiRowInsert value(long v) {
        separate().append(v);
        return this;
    }

    MultiRowInsert value(String s) {
        StringBuilder b = separate();
        if (isPlain(s)) {
            b.append('\'').append(s).append('\'');
        } else {
            hex(b, s.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** A byte array as a hexadecimal literal; {@code null} as {@code NULL}. */
    MultiRowInsert value(byte[] bytes) {
        StringBuilder b = separate();
        if (bytes == null) {
            b.append("NULL");
        } else {
            hex(b, bytes);
        }
        return this;
    }

    /** A UTC instant as the {@code DATETIME} literal {@code 'yyyy-MM-dd HH:mm:ss[.SSS]'}. */
    MultiRowInsert value(Instant t) {
        LocalDateTime d = MetricRows.toDateTime(t);
        StringBuilder b = separate().append('\'');
        int year = d.getYear();
        if (year < 1000 || year > 9999) {
            throw new IllegalArgumentException("bucket start outside DATETIME's range: " + t);
        }
        b.append(year).append('-');
        two(b, d.getMonthValue()).append('-');
        two(b, d.getDayOfMonth()).append(' ');
        two(b, d.getHour()).append(':');
        two(b, d.getMinute()).append(':');
        two(b, d.getSecond());
        int millis = d.getNano() / 1_000_000;
        if (millis != 0) {
            b.append('.').append((char) ('0' + millis / 100));
            two(b, millis % 100);
        }
        b.append('\'');
        return this;
    }

    /** Ends the row; sends the statement once it has reached its size limit. */
    void endRow() throws SQLException {
        if (!rowOpen) {
            throw new IllegalStateException("no row was started");
        }
        sql.append(')');
        rowOpen = false;
        rows++;
        if (sql.length() >= maxStatementChars) {
            flush();
        }
    }

    /** Sends the rows not sent yet, if any. */
    void flush() throws SQLException {
        if (rowOpen) {
            throw new IllegalStateException("a row was not ended");
        }
        if (rows == 0) {
            return;
        }
        sql.append(tail);
        statement.executeUpdate(sql.toString());
        sql.setLength(0);
        rows = 0;
    }

    @Override
    public void close() throws SQLException {
        statement.close();
    }

    private StringBuilder separate() {
        if (!rowOpen) {
            throw new IllegalStateException("a value outside a row");
        }
        if (!firstValue) {
            sql.append(',');
        }
        firstValue = false;
        return sql;
    }

    /** Printable ASCII without quote and backslash: the same text in every {@code sql_mode}. */
    static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch > 0x7e || ch == '\'' || ch == '\\') {
                return false;
            }
        }
        return true;
    }

    private static void hex(StringBuilder b, byte[] bytes) {
        // Built in an array and appended at once: per-character appends cost a capacity check
        // each, and sketches, breakdowns and samples make most of a statement's characters.
        char[] literal = new char[2 * bytes.length + 3];
        literal[0] = 'X';
        literal[1] = '\'';
        int j = 2;
        for (byte x : bytes) {
            literal[j++] = HEX[(x >> 4) & 0xF];
            literal[j++] = HEX[x & 0xF];
        }
        literal[j] = '\'';
        b.append(literal);
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
