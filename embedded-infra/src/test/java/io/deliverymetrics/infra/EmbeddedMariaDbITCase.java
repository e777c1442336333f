package io.deliverymetrics.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedInfraExtension.class)
class EmbeddedMariaDbITCase {

    private static final String CREATE_TABLE =
            """
            CREATE TABLE counters (
              name VARCHAR(64) NOT NULL PRIMARY KEY,
              c BIGINT NOT NULL
            )
            """;

    private static final String UPSERT =
            """
            INSERT INTO counters (name, c) VALUES (?, ?)
            ON DUPLICATE KEY UPDATE c = VALUES(c)
            """;

    private static final String SELECT_COUNT = "SELECT c FROM counters WHERE name = ?";

    private final EmbeddedMariaDb mariaDb;
    private final UniqueNames names;

    EmbeddedMariaDbITCase(EmbeddedMariaDb mariaDb, UniqueNames names) {
        this.mariaDb = mariaDb;
        this.names = names;
    }

    @Test
    void shouldKeepTheLastValueWhenTheSameKeyIsUpsertedTwice() throws SQLException {
        String database = names.database("upsert");
        mariaDb.createDatabase(database);

        try (Connection connection = mariaDb.connect(database)) {
            execute(connection, CREATE_TABLE);
            upsert(connection, "successes", 7);
            upsert(connection, "successes", 42);

            assertThat(count(connection, "successes")).isEqualTo(42);
        }
    }

    @Test
    void shouldBeAMariaDbServer() throws SQLException {
        String database = names.database("version");
        mariaDb.createDatabase(database);

        try (Connection connection = mariaDb.connect(database);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT @@version")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(1)).contains("MariaDB");
        }
    }

    @Test
    void shouldKeepTablesOfTwoUniquelyNamedDatabasesApart() throws SQLException {
        String first = names.database("shard");
        String second = names.database("shard");
        mariaDb.createDatabase(first);
        mariaDb.createDatabase(second);

        try (Connection a = mariaDb.connect(first);
                Connection b = mariaDb.connect(second)) {
            execute(a, CREATE_TABLE);
            execute(b, CREATE_TABLE);
            upsert(a, "successes", 1);
            upsert(b, "successes", 2);
            upsert(b, "retried", 3);

            assertThat(first).isNotEqualTo(second);
            assertThat(count(a, "successes")).isEqualTo(1);
            assertThat(count(b, "successes")).isEqualTo(2);
            assertThat(rowCount(a)).isEqualTo(1);
            assertThat(rowCount(b)).isEqualTo(2);
        }
    }

    @Test
    void shouldUseUtcForTheSession() throws SQLException {
        String database = names.database("timezone");
        mariaDb.createDatabase(database);

        try (Connection connection = mariaDb.connect(database);
                Statement statement = connection.createStatement();
                ResultSet resultSet =
                        statement.executeQuery("SELECT @@session.time_zone, @@global.time_zone")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(1)).isIn("+00:00", "UTC");
            assertThat(resultSet.getString(2)).isEqualTo("+00:00");
        }
    }

    @Test
    void shouldRejectADatabaseNameThatIsNotSafe() {
        assertThatThrownBy(() -> mariaDb.createDatabase("shard`; DROP DATABASE mysql; --"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mariaDb.jdbcUrl("Shard"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldInjectTheSameServerIntoEveryTestOfTheJvm(EmbeddedMariaDb injected) {
        assertThat(injected).isSameAs(mariaDb);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void upsert(Connection connection, String name, long c) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            statement.setString(1, name);
            statement.setLong(2, c);
            statement.executeUpdate();
        }
    }

    private static long count(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT_COUNT)) {
            statement.setString(1, name);
            try (ResultSet resultSet = statement.executeQuery()) {
                assertThat(resultSet.next()).isTrue();
                return resultSet.getLong(1);
            }
        }
    }

    private static long rowCount(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT COUNT(*) FROM counters")) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getLong(1);
        }
    }
}
