package io.deliverymetrics.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.DestinationTypes.Seen;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedInfraExtension.class)
class DestinationTypesITCase {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    private Connection conn;

    @BeforeEach
    void connect(EmbeddedMariaDb db, UniqueNames names) throws SQLException {
        conn = MigratorITCase.connect(MigratorITCase.migratedShard(db, names));
        conn.setAutoCommit(false);
    }

    @AfterEach
    void close() throws SQLException {
        conn.close();
    }

    @Test
    void shouldKeepTheTypeOfTheLatestMinuteWhateverOrderTheSightingsArriveIn() throws SQLException {
        Seen oldType = new Seen("ws_a", "dst_1", "braze", T0);
        Seen newType = new Seen("ws_a", "dst_1", "salesforce", T1);
        Seen other = new Seen("ws_a", "dst_2", "braze", T0);
        DestinationTypes.write(conn, List.of(newType, other));
        conn.commit();
        // A replay from an older checkpoint sends the older minute's type again.
        DestinationTypes.write(conn, List.of(oldType));
        conn.commit();
        Optional<String> afterReplay = DestinationTypes.read(conn, "ws_a", "dst_1");

        assertThat(afterReplay).contains("salesforce");
        assertThat(DestinationTypes.read(conn, "ws_a", "dst_2")).contains("braze");
        assertThat(DestinationTypes.read(conn, "ws_a", "dst_3")).isEmpty();
        assertThat(DestinationTypes.read(conn, "ws_b", "dst_1")).isEmpty();
    }

    @Test
    void shouldMoveToANewerTypeAndBreakATieWithinAMinuteByTheGreaterType() throws SQLException {
        DestinationTypes.write(conn, List.of(new Seen("ws_a", "dst_1", "salesforce", T0)));
        conn.commit();
        DestinationTypes.write(conn, List.of(new Seen("ws_a", "dst_1", "braze", T0)));
        conn.commit();
        Optional<String> sameMinuteSmaller = DestinationTypes.read(conn, "ws_a", "dst_1");
        DestinationTypes.write(conn, List.of(new Seen("ws_a", "dst_1", "braze", T1)));
        conn.commit();
        Optional<String> laterMinute = DestinationTypes.read(conn, "ws_a", "dst_1");
        DestinationTypes.write(conn, List.of(new Seen("ws_a", "dst_1", "hubspot", T1)));
        conn.commit();

        assertThat(sameMinuteSmaller).contains("salesforce");
        assertThat(laterMinute).contains("braze");
        assertThat(DestinationTypes.read(conn, "ws_a", "dst_1")).contains("hubspot");
    }

    @Test
    void shouldAgreeWithTheUpsertOnWhichSightingSupersedes() {
        Seen a = new Seen("ws_a", "dst_1", "braze", T0);

        assertThat(new Seen("ws_a", "dst_1", "amplitude", T1).supersedes(a)).isTrue();
        assertThat(new Seen("ws_a", "dst_1", "salesforce", T0).supersedes(a)).isTrue();
        assertThat(new Seen("ws_a", "dst_1", "amplitude", T0).supersedes(a)).isFalse();
        assertThat(a.supersedes(a)).isFalse();
    }
}
