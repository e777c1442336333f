package io.deliverymetrics.api.query;

import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.api.model.GroupBy;
import io.deliverymetrics.api.model.Metric;
import io.deliverymetrics.api.model.MetricsQuery;
import io.deliverymetrics.api.model.Series;
import io.deliverymetrics.api.model.SeriesKey;
import io.deliverymetrics.api.model.SummaryResponse;
import io.deliverymetrics.api.model.TimeseriesResponse;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Completeness;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.core.time.TierPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The service over an in-memory store of minute rows (the JDBC store is covered by ITCases). */
class MetricsServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:42Z");
    private static final Instant START = Instant.parse("2026-11-26T11:00:00Z");
    private static final Instant END = Instant.parse("2026-11-26T12:00:00Z");

    private final List<PairBucket> minuteRows = new ArrayList<>();
    // Rows the store decoded and handed over (rows of pairs the sink does not want are not).
    private int decoded;

    private final MetricStore store =
            rowsStore(
                    Map.of(Granularity.MINUTE, minuteRows),
                    tier -> Optional.empty(),
                    Optional.of(
                            new Completeness(
                                    Instant.parse("2026-11-26T11:59:00Z"),
                                    Instant.parse("2026-11-26T11:58:00Z"))),
                    segment -> assertThat(segment.tier()).isEqualTo(Granularity.MINUTE),
                    () -> decoded++);

    /**
     * A shard view over rows held per tier: {@code onScan} sees each segment first, {@code
     * onDecoded} each row handed to the sink (rows of pairs the sink does not want are skipped).
     */
    private static MetricStore rowsStore(
            Map<Granularity, List<PairBucket>> rows,
            Function<Granularity, Optional<Instant>> compactedThrough,
            Optional<Completeness> completeness,
            Consumer<ReadSegment> onScan,
            Runnable onDecoded) {
        return workspace ->
                new ShardView() {
                    @Override
                    public Optional<Instant> compactedThrough(Granularity tier) {
                        return compactedThrough.apply(tier);
                    }

                    @Override
                    public Optional<Completeness> completeness() {
                        return completeness;
                    }

                    @Override
                    public void scan(
                            ReadSegment segment,
                            String ws,
                            String src,
                            String dst,
                            RowContent content,
                            RowSink sink) {
                        onScan.accept(segment);
                        for (PairBucket r : rows.getOrDefault(segment.tier(), List.of())) {
                            if (!r.bucketStart().isBefore(segment.start())
                                    && r.bucketStart().isBefore(segment.end())) {
                                if (!sink.wants(r.pair())) {
                                    sink.skipped(r.pair());
                                    continue;
                                }
                                onDecoded.run();
                                sink.accept(
                                        new PairBucket(
                                                r.pair(), r.bucketStart(), r.bucket().copy()));
                            }
                        }
                    }

                    @Override
                    public Optional<String> destinationType(String ws, String dst) {
                        return Optional.empty();
                    }

                    @Override
                    public void close() {}
                };
    }

    /** Successes over minute rows, one series per page, after {@code after}. */
    private static MetricsQuery minuteQuery(GroupBy groupBy, Optional<SeriesKey> after) {
        return minuteQuery(List.of(Metric.SUCCESSES), groupBy, 1, after, false);
    }

    private static MetricsQuery minuteQuery(
            List<Metric> metrics,
            GroupBy groupBy,
            int limit,
            Optional<SeriesKey> after,
            boolean compare) {
        return new MetricsQuery(
                "ws",
                null,
                null,
                START,
                END,
                Optional.of(Granularity.MINUTE),
                metrics,
                groupBy,
                limit,
                after,
                compare);
    }

    private static MetricsQuery minuteQuery(GroupBy groupBy, int limit) {
        return minuteQuery(List.of(Metric.SUCCESSES), groupBy, limit, Optional.empty(), false);
    }

    @Test
    void shouldShrinkAPageOfSeriesToStayWithinTheMaxPagePoints() {
        for (int i = 0; i < 5; i++) {
            String src = "src_" + i;
            minuteRows.add(
                    new PairBucket(
                            new PairKey("ws", src, "d"),
                            START,
                            new MetricBucket()
                                    .add(anAttempt().pair("ws", src, "d").at(START).delivered())));
        }
        MetricsService service =
                new MetricsService(store, new TierResolver(TierPolicy.defaults()), 150);

        TimeseriesResponse r = service.timeseries(minuteQuery(GroupBy.SOURCE, 100), NOW);

        assertThat(r.series()).hasSize(2);
        assertThat(r.series()).extracting(Series::sourceId).containsExactly("src_0", "src_1");
        assertThat(r.nextCursor()).isNotNull();
    }

    /**
     * Statements do not share a snapshot (ShardView), so exactness rests on the order: progress
     * first, then the rows it describes, for every kind of read.
     */
    @Test
    void shouldReadProgressBeforeAnyRowsForEveryKindOfRead() {
        List<String> calls = new ArrayList<>();
        MetricStore recording =
                workspace -> {
                    ShardView inner = store.open(workspace);
                    return new ShardView() {
                        @Override
                        public Optional<Instant> compactedThrough(Granularity tier) {
                            calls.add("compactedThrough");
                            return inner.compactedThrough(tier);
                        }

                        @Override
                        public Optional<Completeness> completeness() {
                            calls.add("completeness");
                            return inner.completeness();
                        }

                        @Override
                        public void scan(
                                ReadSegment segment,
                                String ws,
                                String src,
                                String dst,
                                RowContent content,
                                RowSink sink) {
                            calls.add("scan");
                            inner.scan(segment, ws, src, dst, content, sink);
                        }

                        @Override
                        public Optional<String> destinationType(String ws, String dst) {
                            calls.add("destinationType");
                            return inner.destinationType(ws, dst);
                        }

                        @Override
                        public void close() {}
                    };
                };
        MetricsService service =
                new MetricsService(recording, new TierResolver(TierPolicy.defaults()), 200_000);
        MetricsQuery q = minuteQuery(GroupBy.NONE, 1);

        for (Runnable read :
                List.<Runnable>of(
                        () -> service.timeseries(q, NOW),
                        () -> service.summary(q, NOW),
                        () -> service.errors(q, NOW))) {
            calls.clear();
            read.run();
            assertThat(calls).contains("scan");
            assertThat(calls.get(0)).isEqualTo("completeness");
            assertThat(calls.subList(1, calls.size())).doesNotContain("completeness");
        }
    }

    @Test
    void shouldTellTheMeterEveryRowItReadsForEveryKindOfRead() {
        // 3 pairs x 60 minutes, more than one chunk of rows is told per call.
        int rows = 0;
        for (int p = 0; p < 3; p++) {
            for (int m = 0; m < 60; m++) {
                Instant at = START.plusSeconds(60L * m);
                String src = "src_" + p;
                minuteRows.add(
                        new PairBucket(
                                new PairKey("ws", src, "d"),
                                at,
                                new MetricBucket()
                                        .add(anAttempt().pair("ws", src, "d").at(at).delivered())));
                rows++;
            }
        }
        MetricsService service =
                new MetricsService(store, new TierResolver(TierPolicy.defaults()), 200_000);
        MetricsQuery q = minuteQuery(GroupBy.PAIR, 1);
        List<Long> told = new ArrayList<>();

        service.timeseries(q, NOW, told::add);
        service.summary(q, NOW, told::add);
        service.errors(q, NOW, told::add);

        assertThat(told.stream().mapToLong(Long::longValue).sum()).isEqualTo(3L * rows);
        assertThat(told).allSatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    void shouldDecodeOnlyTheRowsOfThePagesPairs() {
        // 3 pairs x 60 minutes; a page of one pair needs only that pair's rows decoded.
        for (int p = 0; p < 3; p++) {
            for (int m = 0; m < 60; m++) {
                Instant at = START.plusSeconds(60L * m);
                String src = "src_" + p;
                MetricBucket b = new MetricBucket();
                for (int i = 0; i <= p; i++) {
                    b.add(anAttempt().pair("ws", src, "d").at(at).delivered());
                }
                minuteRows.add(new PairBucket(new PairKey("ws", src, "d"), at, b));
            }
        }
        MetricsService service =
                new MetricsService(store, new TierResolver(TierPolicy.defaults()), 200_000);

        TimeseriesResponse first = service.timeseries(minuteQuery(GroupBy.PAIR, 1), NOW);
        int decodedForFirst = decoded;
        decoded = 0;
        SummaryResponse second =
                service.summary(
                        minuteQuery(GroupBy.PAIR, Cursor.decode(GroupBy.PAIR, first.nextCursor())),
                        NOW);

        assertThat(decodedForFirst).isEqualTo(60);
        assertThat(first.series()).extracting(Series::sourceId).containsExactly("src_0");
        // The second page: src_1's rows only (src_0 is before the cursor, src_2 beyond the page),
        // and its totals are src_1's 2 successes per minute.
        assertThat(decoded).isEqualTo(60);
        assertThat(second.pairs()).hasSize(1);
        assertThat(second.pairs().get(0))
                .containsEntry("source_id", "src_1")
                .containsEntry("successes", 120L);
    }

    @Test
    void shouldSumAnUnalignedRangeFromTheHourRowsOfItsWholeCompactedHours() {
        // Two pairs, 08:00-12:00: one success per minute for src_0, two for src_1; the hour tier
        // holds the merge of each whole hour's minutes and is compacted through 11:00.
        Instant from = Instant.parse("2026-11-26T08:00:00Z");
        Instant compacted = Instant.parse("2026-11-26T11:00:00Z");
        Map<Granularity, List<PairBucket>> rows = new EnumMap<>(Granularity.class);
        rows.put(Granularity.MINUTE, new ArrayList<>());
        rows.put(Granularity.HOUR, new ArrayList<>());
        for (int p = 0; p < 2; p++) {
            PairKey pair = new PairKey("ws", "src_" + p, "d");
            for (int h = 0; h < 4; h++) {
                Instant hour = from.plusSeconds(3600L * h);
                MetricBucket hourBucket = new MetricBucket();
                for (int m = 0; m < 60; m++) {
                    Instant at = hour.plusSeconds(60L * m);
                    MetricBucket b = new MetricBucket();
                    for (int i = 0; i <= p; i++) {
                        b.add(anAttempt().pair("ws", pair.sourceId(), "d").at(at).delivered());
                    }
                    rows.get(Granularity.MINUTE).add(new PairBucket(pair, at, b));
                    hourBucket.merge(b);
                }
                if (hour.isBefore(compacted)) {
                    rows.get(Granularity.HOUR).add(new PairBucket(pair, hour, hourBucket));
                }
            }
        }
        List<ReadSegment> scanned = new ArrayList<>();
        MetricStore tiered =
                rowsStore(
                        rows,
                        tier ->
                                tier == Granularity.HOUR
                                        ? Optional.of(compacted)
                                        : Optional.empty(),
                        Optional.empty(),
                        scanned::add,
                        () -> {});
        MetricsService service =
                new MetricsService(tiered, new TierResolver(TierPolicy.defaults()), 200_000);
        MetricsQuery q =
                new MetricsQuery(
                        "ws",
                        null,
                        null,
                        Instant.parse("2026-11-26T08:17:00Z"),
                        Instant.parse("2026-11-26T11:43:00Z"),
                        Optional.empty(),
                        List.of(Metric.SUCCESSES),
                        GroupBy.PAIR,
                        10,
                        Optional.empty(),
                        false);
        List<Long> told = new ArrayList<>();

        SummaryResponse summary = service.summary(q, NOW, told::add);

        // 206 minutes: 43 from minute rows, 09:00-11:00 from hour rows, 43 from minute rows again.
        assertThat(summary.pairs()).extracting(p -> p.get("successes")).containsExactly(206L, 412L);
        assertThat(scanned)
                .extracting(ReadSegment::tier)
                .containsExactly(Granularity.MINUTE, Granularity.HOUR, Granularity.MINUTE);
        assertThat(told.stream().mapToLong(Long::longValue).sum()).isEqualTo(2 * (43 + 2 + 43));

        // A series reads every minute of its own tier.
        scanned.clear();
        service.timeseries(q, NOW);
        assertThat(scanned).extracting(ReadSegment::tier).containsOnly(Granularity.MINUTE);
    }

    @Test
    void shouldMarkOnlyTheLastMinutePartial() {
        MetricsService service =
                new MetricsService(store, new TierResolver(TierPolicy.defaults()), 200_000);

        TimeseriesResponse r = service.timeseries(minuteQuery(GroupBy.NONE, 1), NOW);

        List<Object> partial =
                r.series().get(0).points().stream().map(p -> p.get("partial")).toList();
        assertThat(partial.subList(0, 59)).containsOnly(false);
        assertThat(partial.get(59)).isEqualTo(true);
        assertThat(r.completeThrough()).isEqualTo("2026-11-26T11:59:00Z");
        assertThat(r.finalThrough()).isEqualTo("2026-11-26T11:58:00Z");
    }

    @Test
    void shouldRefuseARangeNoTierCanServe() {
        MetricsService service =
                new MetricsService(store, new TierResolver(TierPolicy.defaults()), 200_000);
        MetricsQuery old =
                new MetricsQuery(
                        "ws",
                        null,
                        null,
                        Instant.parse("2026-01-01T00:00:00Z"),
                        Instant.parse("2026-01-02T00:00:00Z"),
                        Optional.of(Granularity.MINUTE),
                        List.of(Metric.SUCCESSES),
                        GroupBy.NONE,
                        1,
                        Optional.empty());

        assertThatThrownBy(() -> service.timeseries(old, NOW))
                .isInstanceOfSatisfying(
                        RangeNotServableException.class,
                        e ->
                                assertThat(e.failure())
                                        .isInstanceOf(TierPolicy.Selection.BeyondRetention.class));
    }

    private void seedEvents() {
        // 11:00 .. 11:59 in the range, 10:00 .. 10:59 the previous range.
        String[] names = {"Order \"Completed\"", "a\\b", "\uD83D\uDE80 launch", null};
        for (int m = 0; m < 120; m++) {
            Instant at = START.minusSeconds(3600).plusSeconds(60L * m);
            MetricBucket b = new MetricBucket();
            for (int k = 0; k < names.length; k++) {
                if ((m + k) % 3 == 0) {
                    continue;
                }
                AttemptBuilder a =
                        anAttempt()
                                .pair("ws", "s", "d")
                                .at(at)
                                .eventType(k == 3 ? "page" : "track");
                if (names[k] != null) {
                    a = a.eventName(names[k]);
                }
                b.add(m % 5 == 0 ? a.discarded() : a.delivered());
            }
            minuteRows.add(new PairBucket(new PairKey("ws", "s", "d"), at, b));
        }
    }

    private MetricsQuery eventQuery(GroupBy groupBy, int limit, boolean compare) {
        return minuteQuery(
                Metric.outcomeCounterMetrics(), groupBy, limit, Optional.empty(), compare);
    }

    @Test
    void shouldSplitTheEventBreakdownIntoOneSeriesPerEventNameThatSumToThePair() {
        seedEvents();
        MetricsService service =
                new MetricsService(store, new TierResolver(TierPolicy.defaults()), 200_000);

        SummaryResponse byName = service.summary(eventQuery(GroupBy.EVENT_NAME, 100, false), NOW);
        SummaryResponse byPair = service.summary(minuteQuery(GroupBy.PAIR, 100), NOW);

        assertThat(byName.pairs()).isNull();
        assertThat(byName.events())
                .extracting(e -> e.get("event_type") + "/" + e.get("event_name"))
                .containsExactly(
                        "page/null",
                        "track/Order \"Completed\"",
                        "track/a\\b",
                        "track/\uD83D\uDE80 launch");
        long sum = byName.events().stream().mapToLong(e -> (Long) e.get("successes")).sum();
        assertThat(sum).isEqualTo(byPair.pairs().get(0).get("successes"));
        assertThat(byName.events().get(0)).containsKey("event_name");
    }

    @Test
    void shouldPageEventSeriesWithACursorThatRoundTripsTheName() {
        seedEvents();
        MetricsService service =
                new MetricsService(store, new TierResolver(TierPolicy.defaults()), 200_000);
        List<String> seen = new ArrayList<>();
        Optional<SeriesKey> after = Optional.empty();
        for (int page = 0; page < 10; page++) {
            MetricsQuery q = minuteQuery(GroupBy.EVENT_NAME, after);
            TimeseriesResponse r = service.timeseries(q, NOW);
            assertThat(r.series()).hasSize(1);
            seen.add(r.series().get(0).key().eventName());
            if (r.nextCursor() == null) {
                break;
            }
            after = Cursor.decode(GroupBy.EVENT_NAME, r.nextCursor());
            assertThat(after).contains(r.series().get(0).key());
        }
        assertThat(seen)
                .containsExactly(null, "Order \"Completed\"", "a\\b", "\uD83D\uDE80 launch");
    }

    @Test
    void shouldCompareEachEventWithThePreviousRangeOfTheSameLength() {
        seedEvents();
        MetricsService service =
                new MetricsService(store, new TierResolver(TierPolicy.defaults()), 200_000);
        List<Long> told = new ArrayList<>();

        SummaryResponse r =
                service.summary(eventQuery(GroupBy.EVENT_TYPE, 100, true), NOW, told::add);

        assertThat(r.previousRange().start()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(r.previousRange().end()).isEqualTo("2026-11-26T11:00:00Z");
        // Both ranges are read and told to the meter: each row and each of its event rows.
        long rows = minuteRows.stream().mapToLong(b -> 1 + b.bucket().events().size()).sum();
        assertThat(told.stream().mapToLong(Long::longValue).sum()).isEqualTo(rows);
        for (Map<String, Object> e : r.events()) {
            String type = (String) e.get("event_type");
            long now = 0;
            long before = 0;
            for (PairBucket row : minuteRows) {
                long n =
                        row.bucket().events().entrySet().stream()
                                .filter(x -> x.getKey().eventType().equals(type))
                                .mapToLong(x -> x.getValue().successes())
                                .sum();
                if (row.bucketStart().isBefore(START)) {
                    before += n;
                } else {
                    now += n;
                }
            }
            assertThat(e.get("successes")).isEqualTo(now);
            @SuppressWarnings("unchecked")
            Map<String, Object> previous = (Map<String, Object>) e.get("previous");
            assertThat(previous.get("successes")).isEqualTo(before);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> change =
                    (Map<String, Map<String, Object>>) e.get("change");
            assertThat(change.get("successes").get("absolute")).isEqualTo(now - before);
            assertThat(change.get("successes").get("relative"))
                    .isEqualTo((double) (now - before) / before);
        }
    }
}
