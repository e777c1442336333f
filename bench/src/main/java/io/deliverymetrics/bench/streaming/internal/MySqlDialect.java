package io.deliverymetrics.bench.streaming.internal;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.connector.jdbc.core.database.dialect.AbstractDialect;
import org.apache.flink.connector.jdbc.core.database.dialect.AbstractDialectConverter;
import org.apache.flink.connector.jdbc.core.database.dialect.JdbcDialectConverter;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;

/**
 * The MySQL dialect of the Flink JDBC table connector, which {@code flink-connector-jdbc-core}
 * 4.0.0-2.0 does not ship (no {@code flink-connector-jdbc-mysql} exists for it). It mirrors the
 * dialect of {@code flink-connector-jdbc-mysql} 3.x: backquoted identifiers and upserts as {@code
 * INSERT … ON DUPLICATE KEY UPDATE c = VALUES(c)}, the same statement shape as the project's sink.
 */
public final class MySqlDialect extends AbstractDialect {

    private static final long serialVersionUID = 1L;

    @Override
    public String dialectName() {
        return "MySQL";
    }

    @Override
    public JdbcDialectConverter getRowConverter(RowType rowType) {
        return new Converter(rowType);
    }

    @Override
    public String getLimitClause(long limit) {
        return "LIMIT " + limit;
    }

    @Override
    public Optional<String> defaultDriverName() {
        return Optional.of("com.mysql.cj.jdbc.Driver");
    }

    @Override
    public String quoteIdentifier(String identifier) {
        return "`" + identifier + "`";
    }

    @Override
    public Optional<String> getUpsertStatement(
            String tableName, String[] fieldNames, String[] uniqueKeyFields) {
        String update =
                Arrays.stream(fieldNames)
                        .map(f -> quoteIdentifier(f) + " = VALUES(" + quoteIdentifier(f) + ")")
                        .collect(Collectors.joining(", "));
        return Optional.of(
                getInsertIntoStatement(tableName, fieldNames)
                        + " ON DUPLICATE KEY UPDATE "
                        + update);
    }

    @Override
    public Optional<Range> decimalPrecisionRange() {
        return Optional.of(Range.of(1, 65));
    }

    @Override
    public Optional<Range> timestampPrecisionRange() {
        return Optional.of(Range.of(0, 6));
    }

    @Override
    public Set<LogicalTypeRoot> supportedTypes() {
        return EnumSet.of(
                LogicalTypeRoot.CHAR,
                LogicalTypeRoot.VARCHAR,
                LogicalTypeRoot.BOOLEAN,
                LogicalTypeRoot.VARBINARY,
                LogicalTypeRoot.DECIMAL,
                LogicalTypeRoot.TINYINT,
                LogicalTypeRoot.SMALLINT,
                LogicalTypeRoot.INTEGER,
                LogicalTypeRoot.BIGINT,
                LogicalTypeRoot.FLOAT,
                LogicalTypeRoot.DOUBLE,
                LogicalTypeRoot.DATE,
                LogicalTypeRoot.TIME_WITHOUT_TIME_ZONE,
                LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE);
    }

    /** Row conversion: the connector's generic JDBC conversions suit MySQL. */
    private static final class Converter extends AbstractDialectConverter {

        private static final long serialVersionUID = 1L;

        Converter(RowType rowType) {
            super(rowType);
        }

        @Override
        public String converterName() {
            return "MySQL";
        }
    }
}
