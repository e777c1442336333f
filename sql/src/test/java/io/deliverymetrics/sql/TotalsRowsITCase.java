package io.deliverymetrics.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.shard.ShardMap;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.TotalsRows.PairTotals;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedInfraExtension.class)
class TotalsRowsITCase {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final PairKey A = new PairKey("ws_a", "src_1", "dst_1");
    private static final PairKey B = new PairKey("ws_a", "src_2", "dst_1");
    private static final PairKey C = new PairKey("ws_b", "src_1", "dst_1");

    private Shard shard;

    @BeforeEach
    void migrate(EmbeddedMariaDb db, UniqueNames names) {
        ShardMap shards = MigratorITCase.twoShards(db, names);
        Migrator.migrateShards(shards);
        shard = shards.shard(0);
    }

    private static DeliveryTotals totals(int delivered, int discarded) {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < delivered; i++) {
            b.add(
                    new DeliveryAttempt(
                            "ws",
                            "s",
                            "d",
                            "e" + i,
                            1,
                            Outcome.DELIVERED,
                            null,
                            T0,
                            T0.plusMillis(20L * (i + 1))));
        }
        for (int i = 0; i < discarded; i++) {
            b.add(
                    new DeliveryAttempt(
                            "ws",
                            "s",
                            "d",
                            "x" + i,
                            1,
                            Outcome.DISCARDED,
                            "http_400",
                            T0,
                            T0.plusMillis(5)));
        }
        return DeliveryTotals.ZERO.plus(b);
    }

    @Test
    void shouldReadBackTheTotalsThatWereWrittenPerWorkspaceAndInKeyOrder() throws SQLException {
        PairTotals a = new PairTotals(A, T0.plusSeconds(60), totals(30, 2));
        PairTotals b = new PairTotals(B, T0.plusSeconds(120), totals(3, 0));
        PairTotals c = new PairTotals(C, T0.plusSeconds(60), totals(0, 9));
        try (Connection conn = connect()) {
            TotalsRows.write(conn, List.of(c, b, a));
            conn.commit();

            assertThat(TotalsRows.read(conn, Optional.empty(), 10)).containsExactly(a, b, c);
            assertThat(TotalsRows.read(conn, Optional.of("ws_a"), 10)).containsExactly(a, b);
            assertThat(TotalsRows.read(conn, Optional.empty(), 2)).containsExactly(a, b);
        }
    }

    @Test
    void shouldNeverMoveARowBackToTotalsOfAnOlderMinute() throws SQLException {
        PairTotals older = new PairTotals(A, T0.plusSeconds(60), totals(10, 1));
        PairTotals newer = new PairTotals(A, T0.plusSeconds(120), totals(25, 3));
        try (Connection conn = connect()) {
            TotalsRows.write(conn, List.of(newer));
            conn.commit();
            // A replay from an older checkpoint writes the totals it had then.
            TotalsRows.write(conn, List.of(older));
            conn.commit();
            List<PairTotals> afterReplay = TotalsRows.read(conn, Optional.empty(), 10);
            TotalsRows.write(conn, List.of(newer));
            conn.commit();
            List<PairTotals> afterRewrite = TotalsRows.read(conn, Optional.empty(), 10);

            assertThat(afterReplay).containsExactly(newer);
            assertThat(afterRewrite).containsExactly(newer);
        }
    }

    private Connection connect() throws SQLException {
        Connection c = MigratorITCase.connect(shard);
        c.setAutoCommit(false);
        return c;
    }
}
