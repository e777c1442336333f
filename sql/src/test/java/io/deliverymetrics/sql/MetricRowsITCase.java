package io.deliverymetrics.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.ErrorKey;
import io.deliverymetrics.core.metrics.ErrorSample;
import io.deliverymetrics.core.metrics.ErrorSamples;
import io.deliverymetrics.core.metrics.EventKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.OutcomeCounts;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.shard.ShardMap;
import io.deliverymetrics.core.time.Completeness;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(EmbeddedInfraExtension.class)
class MetricRowsITCase {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final PairKey A = new PairKey("ws_a", "src_1", "dst_1");
    private static final PairKey B = new PairKey("ws_a", "src_1", "dst_2");
    private static final PairKey C = new PairKey("ws_b", "src_1", "dst_1");

    private Shard shard;

    @BeforeEach
    void migrate(EmbeddedMariaDb db, UniqueNames names) {
        ShardMap shards = MigratorITCase.twoShards(db, names);
        Migrator.migrateShards(shards);
        shard = shards.shard(0);
    }

    @Test
    void shouldReadBackExactlyTheBucketThatWasWritten() throws SQLException {
        MetricBucket b = bucket(40, 7);
        try (Connection c = connect()) {
            MetricRows.write(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, b)));
            c.commit();
            assertThat(MetricRows.readOne(c, Granularity.MINUTE, A, T0)).isEqualTo(b);
        }
    }

    @Test
    void shouldOverwriteNotAddWhenTheSameBucketIsWrittenAgain() throws SQLException {
        try (Connection c = connect()) {
            MetricRows.write(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, bucket(10, 3))));
            MetricRows.write(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, bucket(10, 3))));
            c.commit();
            assertThat(MetricRows.readOne(c, Granularity.MINUTE, A, T0)).isEqualTo(bucket(10, 3));
        }
    }

    @Test
    void shouldRemoveErrorRowsThatALaterVersionOfTheBucketNoLongerHas() throws SQLException {
        MetricBucket first = new MetricBucket().add(failure(Outcome.DISCARDED, "http_400"));
        MetricBucket second = new MetricBucket().add(failure(Outcome.EXPIRED, "timeout"));
        try (Connection c = connect()) {
            MetricRows.write(c, Granularity.HOUR, List.of(new PairBucket(A, T0, first)));
            MetricRows.write(c, Granularity.HOUR, List.of(new PairBucket(A, T0, second)));
            c.commit();
            assertThat(MetricRows.readOne(c, Granularity.HOUR, A, T0).errors())
                    .containsExactly(Map.entry(new ErrorKey(Outcome.EXPIRED, "timeout"), 1L));
        }
    }

    @Test
    void shouldUpdateAndAddErrorRowsWhenAGrowingBucketIsWrittenAgain() throws SQLException {
        MetricBucket first =
                new MetricBucket()
                        .add(failure(Outcome.DISCARDED, "http_400"))
                        .add(failure(Outcome.RETRYING, "http_429"));
        MetricBucket second =
                first.copy()
                        .add(failure(Outcome.DISCARDED, "http_400"))
                        .add(failure(Outcome.EXPIRED, "timeout"));
        try (Connection c = connect()) {
            MetricRows.writeGrowing(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, first)));
            MetricRows.writeGrowing(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, second)));
            c.commit();

            MetricBucket back = MetricRows.readOne(c, Granularity.MINUTE, A, T0);
            assertThat(back).isEqualTo(second);
            assertThat(back.errors())
                    .containsExactly(
                            Map.entry(new ErrorKey(Outcome.RETRYING, "http_429"), 1L),
                            Map.entry(new ErrorKey(Outcome.DISCARDED, "http_400"), 2L),
                            Map.entry(new ErrorKey(Outcome.EXPIRED, "timeout"), 1L));
        }
    }

    @Test
    void shouldRemoveTheCodesAGrowingBucketFoldedIntoOther() throws SQLException {
        MetricBucket first = new MetricBucket();
        for (int i = 0; i < MetricBucket.MAX_ERROR_CODES; i++) {
            first.add(failure(Outcome.DISCARDED, "code_" + (100 + i)));
        }
        // One more code that sorts first: the cap keeps it and folds the last one into other.
        MetricBucket second = first.copy().add(failure(Outcome.DISCARDED, "code_000"));
        assertThat(second.errors()).containsKey(new ErrorKey(Outcome.DISCARDED, ErrorKey.OTHER));
        try (Connection c = connect()) {
            MetricRows.writeGrowing(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, first)));
            MetricRows.writeGrowing(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, second)));
            c.commit();

            assertThat(MetricRows.readOne(c, Granularity.MINUTE, A, T0).errors())
                    .isEqualTo(second.errors())
                    .doesNotContainKey(new ErrorKey(Outcome.DISCARDED, "code_199"));
        }
    }

    /** Names that only a byte-exact, no-pad store keeps apart and intact. */
    private static final String[] ODD_NAMES = {
        "Clicked \"Buy Now\"",
        "Report Exported to C:\\Reports",
        "it's",
        "Cart \uD83D\uDED2 Updated",
        "Level \uD83C\uDFAE Completed",
        "Caf\u00e9 Visited",
        "Caf\u0065\u0301 Visited",
        "Order Completed",
        "Order Completed ",
        "order completed",
        "\u6ce8\u6587\u5b8c\u4e86",
        "%_*",
        "x".repeat(120) + "\uD83D\uDED2".repeat(8)
    };

    @Test
    void shouldRoundTripEventNamesByteForByteThroughEveryTier() throws SQLException {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < ODD_NAMES.length; i++) {
            for (int n = 0; n <= i; n++) {
                b.add(
                        named(
                                "track",
                                ODD_NAMES[i],
                                n % 2 == 0 ? Outcome.DELIVERED : Outcome.RETRYING));
            }
        }
        b.add(named("identify", null, Outcome.FILTERED));
        b.add(named("identify", null, Outcome.EXPIRED));
        b.add(named(DeliveryAttempt.UNKNOWN_TYPE, null, Outcome.DISCARDED));
        assertThat(b.events()).hasSize(ODD_NAMES.length + 2);
        try (Connection c = connect()) {
            for (Granularity g : Granularity.values()) {
                MetricRows.write(c, g, List.of(new PairBucket(A, T0, b)));
            }
            c.commit();
            for (Granularity g : Granularity.values()) {
                assertThat(MetricRows.readOne(c, g, A, T0).events())
                        .as("%s", g)
                        .isEqualTo(b.events());
                List<PairBucket> range = RangeQuery.of(g, T0, T0.plusSeconds(60)).list(c);
                assertThat(range).hasSize(1);
                assertThat(range.get(0).bucket()).isEqualTo(b);
                assertThat(
                                RangeQuery.of(g, T0, T0.plusSeconds(60))
                                        .withoutEvents()
                                        .list(c)
                                        .get(0)
                                        .bucket()
                                        .events())
                        .isEmpty();
                // The column holds the names' UTF-8 bytes as they came, and decodes to them.
                byte[] stored;
                try (Statement st = c.createStatement();
                        ResultSet rs =
                                st.executeQuery("SELECT event_counts FROM " + g.metricsTable())) {
                    assertThat(rs.next()).isTrue();
                    stored = rs.getBytes(1);
                }
                String storedHex = HexFormat.of().formatHex(stored);
                for (String name : ODD_NAMES) {
                    assertThat(storedHex)
                            .as("%s: %s", g, name)
                            .contains(
                                    HexFormat.of()
                                            .formatHex(
                                                    name.getBytes(
                                                            java.nio.charset.StandardCharsets
                                                                    .UTF_8)));
                }
                assertThat(BucketCodec.decodeEvents(stored)).isEqualTo(b.events());
            }
        }
    }

    @Test
    void shouldRoundTripErrorSamplesByteForByteThroughEveryTier() throws SQLException {
        MetricBucket b = new MetricBucket();
        String[] messages = {
            "HTTP 400: {\"error\":\"bad \\\"field\\\"\"}",
            "C:\\path\\ \\n not a newline",
            "it's '; DROP TABLE x; --",
            "emoji \uD83D\uDED2 and \u6ce8\u6587",
            "trailing space ",
            "m".repeat(1000) + "\uD83D\uDED2".repeat(24),
            ""
        };
        for (int i = 0; i < 30; i++) {
            Instant done = T0.plusNanos(1_000_123_456L * (i + 1));
            b.add(
                    new DeliveryAttempt(
                            "ws",
                            "s",
                            "d",
                            "evt_" + i,
                            1 + i % 4,
                            i % 3 == 0 ? Outcome.DISCARDED : Outcome.RETRYING,
                            i % 5 == 0 ? null : "http_" + (500 + i % 2),
                            done.minusMillis(5),
                            done,
                            "unknown",
                            "track",
                            i % 2 == 0 ? null : ODD_NAMES[i % ODD_NAMES.length],
                            i % 4 == 0 ? null : messages[i % messages.length]));
        }
        assertThat(b.samples()).isNotEmpty();
        try (Connection c = connect()) {
            for (Granularity g : Granularity.values()) {
                MetricRows.write(c, g, List.of(new PairBucket(A, T0, b)));
            }
            c.commit();
            for (Granularity g : Granularity.values()) {
                assertThat(MetricRows.readOne(c, g, A, T0)).as("%s", g).isEqualTo(b);
                List<PairBucket> range = RangeQuery.of(g, T0, T0.plusSeconds(60)).list(c);
                assertThat(range.get(0).bucket().samples()).isEqualTo(b.samples());
                assertThat(
                                RangeQuery.of(g, T0, T0.plusSeconds(60))
                                        .withoutSamples()
                                        .list(c)
                                        .get(0)
                                        .bucket()
                                        .samples())
                        .isEmpty();
                // Stored byte-exact: each message's UTF-8 bytes are in its error row's column.
                Map<ErrorKey, String> stored = new TreeMap<>();
                try (Statement st = c.createStatement();
                        ResultSet rs =
                                st.executeQuery(
                                        "SELECT outcome, error_code, HEX(samples) FROM "
                                                + g.errorsTable()
                                                + " WHERE samples IS NOT NULL")) {
                    while (rs.next()) {
                        stored.put(
                                MetricRows.errorKey(rs.getString(1), rs.getString(2)),
                                rs.getString(3));
                    }
                }
                assertThat(stored.keySet()).isEqualTo(b.samples().keySet());
                int withMessage = 0;
                for (Map.Entry<ErrorKey, ErrorSamples> e : b.samples().entrySet()) {
                    for (ErrorSample x : e.getValue().samples()) {
                        if (x.errorMessage() != null) {
                            withMessage++;
                            assertThat(stored.get(e.getKey()))
                                    .contains(
                                            HexFormat.of()
                                                    .withUpperCase()
                                                    .formatHex(
                                                            x.errorMessage()
                                                                    .getBytes(
                                                                            StandardCharsets
                                                                                    .UTF_8)));
                        }
                    }
                }
                assertThat(withMessage).isPositive();
            }
        }
    }

    @Test
    void shouldReplaceTheSamplesOfABucketAndMoveFoldedOnesUnderOther() throws SQLException {
        MetricBucket first = new MetricBucket();
        for (int i = 0; i < MetricBucket.MAX_ERROR_CODES; i++) {
            first.add(failed("e" + i, String.format("code_%03d", i)));
        }
        MetricBucket second = first.copy();
        // One more code sorting first: the last code is folded into other with its samples.
        second.add(failed("x", "aaa"));
        ErrorKey other = new ErrorKey(Outcome.RETRYING, ErrorKey.OTHER);
        assertThat(second.samples()).containsKey(other);
        try (Connection c = connect()) {
            MetricRows.writeGrowing(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, first)));
            MetricRows.writeGrowing(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, second)));
            c.commit();
            assertThat(MetricRows.readOne(c, Granularity.MINUTE, A, T0).samples())
                    .isEqualTo(second.samples());
            MetricRows.write(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, bucket(3, 1))));
            c.commit();
            assertThat(MetricRows.readOne(c, Granularity.MINUTE, A, T0)).isEqualTo(bucket(3, 1));
        }
    }

    private static DeliveryAttempt failed(String eventId, String code) {
        return new DeliveryAttempt(
                "ws",
                "s",
                "d",
                eventId,
                2,
                Outcome.RETRYING,
                code,
                T0,
                T0.plusMillis(10),
                "unknown",
                "track",
                null,
                "failed with " + code);
    }

    @Test
    void shouldRemoveTheEventNamesAGrowingBucketFoldedIntoOther() throws SQLException {
        MetricBucket first = new MetricBucket();
        for (int i = 0; i < MetricBucket.MAX_EVENT_KEYS; i++) {
            first.add(named("track", "name " + (100 + i), Outcome.DELIVERED));
        }
        // A busier name: the cap keeps it and folds the quietest name that sorts last.
        MetricBucket busier = new MetricBucket();
        busier.add(named("page", "Home", Outcome.DELIVERED));
        busier.add(named("page", "Home", Outcome.DISCARDED));
        MetricBucket second = first.copy().merge(busier);
        EventKey folded = new EventKey("track", "name " + (100 + MetricBucket.MAX_EVENT_KEYS - 1));
        assertThat(second.events()).containsKey(EventKey.OTHER).doesNotContainKey(folded);
        try (Connection c = connect()) {
            MetricRows.writeGrowing(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, first)));
            MetricRows.writeGrowing(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, second)));
            c.commit();

            MetricBucket back = MetricRows.readOne(c, Granularity.MINUTE, A, T0);
            assertThat(back.events()).isEqualTo(second.events());
            assertThat(back.events().get(EventKey.OTHER))
                    .isEqualTo(OutcomeCounts.of(1, 0, 0, 0, 0));
            assertThat(back.events().get(new EventKey("page", "Home")))
                    .isEqualTo(OutcomeCounts.of(1, 0, 1, 0, 0));
        }
    }

    @Test
    void shouldKeepLateDroppedApartFromTheMetricUpsert() throws SQLException {
        try (Connection c = connect()) {
            try (PreparedStatement ps = c.prepareStatement(MetricRows.upsertLateDroppedSql())) {
                ps.setLong(MetricRows.bindKey(ps, A, T0), 4);
                ps.executeUpdate();
            }
            MetricRows.write(c, Granularity.MINUTE, List.of(new PairBucket(A, T0, bucket(5, 1))));
            c.commit();
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT late_dropped, successes FROM delivery_metrics_minute WHERE"
                                    + " workspace_id = ?")) {
                ps.setString(1, A.workspaceId());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(4);
                    assertThat(rs.getLong(2)).isEqualTo(5);
                }
            }
        }
    }

    @Test
    void shouldStreamARangeInKeyOrderWithFiltersAndErrorsAttached() throws SQLException {
        try (Connection c = connect()) {
            MetricRows.write(
                    c,
                    Granularity.MINUTE,
                    List.of(
                            new PairBucket(C, T0, bucket(1, 1)),
                            new PairBucket(B, T0.plusSeconds(60), bucket(2, 2)),
                            new PairBucket(A, T0.plusSeconds(60), bucket(3, 0)),
                            new PairBucket(A, T0, bucket(4, 5)),
                            new PairBucket(A, T0.plusSeconds(120), bucket(9, 9))));
            c.commit();

            List<PairBucket> all =
                    RangeQuery.of(Granularity.MINUTE, T0, T0.plusSeconds(120)).list(c);
            assertThat(all)
                    .extracting(
                            r ->
                                    r.pair().destinationId()
                                            + "@"
                                            + r.bucketStart().getEpochSecond() % 3600)
                    .containsExactly("dst_1@0", "dst_1@60", "dst_2@60", "dst_1@0");
            assertThat(all.get(0).bucket()).isEqualTo(bucket(4, 5));
            assertThat(all.get(2).bucket()).isEqualTo(bucket(2, 2));

            assertThat(
                            RangeQuery.of(Granularity.MINUTE, T0, T0.plusSeconds(600))
                                    .workspace("ws_a")
                                    .destination("dst_1")
                                    .list(c))
                    .extracting(r -> r.bucket().successes())
                    .containsExactly(4L, 3L, 9L);
        }
    }

    @Test
    void shouldPassOverTheRowsOfUnwantedPairsAndKeepTheOthersErrorsAndSamplesAttached()
            throws SQLException {
        try (Connection c = connect()) {
            List<PairBucket> written =
                    List.of(
                            new PairBucket(A, T0, bucket(4, 5)),
                            new PairBucket(A, T0.plusSeconds(60), bucket(3, 2)),
                            new PairBucket(B, T0, bucket(2, 4)),
                            new PairBucket(B, T0.plusSeconds(60), bucket(1, 1)));
            MetricRows.write(c, Granularity.MINUTE, written);
            c.commit();
            RangeQuery range =
                    RangeQuery.of(Granularity.MINUTE, T0, T0.plusSeconds(120))
                            .workspace("ws_a")
                            .streamed();

            for (PairKey unwanted : List.of(A, B)) {
                List<PairBucket> handed = new ArrayList<>();
                List<PairKey> skipped = new ArrayList<>();
                range.forEach(
                        c,
                        new RangeQuery.RowHandler() {
                            @Override
                            public void accept(PairBucket row) {
                                handed.add(row);
                            }

                            @Override
                            public boolean wants(PairKey pair) {
                                return !pair.equals(unwanted);
                            }

                            @Override
                            public void skipped(PairKey pair) {
                                skipped.add(pair);
                            }
                        });

                // The other pair's rows as they were written: counters, errors and samples.
                assertThat(skipped).containsExactly(unwanted, unwanted);
                assertThat(handed)
                        .isEqualTo(
                                written.stream().filter(r -> !r.pair().equals(unwanted)).toList())
                        .allSatisfy(r -> assertThat(r.bucket().errors()).isNotEmpty());
            }
        }
    }

    @Test
    void shouldLeaveSketchesAndErrorRowsUnreadOnlyWhenAskedAndReadEverythingElseTheSame()
            throws SQLException {
        try (Connection c = connect()) {
            MetricRows.write(
                    c,
                    Granularity.HOUR,
                    List.of(
                            new PairBucket(A, T0, bucket(40, 7)),
                            new PairBucket(B, T0, bucket(3, 0)),
                            new PairBucket(C, T0, bucket(5, 2))));
            c.commit();
            RangeQuery range =
                    RangeQuery.of(Granularity.HOUR, T0, T0.plusSeconds(3600)).workspace("ws_a");

            List<PairBucket> full = range.list(c);
            List<PairBucket> countersOnly = range.withoutLatencySketches().withoutErrors().list(c);
            List<PairBucket> noSketches = range.withoutLatencySketches().list(c);
            List<PairBucket> noErrors = range.withoutErrors().list(c);
            List<PairBucket> streamed = range.streamed().list(c);

            assertThat(full).hasSize(2);
            assertThat(streamed).isEqualTo(full);
            for (List<PairBucket> partial : List.of(countersOnly, noSketches, noErrors)) {
                assertThat(partial)
                        .extracting(PairBucket::pair, PairBucket::bucketStart)
                        .containsExactlyElementsOf(
                                full.stream()
                                        .map(r -> Tuple.tuple(r.pair(), r.bucketStart()))
                                        .toList());
                for (int i = 0; i < full.size(); i++) {
                    MetricBucket f = full.get(i).bucket();
                    MetricBucket p = partial.get(i).bucket();
                    assertThat(p.successes()).isEqualTo(f.successes());
                    assertThat(p.discarded()).isEqualTo(f.discarded());
                    assertThat(p.successesByAttempt()).isEqualTo(f.successesByAttempt());
                    assertThat(p.latencyCount()).isEqualTo(f.latencyCount());
                    assertThat(p.latencySumMs()).isEqualTo(f.latencySumMs());
                    assertThat(p.latencyMaxMs()).isEqualTo(f.latencyMaxMs());
                }
            }
            assertThat(full.get(0).bucket()).isEqualTo(bucket(40, 7));
            assertThat(noErrors.get(0).bucket().latencyQuantileMs(0.5))
                    .isEqualTo(full.get(0).bucket().latencyQuantileMs(0.5));
            assertThat(noErrors.get(0).bucket().errors()).isEmpty();
            assertThat(noSketches.get(0).bucket().errors())
                    .isEqualTo(full.get(0).bucket().errors())
                    .isNotEmpty();
            assertThat(noSketches.get(0).bucket().latencyQuantileMs(0.5)).isNaN();
            assertThat(countersOnly.get(0).bucket().errors()).isEmpty();
            assertThat(countersOnly.get(0).bucket().latencyQuantileMs(0.5)).isNaN();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldStoreIdsWithQuotesAndBackslashesAsTheyAreInEverySqlMode(boolean noBackslashEscapes)
            throws SQLException {
        // Ids the parser would never admit, so the literal writer must encode them as hex.
        PairKey odd = new PairKey("ws'; DROP TABLE x; --", "src\\'", "dst\\n\"");
        Instant withMillis = T0.plusMillis(1);
        try (Connection c = connect()) {
            if (noBackslashEscapes) {
                try (Statement st = c.createStatement()) {
                    st.execute(
                            "SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
                }
            }
            MetricBucket b = bucket(3, 2);
            MetricRows.write(
                    c,
                    Granularity.MINUTE,
                    List.of(new PairBucket(odd, T0, b), new PairBucket(A, withMillis, b)));
            c.commit();
            // Read without parameters: how the driver quotes a bound backslash is not at issue.
            List<Tuple> stored = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT workspace_id, source_id, destination_id, bucket_start,"
                                            + " successes FROM delivery_metrics_minute")) {
                while (rs.next()) {
                    stored.add(
                            Tuple.tuple(
                                    new PairKey(rs.getString(1), rs.getString(2), rs.getString(3)),
                                    MetricRows.fromDateTime(
                                            rs.getObject(4, java.time.LocalDateTime.class)),
                                    rs.getLong(5)));
                }
            }
            assertThat(stored)
                    .containsExactlyInAnyOrder(
                            Tuple.tuple(odd, T0, b.successes()), Tuple.tuple(A, T0, b.successes()));
            if (!noBackslashEscapes) {
                assertThat(MetricRows.readOne(c, Granularity.MINUTE, odd, T0)).isEqualTo(b);
            }
        }
    }

    @Test
    void shouldWriteMoreRowsThanOneStatementHoldsAndEachErrorRowOnce() throws SQLException {
        // Every row is well over 100 characters of SQL, so these 18,000 are several statements.
        int pairs = 6_000;
        int minutes = 3;
        List<PairBucket> rows = new ArrayList<>();
        long expectedSuccesses = 0;
        for (int p = 0; p < pairs; p++) {
            for (int m = 0; m < minutes; m++) {
                MetricBucket b = bucket(1 + (p + m) % 17, (p * 7 + m) % 4);
                expectedSuccesses += 1 + (p + m) % 17;
                rows.add(
                        new PairBucket(
                                new PairKey("ws_big", "src_" + p, "dst_" + m),
                                T0.plusSeconds(60L * m),
                                b));
            }
        }
        try (Connection c = connect()) {
            MetricRows.write(c, Granularity.MINUTE, rows);
            MetricRows.writeGrowing(c, Granularity.MINUTE, rows);
            c.commit();
            assertThat(
                            longs(
                                    c,
                                    "SELECT COUNT(*), SUM(successes) FROM delivery_metrics_minute"
                                            + " WHERE workspace_id = 'ws_big'"))
                    .containsExactly((long) pairs * minutes, expectedSuccesses);
            assertThat(
                            longs(
                                    c,
                                    "SELECT COUNT(*), SUM(error_count) FROM delivery_errors_minute"
                                            + " WHERE workspace_id = 'ws_big'"))
                    .containsExactly(
                            rows.stream().mapToLong(r -> r.bucket().errors().size()).sum(),
                            rows.stream().mapToLong(r -> r.bucket().discarded()).sum());
            // Spot checks: the first, a middle and the last row read back exactly.
            for (PairBucket r :
                    List.of(rows.get(0), rows.get(rows.size() / 2), rows.get(rows.size() - 1))) {
                assertThat(MetricRows.readOne(c, Granularity.MINUTE, r.pair(), r.bucketStart()))
                        .isEqualTo(r.bucket());
            }
        }
    }

    @Test
    void shouldReportProgressOnlyWhenEverySubtaskOfTheNewestParallelismHasReported()
            throws SQLException {
        try (Connection c = connect()) {
            PipelineProgress.write(c, "p", 0, 2, T0.plusSeconds(200), T0.plusSeconds(120));
            c.commit();
            assertThat(PipelineProgress.read(c, "p")).isEmpty();

            // Subtask 1 is behind: its watermark (T0 + 100 s) and its final instant rule.
            PipelineProgress.write(c, "p", 1, 2, T0.plusSeconds(100), T0.plusSeconds(60));
            c.commit();
            assertThat(PipelineProgress.read(c, "p"))
                    .contains(new Completeness(T0.plusSeconds(60), T0.plusSeconds(60)));

            // Progress never moves backwards.
            PipelineProgress.write(c, "p", 1, 2, T0, T0);
            c.commit();
            assertThat(PipelineProgress.completeThrough(c, "p")).contains(T0.plusSeconds(60));
            assertThat(PipelineProgress.finalThrough(c, "p")).contains(T0.plusSeconds(60));
        }
    }

    @Test
    void shouldCallAMinuteCompleteOnceTheWatermarkPassedItsLastMillisecond() throws SQLException {
        try (Connection c = connect()) {
            // Watermark T0 + 119.998 s: the minute [T0 + 60 s, T0 + 120 s) may still get on-time
            // records with timestamp T0 + 119.999 s.
            PipelineProgress.write(c, "q", 0, 1, T0.plusMillis(119_998), T0);
            c.commit();
            assertThat(PipelineProgress.read(c, "q"))
                    .contains(new Completeness(T0.plusSeconds(60), T0));

            // Watermark T0 + 119.999 s: no on-time record of that minute can come any more.
            PipelineProgress.write(c, "q", 0, 1, T0.plusMillis(119_999), T0.plusSeconds(60));
            c.commit();
            assertThat(PipelineProgress.read(c, "q"))
                    .contains(new Completeness(T0.plusSeconds(120), T0.plusSeconds(60)));
        }
    }

    @Test
    void shouldSendANewStatementEachTimeOneReachesItsSizeLimit() throws SQLException {
        try (Connection c = connect()) {
            long before = insertsCounted(c);
            try (MultiRowInsert ins =
                    new MultiRowInsert(
                            c,
                            "INSERT INTO delivery_metrics_minute"
                                    + " (workspace_id, source_id, destination_id, bucket_start,"
                                    + " successes) VALUES ",
                            "",
                            200)) {
                for (int r = 0; r < 10; r++) {
                    // The head is 110 characters and a row 50 (51 after the first): a statement
                    // reaches 200 with its second row, so 10 rows are 5 statements.
                    ins.row()
                            .value("ws_limit")
                            .value("src_" + r)
                            .value("dst")
                            .value(T0)
                            .value(r)
                            .endRow();
                }
                ins.flush();
            }
            c.commit();
            assertThat(insertsCounted(c) - before).isEqualTo(5);
            assertThat(
                            longs(
                                    c,
                                    "SELECT COUNT(*), SUM(successes) FROM delivery_metrics_minute"
                                            + " WHERE workspace_id = 'ws_limit'"))
                    .containsExactly(10L, 45L);
        }
    }

    /** The server's count of INSERT statements this session has run. */
    private static long insertsCounted(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Com_insert'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    /** The first row of a query of long columns. */
    private static List<Long> longs(Connection c, String sql) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getLong(i));
            }
        }
        return values;
    }

    private Connection connect() throws SQLException {
        Connection c = MigratorITCase.connect(shard);
        c.setAutoCommit(false);
        return c;
    }

    private static MetricBucket bucket(int delivered, int discarded) {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < delivered; i++) {
            Instant done = T0.plusMillis(1000 + i);
            b.add(
                    new DeliveryAttempt(
                            "ws",
                            "s",
                            "d",
                            "e" + i,
                            1 + i % 12,
                            Outcome.DELIVERED,
                            null,
                            done.minusMillis(37L * i + 5),
                            done));
        }
        for (int i = 0; i < discarded; i++) {
            b.add(failure(Outcome.DISCARDED, "http_4" + (i % 3)));
        }
        return b;
    }

    private static DeliveryAttempt named(String type, String name, Outcome o) {
        return new DeliveryAttempt(
                "ws",
                "s",
                "d",
                "e",
                1,
                o,
                null,
                T0,
                T0.plusMillis(10),
                "unknown",
                type,
                name,
                null);
    }

    private static DeliveryAttempt failure(Outcome o, String code) {
        return new DeliveryAttempt("ws", "s", "d", "e", 1, o, code, T0, T0.plusMillis(10));
    }
}
