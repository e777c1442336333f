package io.deliverymetrics.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.shard.ShardMap;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedInfraExtension.class)
class MigratorITCase {

    private static final Set<String> SHARD_TABLES =
            Set.of(
                    "delivery_metrics_minute",
                    "delivery_metrics_hour",
                    "delivery_metrics_day",
                    "delivery_errors_minute",
                    "delivery_errors_hour",
                    "delivery_errors_day",
                    "pipeline_progress",
                    "compaction_progress");

    @Test
    void shouldCreateMissingShardDatabasesAndEveryTable(EmbeddedMariaDb db, UniqueNames names)
            throws SQLException {
        ShardMap shards = twoShards(db, names);

        List<MigrateResult> results = Migrator.migrateShards(shards);

        assertThat(results)
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.migrationsExecuted).isPositive());
        for (Shard s : shards.shards()) {
            assertThat(tables(s)).containsAll(SHARD_TABLES);
        }
    }

    @Test
    void shouldApplyNothingWhenRunAgain(EmbeddedMariaDb db, UniqueNames names) {
        ShardMap shards = twoShards(db, names);
        Migrator.migrateShards(shards);

        assertThat(Migrator.migrateShards(shards))
                .allSatisfy(r -> assertThat(r.migrationsExecuted).isZero());
    }

    @Test
    void shouldPartitionEveryTierTableOnBucketStart(EmbeddedMariaDb db, UniqueNames names)
            throws SQLException {
        ShardMap shards = twoShards(db, names);
        Migrator.migrateShards(shards);
        Shard s = shards.shard(0);
        String schema = s.jdbcUrl().replaceAll("^.*/([A-Za-z0-9_]+)\\?.*$", "$1");
        try (Connection c = connect(s);
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT DISTINCT TABLE_NAME, PARTITION_EXPRESSION FROM"
                                        + " INFORMATION_SCHEMA.PARTITIONS WHERE TABLE_SCHEMA = '"
                                        + schema
                                        + "' AND PARTITION_NAME IS NOT NULL")) {
            Set<String> partitioned = new TreeSet<>();
            while (rs.next()) {
                assertThat(rs.getString(2)).contains("bucket_start");
                partitioned.add(rs.getString(1));
            }
            assertThat(partitioned)
                    .containsExactlyInAnyOrder(
                            "delivery_metrics_minute",
                            "delivery_metrics_hour",
                            "delivery_metrics_day",
                            "delivery_errors_minute",
                            "delivery_errors_hour",
                            "delivery_errors_day");
        }
    }

    @Test
    void shouldCreateTheControlSchema(EmbeddedMariaDb db, UniqueNames names) throws SQLException {
        String name = names.database("control");
        Migrator.migrateControl(db.jdbcUrl(name), db.user(), db.password());
        assertThat(tables(new Shard(0, db.jdbcUrl(name), db.user(), db.password())))
                .contains("api_tokens");
    }

    @Test
    void shouldRefuseAUrlWithoutAUsableDatabaseName(EmbeddedMariaDb db) {
        String bad = "jdbc:mysql://localhost:" + db.port() + "/bad-name";
        assertThatThrownBy(() -> Migrator.migrateControl(bad, db.user(), db.password()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database name");
    }

    static ShardMap twoShards(EmbeddedMariaDb db, UniqueNames names) {
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // Not created up front: the migrator must create the database itself.
            shards.add(
                    new Shard(
                            i, db.jdbcUrl(names.database("shard" + i)), db.user(), db.password()));
        }
        return new ShardMap(shards, Map.of());
    }

    static Connection connect(Shard s) throws SQLException {
        return java.sql.DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
    }

    private static Set<String> tables(Shard s) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Connection c = connect(s);
                ResultSet rs =
                        c.getMetaData()
                                .getTables(c.getCatalog(), null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME"));
            }
        }
        return out;
    }
}
