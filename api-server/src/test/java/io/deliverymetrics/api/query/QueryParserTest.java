package io.deliverymetrics.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.model.GroupBy;
import io.deliverymetrics.api.model.InvalidParam;
import io.deliverymetrics.api.model.Metric;
import io.deliverymetrics.api.model.MetricsQuery;
import io.deliverymetrics.api.model.SeriesKey;
import io.deliverymetrics.core.time.Granularity;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class QueryParserTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:42Z");
    private static final Map<String, String> PATH = Map.of("workspace_id", "ws_acme");

    private final QueryParser parser =
            new QueryParser(
                    new ApiConfig.Query(
                            Duration.ofHours(1),
                            Duration.ofDays(1),
                            100,
                            1000,
                            200_000,
                            Duration.ofSeconds(1),
                            4,
                            1,
                            8_388_608,
                            50_000),
                    Duration.ofDays(1095));

    @Test
    void shouldDefaultToTheHourBeforeTheCurrentMinuteWithEveryMetric() {
        MetricsQuery q = parse(Map.of());

        assertThat(q.end()).isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
        assertThat(q.start()).isEqualTo(Instant.parse("2026-11-26T11:00:00Z"));
        assertThat(q.granularity()).isEmpty();
        assertThat(q.metrics()).containsExactly(Metric.values());
        assertThat(q.groupBy()).isEqualTo(GroupBy.NONE);
        assertThat(q.limit()).isEqualTo(100);
    }

    @Test
    void shouldDefaultStartToOneHourBeforeAGivenEnd() {
        MetricsQuery q = parse(Map.of("end", "2026-11-20T06:00:00Z"));

        assertThat(q.start()).isEqualTo(Instant.parse("2026-11-20T05:00:00Z"));
    }

    @Test
    void shouldConvertOffsetsToUtc() {
        MetricsQuery q =
                parse(Map.of("start", "2026-11-26T12:00:00+02:00", "end", "2026-11-26T11:00:00Z"));

        assertThat(q.start()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    }

    @Test
    void shouldParseEveryOptionOfTheTimeseriesEndpoint() {
        MetricsQuery q =
                parse(
                        Map.of(
                                "source", "src.web:1",
                                "destination", "dst-amp_2",
                                "granularity", "hour",
                                "metrics", "latency_p99,successes,latency_p99",
                                "group_by", "destination",
                                "limit", "7"));

        assertThat(q.sourceId()).isEqualTo("src.web:1");
        assertThat(q.destinationId()).isEqualTo("dst-amp_2");
        assertThat(q.granularity()).contains(Granularity.HOUR);
        assertThat(q.metrics()).containsExactly(Metric.SUCCESSES, Metric.LATENCY_P99);
        assertThat(q.groupBy()).isEqualTo(GroupBy.DESTINATION);
        assertThat(q.limit()).isEqualTo(7);
    }

    @Test
    void shouldAcceptACursorOfTheSameGrouping() {
        String cursor = Cursor.encode(GroupBy.PAIR, new SeriesKey("src_a", "dst_b"));

        MetricsQuery q = parse(Map.of("group_by", "pair", "cursor", cursor));

        assertThat(q.after()).contains(new SeriesKey("src_a", "dst_b"));
    }

    @Test
    void shouldRejectACursorOfAnotherGrouping() {
        String cursor = Cursor.encode(GroupBy.SOURCE, new SeriesKey("src_a", null));

        assertThat(problems(Map.of("group_by", "pair", "cursor", cursor)))
                .extracting(InvalidParam::name)
                .containsExactly("cursor");
    }

    @Test
    void shouldRejectUnknownAndRepeatedParametersByName() {
        Map<String, List<String>> params = new HashMap<>();
        params.put("start", List.of("2026-11-26T10:00:00Z", "2026-11-26T11:00:00Z"));
        params.put("colour", List.of("blue"));

        assertThatThrownBy(() -> parser.parse(QueryKind.TIMESERIES, PATH, params, NOW))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e ->
                                assertThat(e.invalidParams())
                                        .extracting(InvalidParam::name)
                                        .containsExactlyInAnyOrder("start", "colour"));
    }

    @Test
    void shouldRejectIdsOutsideTheContractCharset() {
        assertThat(problems(Map.of("source", "a' OR '1'='1")))
                .extracting(InvalidParam::name)
                .containsExactly("source");
        assertThat(problems(Map.of("destination", "x".repeat(65))))
                .extracting(InvalidParam::name)
                .containsExactly("destination");
        assertThat(problems(Map.of("source", "")))
                .extracting(InvalidParam::name)
                .containsExactly("source");
    }

    @Test
    void shouldRejectStartThatIsNotBeforeEnd() {
        assertThat(problems(Map.of("start", "2026-11-26T11:00:00Z", "end", "2026-11-26T11:00:00Z")))
                .extracting(InvalidParam::name)
                .containsExactly("start");
    }

    @Test
    void shouldRejectARangeLongerThanTheLongestRetention() {
        assertThat(problems(Map.of("start", "2023-11-25T00:00:00Z", "end", "2026-11-26T00:00:00Z")))
                .extracting(InvalidParam::name)
                .containsExactly("end");
    }

    @Test
    void shouldRejectAnEndTooFarInTheFuture() {
        assertThat(problems(Map.of("end", "2026-11-27T12:01:00Z")))
                .extracting(InvalidParam::name)
                .containsExactly("end");
    }

    @Test
    void shouldExplainAPlusSignThatArrivedAsASpace() {
        assertThat(problems(Map.of("start", "2026-11-26T11:00:00 01:00")))
                .extracting(InvalidParam::reason)
                .allMatch(r -> r.contains("%2B"));
    }

    @Test
    void shouldRejectAnUnknownMetricNamingIt() {
        assertThat(problems(Map.of("metrics", "successes,p99")))
                .extracting(InvalidParam::reason)
                .allMatch(r -> r.startsWith("names an unknown metric 'p99'"));
    }

    @Test
    void shouldRejectALimitOutsideTheAllowedRange() {
        for (String bad : new String[] {"0", "1001", "-5", "1e3", "99999999999"}) {
            assertThat(problems(Map.of("limit", bad)))
                    .extracting(InvalidParam::name)
                    .containsExactly("limit");
        }
    }

    @Test
    void shouldRejectOversizedValues() {
        assertThat(problems(Map.of("source", "c".repeat(QueryParser.MAX_VALUE_LENGTH + 1))))
                .extracting(InvalidParam::reason)
                .allMatch(r -> r.contains("too long"));
        assertThat(problems(Map.of("cursor", "c".repeat(Cursor.MAX_LENGTH + 1))))
                .extracting(InvalidParam::reason)
                .allMatch(r -> r.contains("too long"));
    }

    @Test
    void shouldTakeThePairOfTheShorthandFromThePath() {
        MetricsQuery q =
                parser.parse(
                        QueryKind.PAIR_TIMESERIES,
                        Map.of("workspace_id", "ws", "source_id", "src", "destination_id", "dst"),
                        Map.of(),
                        NOW);

        assertThat(q.sourceId()).isEqualTo("src");
        assertThat(q.destinationId()).isEqualTo("dst");
        assertThat(q.groupBy()).isEqualTo(GroupBy.NONE);
    }

    @Test
    void shouldAlwaysGroupTheSummaryByPair() {
        MetricsQuery q = parser.parse(QueryKind.SUMMARY, PATH, Map.of(), NOW);

        assertThat(q.groupBy()).isEqualTo(GroupBy.PAIR);
    }

    @Test
    void shouldGroupByEventWithTheOutcomeCounterMetricsByDefault() {
        MetricsQuery q = parse(Map.of("group_by", "event_name"));

        assertThat(q.groupBy()).isEqualTo(GroupBy.EVENT_NAME);
        assertThat(q.metrics())
                .containsExactly(
                        Metric.SUCCESSES,
                        Metric.RETRIED,
                        Metric.DISCARDED,
                        Metric.EXPIRED,
                        Metric.FILTERED,
                        Metric.SUCCESS_RATE);
        assertThat(q.comparePrevious()).isFalse();
    }

    @Test
    void shouldRefuseLatencyAndAttemptMetricsWithAnEventGroupingNamingMetrics() {
        for (String g : List.of("event_type", "event_name")) {
            List<InvalidParam> p =
                    problems(
                            Map.of(
                                    "group_by",
                                    g,
                                    "metrics",
                                    "successes,latency_p95,successes_by_attempt"));
            assertThat(p).extracting(InvalidParam::name).containsExactly("metrics");
            assertThat(p.get(0).reason())
                    .contains("latency_p95", "successes_by_attempt", "outcome counters");
        }
    }

    @Test
    void shouldAcceptOnlyTheGroupingsOfEachEndpoint() {
        assertThat(problems(Map.of("group_by", "event")))
                .extracting(InvalidParam::name)
                .containsExactly("group_by");
        Map<String, String> pairPath =
                Map.of("workspace_id", "ws", "source_id", "src", "destination_id", "dst");
        MetricsQuery q =
                parser.parse(
                        QueryKind.PAIR_TIMESERIES,
                        pairPath,
                        Map.of("group_by", List.of("event_type"), "compare", List.of("previous")),
                        NOW);
        assertThat(q.groupBy()).isEqualTo(GroupBy.EVENT_TYPE);
        assertThat(q.comparePrevious()).isTrue();
        assertThatThrownBy(
                        () ->
                                parser.parse(
                                        QueryKind.PAIR_TIMESERIES,
                                        pairPath,
                                        Map.of("group_by", List.of("source")),
                                        NOW))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e ->
                                assertThat(e.invalidParams())
                                        .extracting(InvalidParam::name)
                                        .containsExactly("group_by"));
        MetricsQuery summary =
                parser.parse(
                        QueryKind.SUMMARY,
                        PATH,
                        Map.of("group_by", List.of("event_name"), "compare", List.of("previous")),
                        NOW);
        assertThat(summary.groupBy()).isEqualTo(GroupBy.EVENT_NAME);
        assertThat(summary.comparePrevious()).isTrue();
    }

    @Test
    void shouldTakeComparePreviousOnlyWhereItApplies() {
        assertThat(problems(Map.of("group_by", "pair", "compare", "previous")))
                .extracting(InvalidParam::name)
                .containsExactly("compare");
        assertThat(problems(Map.of("group_by", "event_type", "compare", "yesterday")))
                .extracting(InvalidParam::name)
                .containsExactly("compare");
        assertThat(parse(Map.of("group_by", "event_type", "compare", "previous")).comparePrevious())
                .isTrue();
    }

    @Test
    void shouldAcceptAnEventCursorOfAFourByteNameLongerThanOtherValues() {
        SeriesKey key = SeriesKey.ofEvent("track", "\uD83D\uDE80".repeat(128));
        String cursor = Cursor.encode(GroupBy.EVENT_NAME, key);
        assertThat(cursor.length()).isGreaterThan(QueryParser.MAX_VALUE_LENGTH);

        MetricsQuery q = parse(Map.of("group_by", "event_name", "cursor", cursor));

        assertThat(q.after()).contains(key);
    }

    @Property(tries = 2000)
    void shouldEitherParseOrListInvalidParametersForAnyInput(
            @ForAll("parameters") Map<String, List<String>> params,
            @ForAll("kinds") QueryKind kind) {
        try {
            MetricsQuery q = parser.parse(kind, PATH, params, NOW);
            assertThat(q.start()).isBefore(q.end());
        } catch (InvalidRequestException e) {
            assertThat(e.invalidParams()).isNotEmpty();
            for (InvalidParam p : e.invalidParams()) {
                assertThat(p.reason()).isNotBlank();
                assertThat(p.name().length()).isLessThanOrEqualTo(65);
            }
        }
    }

    @Provide
    Arbitrary<QueryKind> kinds() {
        return Arbitraries.of(QueryKind.class);
    }

    @Provide
    Arbitrary<Map<String, List<String>>> parameters() {
        Arbitrary<String> names =
                Arbitraries.oneOf(
                        Arbitraries.of(
                                "start",
                                "end",
                                "source",
                                "destination",
                                "granularity",
                                "metrics",
                                "group_by",
                                "limit",
                                "cursor",
                                "compare"),
                        Arbitraries.strings().ofMaxLength(100));
        Arbitrary<String> values =
                Arbitraries.oneOf(
                        Arbitraries.of(
                                "2026-11-26T11:00:00Z",
                                "2026-11-26T11:30:00.5+01:00",
                                "1970-01-01T00:00:00Z",
                                "+999999999-12-31T23:59:59Z",
                                "-999999999-01-01T00:00:00Z",
                                "auto",
                                "hour",
                                "pair",
                                "event_type",
                                "event_name",
                                "previous",
                                "successes,latency_p50",
                                "1",
                                "1000",
                                "0",
                                "src_a"),
                        Arbitraries.strings().ofMaxLength(700));
        return Arbitraries.maps(names, values.list().ofMinSize(1).ofMaxSize(2)).ofMaxSize(6);
    }

    private MetricsQuery parse(Map<String, String> single) {
        Map<String, List<String>> params = new HashMap<>();
        single.forEach((k, v) -> params.put(k, List.of(v)));
        return parser.parse(QueryKind.TIMESERIES, PATH, params, NOW);
    }

    private List<InvalidParam> problems(Map<String, String> single) {
        try {
            parse(single);
        } catch (InvalidRequestException e) {
            return e.invalidParams();
        }
        throw new AssertionError("expected " + single + " to be rejected");
    }
}
