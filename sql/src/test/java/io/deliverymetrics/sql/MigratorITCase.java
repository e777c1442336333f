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
import java.util.TreeMap;
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
                    "delivery_totals",
                    "destination_types",
                    "compaction_progress",
                    "error_samples_retention");

    /** The metrics and errors tables of every tier. */
    private static final Set<String> PARTITIONED_TABLES =
            Set.of(
                    "delivery_metrics_minute",
                    "delivery_metrics_hour",
                    "delivery_metrics_day",
                    "delivery_errors_minute",
                    "delivery_errors_hour",
                    "delivery_errors_day");

    @Test
    void shouldCreateMissingShardDatabasesAndEveryTable(EmbeddedMariaDb db, UniqueNames names)
            throws SQLException {
        ShardMap shards = twoShards(db, names);

        List<MigrateResult> results = Migrator.migrateShards(shards);

        assertThat(results)
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.migrationsExecuted).isPositive());
        for (Shard s : shards.shards()) {
            // The event breakdown is a column of the metrics rows since V8.
            assertThat(tables(s))
                    .containsAll(SHARD_TABLES)
                    .doesNotContain(
                            "delivery_events_minute",
                            "delivery_events_hour",
                            "delivery_events_day");
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
            assertThat(partitioned).containsExactlyInAnyOrderElementsOf(PARTITIONED_TABLES);
        }
    }

    @Test
    void shouldIndexEveryTierTableByWorkspaceAndTime(EmbeddedMariaDb db, UniqueNames names)
            throws SQLException {
        ShardMap shards = twoShards(db, names);
        Migrator.migrateShards(shards);
        Shard s = shards.shard(0);
        Map<String, List<String>> byTable = new TreeMap<>();
        try (Connection c = connect(s);
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT TABLE_NAME, COLUMN_NAME FROM"
                                                + " INFORMATION_SCHEMA.STATISTICS WHERE"
                                                + " TABLE_SCHEMA = DATABASE() AND INDEX_NAME ="
                                                + " CONCAT('ix_', TABLE_NAME, '_ws_bucket')"
                                                + " ORDER BY TABLE_NAME, SEQ_IN_INDEX")) {
            while (rs.next()) {
                byTable.computeIfAbsent(rs.getString(1), t -> new ArrayList<>())
                        .add(rs.getString(2));
            }
        }
        assertThat(byTable.keySet()).containsAll(PARTITIONED_TABLES);
        assertThat(byTable.values())
                .allSatisfy(
                        cols -> assertThat(cols).containsExactly("workspace_id", "bucket_start"));
    }

    @Test
    void shouldReadAWorkspaceTimeRangeThroughTheWorkspaceIndex(
            EmbeddedMariaDb db, UniqueNames names) throws SQLException {
        ShardMap shards = twoShards(db, names);
        Migrator.migrateShards(shards);
        try (Connection c = connect(shards.shard(0));
                Statement st = c.createStatement()) {
            // 2 workspaces x 20 pairs x 10 days of hour rows; the read below wants one day of one
            // workspace, a twentieth of what the primary key would walk.
            st.execute(
                    "INSERT INTO delivery_metrics_hour (workspace_id, source_id, destination_id,"
                            + " bucket_start) SELECT CONCAT('ws_', w.seq), CONCAT('src_', p.seq"
                            + " DIV 5), CONCAT('dst_', p.seq MOD 5), '2026-11-01 00:00:00' +"
                            + " INTERVAL h.seq HOUR FROM seq_0_to_1 w, seq_0_to_19 p,"
                            + " seq_0_to_239 h");
            st.execute("ANALYZE TABLE delivery_metrics_hour");
            try (ResultSet rs =
                    st.executeQuery(
                            "EXPLAIN SELECT * FROM delivery_metrics_hour WHERE bucket_start >="
                                    + " '2026-11-05 00:00:00' AND bucket_start < '2026-11-06"
                                    + " 00:00:00' AND workspace_id = 'ws_1' ORDER BY workspace_id,"
                                    + " source_id, destination_id, bucket_start")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("key")).isEqualTo("ix_delivery_metrics_hour_ws_bucket");
            }
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

    /** Shard 0 of {@link #twoShards}, migrated. */
    static Shard migratedShard(EmbeddedMariaDb db, UniqueNames names) {
        ShardMap shards = twoShards(db, names);
        Migrator.migrateShards(shards);
        return shards.shard(0);
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
