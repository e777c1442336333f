package io.deliverymetrics.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.model.Kind;
import io.deliverymetrics.loadgen.model.Malformation;
import io.deliverymetrics.loadgen.sink.LoadSink;
import io.deliverymetrics.loadgen.sink.LoadSinkException;
import io.deliverymetrics.loadgen.truth.BucketKey;
import io.deliverymetrics.loadgen.truth.BucketTotals;
import io.deliverymetrics.loadgen.truth.EventCounts;
import io.deliverymetrics.loadgen.truth.EventMinuteKey;
import io.deliverymetrics.loadgen.truth.Truth;
import io.deliverymetrics.loadgen.truth.TypeMinuteKey;
import io.deliverymetrics.loadgen.truth.TypeMinuteTotals;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TruthTest {

    private static Runs.Collected run;

    @BeforeAll
    static void generate() {
        run =
                Runs.collect(
                        LoadSpec.builder()
                                .withSeed(11)
                                .withRate(500)
                                .withTotalEvents(100_000)
                                .withWorkspaces(8)
                                .withPairs(400)
                                .build());
    }

    private static IndependentAggregation reaggregate(Kind kind, ChronoUnit unit)
            throws RecordContract.Violation {
        IndependentAggregation agg = new IndependentAggregation(unit);
        for (GeneratedRecord r : run.records()) {
            if (r.kind() == kind) {
                agg.add(RecordContract.parse(r.value()));
            }
        }
        return agg;
    }

    @Test
    void shouldEqualAnIndependentReaggregationOfEveryValidRecord() throws Exception {
        Map<String, IndependentAggregation.Totals> expected =
                reaggregate(Kind.VALID, ChronoUnit.MINUTES).totals();

        assertThat(expected).hasSizeGreaterThan(1_000);
        assertThat(IndependentAggregation.fromTruth(run.truth().minutes())).isEqualTo(expected);
    }

    @Test
    void shouldEqualAnIndependentReaggregationOfEveryLateRecord() throws Exception {
        Map<String, IndependentAggregation.Totals> expected =
                reaggregate(Kind.LATE, ChronoUnit.MINUTES).totals();

        assertThat(expected).isNotEmpty();
        assertThat(IndependentAggregation.fromTruth(run.truth().late())).isEqualTo(expected);
    }

    @Test
    void shouldEqualAnIndependentReaggregationPerDestinationTypeAndMinute() throws Exception {
        IndependentAggregation agg = IndependentAggregation.perDestinationTypeAndMinute();
        Map<String, List<Set<String>>> contributors = new TreeMap<>();
        for (GeneratedRecord r : run.records()) {
            if (r.kind() != Kind.VALID) {
                continue;
            }
            RecordContract.Parsed p = RecordContract.parse(r.value());
            agg.add(p);
            String key =
                    (p.destinationType() == null ? "unknown" : p.destinationType())
                            + "|"
                            + Instant.ofEpochMilli(p.completedAtMs())
                                    .truncatedTo(ChronoUnit.MINUTES);
            // workspaces, pairs, affected workspaces, affected pairs
            List<Set<String>> sets =
                    contributors.computeIfAbsent(
                            key,
                            k ->
                                    List.of(
                                            new HashSet<>(),
                                            new HashSet<>(),
                                            new HashSet<>(),
                                            new HashSet<>()));
            sets.get(0).add(p.workspaceId());
            sets.get(1).add(p.key());
            if (RecordContract.NEEDS_ERROR_CODE.contains(p.outcome())) {
                sets.get(2).add(p.workspaceId());
                sets.get(3).add(p.key());
            }
        }
        Map<String, List<Integer>> expectedCounts = new TreeMap<>();
        contributors.forEach(
                (k, sets) -> expectedCounts.put(k, sets.stream().map(Set::size).toList()));

        Map<String, IndependentAggregation.Totals> actual = new TreeMap<>();
        Map<String, List<Integer>> actualCounts = new TreeMap<>();
        run.truth()
                .typeMinutes()
                .forEach(
                        (k, v) -> {
                            String key = k.destinationType() + "|" + k.minute();
                            actual.put(key, IndependentAggregation.Totals.of(v.totals()));
                            actualCounts.put(
                                    key,
                                    List.of(
                                            (int) v.workspaces(),
                                            (int) v.pairs(),
                                            (int) v.affectedWorkspaces(),
                                            (int) v.affectedPairs()));
                        });

        assertThat(actual).isEqualTo(agg.totals());
        assertThat(actualCounts).isEqualTo(expectedCounts);
        assertThat(actual.keySet()).anyMatch(k -> k.startsWith("unknown|"));
        assertThat(actual.keySet().stream().map(k -> k.substring(0, k.indexOf('|'))).distinct())
                .hasSizeGreaterThan(15);
        assertThat(actualCounts.values()).anyMatch(c -> c.get(0) > 1 && c.get(3) > 0);
    }

    /** The key of an event-minute count in this test's own terms. */
    private record EventKey(String pair, Instant minute, String eventType, String eventName) {}

    @Test
    void shouldCountOutcomesPerPairMinuteEventTypeAndName() throws Exception {
        Map<EventKey, List<Long>> expected = new HashMap<>();
        List<String> outcomes =
                List.of("delivered", "retrying", "discarded", "expired", "filtered");
        for (GeneratedRecord r : run.records()) {
            if (r.kind() != Kind.VALID) {
                continue;
            }
            RecordContract.Parsed p = RecordContract.parse(r.value());
            EventKey key =
                    new EventKey(
                            p.key(),
                            Instant.ofEpochMilli(p.completedAtMs()).truncatedTo(ChronoUnit.MINUTES),
                            p.eventType() == null ? "unknown" : p.eventType(),
                            p.eventName());
            List<Long> counts =
                    expected.computeIfAbsent(
                            key, k -> new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L, 0L)));
            counts.set(0, counts.get(0) + 1);
            int i = 1 + outcomes.indexOf(p.outcome());
            counts.set(i, counts.get(i) + 1);
        }

        Map<EventKey, List<Long>> actual = new HashMap<>();
        run.truth()
                .eventMinutes()
                .forEach(
                        (k, c) ->
                                actual.put(
                                        new EventKey(
                                                k.workspaceId()
                                                        + "/"
                                                        + k.sourceId()
                                                        + "/"
                                                        + k.destinationId(),
                                                k.minute(),
                                                k.eventType(),
                                                k.eventName()),
                                        List.of(
                                                c.records(),
                                                c.successes(),
                                                c.retried(),
                                                c.discarded(),
                                                c.expired(),
                                                c.filtered())));

        assertThat(actual).isEqualTo(expected);
        assertThat(actual.keySet()).anyMatch(k -> k.eventName() == null);
        assertThat(actual.keySet())
                .anyMatch(k -> "Cart \uD83D\uDED2 Updated".equals(k.eventName()));
    }

    @Test
    void shouldCountTheErrorMessagesThatTheParserTruncates() throws Exception {
        long expected = 0;
        for (GeneratedRecord r : run.records()) {
            if (r.kind() == Kind.MALFORMED) {
                continue;
            }
            String m = RecordContract.parse(r.value()).errorMessage();
            if (m != null && m.codePoints().count() > 1024) {
                expected++;
            }
        }

        assertThat(expected).isPositive();
        assertThat(run.truth().truncatedErrorMessages()).isEqualTo(expected);
    }

    @Test
    void shouldRollMinutesUpIntoHoursAndDaysExactly() throws Exception {
        // 100k events at 500/s span about 3.3 minutes; use a slow run that spans several hours
        Runs.Collected slow =
                Runs.collect(
                        LoadSpec.builder()
                                .withSeed(3)
                                .withRate(2)
                                .withTotalEvents(20_000)
                                .withWorkspaces(2)
                                .withPairs(10)
                                .build());
        for (ChronoUnit unit : List.of(ChronoUnit.HOURS, ChronoUnit.DAYS)) {
            IndependentAggregation agg = new IndependentAggregation(unit);
            for (GeneratedRecord r : slow.records()) {
                if (r.kind() == Kind.VALID) {
                    agg.add(RecordContract.parse(r.value()));
                }
            }
            assertThat(IndependentAggregation.fromTruth(slow.truth().buckets(unit)))
                    .as("%s buckets", unit)
                    .isEqualTo(agg.totals());
        }
        assertThat(slow.truth().buckets(ChronoUnit.HOURS)).hasSizeGreaterThan(10 * 2);
    }

    @Test
    void shouldCountMalformedRecordsPerKind() {
        Map<Malformation, Long> expected = new EnumMap<>(Malformation.class);
        for (Malformation m : Malformation.values()) {
            expected.put(m, 0L);
        }
        run.records().stream()
                .filter(r -> r.kind() == Kind.MALFORMED)
                .forEach(r -> expected.merge(r.malformation(), 1L, Long::sum));

        assertThat(run.truth().malformedByKind()).isEqualTo(expected);
        assertThat(run.truth().malformedRecords())
                .isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
        assertThat(run.truth().records()).isEqualTo(run.records().size());
    }

    @Test
    void shouldCountOnlyRecordsTheSinkAcknowledged() {
        Truth truth = new Truth();
        LoadSpec spec = LoadSpec.builder().withTotalEvents(5_000).build();
        FailingSink sink = new FailingSink(truth, 1_000);

        assertThatThrownBy(() -> new LoadRunner(spec, sink).run())
                .isInstanceOf(LoadSinkException.class)
                .hasMessageContaining("#1000");
        assertThat(truth.records()).isEqualTo(1_000);
    }

    @Test
    void shouldWriteSortedJsonLinesWithMinuteLateAndSummaryLines() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run.truth().writeJsonLines(out);
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(mapper.readTree(line));
        }

        SortedMap<BucketKey, BucketTotals> minutes = run.truth().minutes();
        SortedMap<BucketKey, BucketTotals> late = run.truth().late();
        SortedMap<TypeMinuteKey, TypeMinuteTotals> typeMinutes = run.truth().typeMinutes();
        SortedMap<EventMinuteKey, EventCounts> eventMinutes = run.truth().eventMinutes();
        int typeStart = minutes.size() + late.size();
        int eventStart = typeStart + typeMinutes.size();
        assertThat(lines).hasSize(eventStart + eventMinutes.size() + 1);
        List<String> types = lines.stream().map(n -> n.get("type").asText()).toList();
        assertThat(types.subList(0, minutes.size())).containsOnly("minute");
        assertThat(types.subList(minutes.size(), typeStart)).containsOnly("late");
        assertThat(types.subList(typeStart, eventStart)).containsOnly("type_minute");
        assertThat(types.subList(eventStart, types.size() - 1)).containsOnly("event_minute");
        assertThat(types.get(types.size() - 1)).isEqualTo("summary");

        List<TypeMinuteKey> typeKeys = new ArrayList<>(typeMinutes.keySet());
        for (int i = 0; i < typeKeys.size(); i++) {
            JsonNode line = lines.get(typeStart + i);
            TypeMinuteTotals t = typeMinutes.get(typeKeys.get(i));
            assertThat(line.get("destination_type").asText())
                    .isEqualTo(typeKeys.get(i).destinationType());
            assertThat(line.get("minute").asText()).isEqualTo(typeKeys.get(i).minute().toString());
            assertThat(line.get("workspaces").asLong()).isEqualTo(t.workspaces());
            assertThat(line.get("pairs").asLong()).isEqualTo(t.pairs());
            assertThat(line.get("affected_workspaces").asLong()).isEqualTo(t.affectedWorkspaces());
            assertThat(line.get("affected_pairs").asLong()).isEqualTo(t.affectedPairs());
            assertThat(line.get("successes").asLong()).isEqualTo(t.totals().successes());
            assertThat(line.get("latency_sum_ms").asLong()).isEqualTo(t.totals().latencySumMs());
            assertThat(line.get("errors").size()).isEqualTo(t.totals().errors().size());
        }
        List<EventMinuteKey> eventKeys = new ArrayList<>(eventMinutes.keySet());
        for (int i = 0; i < eventKeys.size(); i++) {
            JsonNode line = lines.get(eventStart + i);
            EventMinuteKey k = eventKeys.get(i);
            EventCounts c = eventMinutes.get(k);
            assertThat(line.get("destination_id").asText()).isEqualTo(k.destinationId());
            assertThat(line.get("event_type").asText()).isEqualTo(k.eventType());
            if (k.eventName() == null) {
                assertThat(line.get("event_name").isNull()).isTrue();
            } else {
                // byte-exact through the JSON line
                assertThat(line.get("event_name").asText()).isEqualTo(k.eventName());
            }
            assertThat(line.get("records").asLong()).isEqualTo(c.records());
            assertThat(line.get("discarded").asLong()).isEqualTo(c.discarded());
        }

        List<BucketKey> keys = new ArrayList<>(minutes.keySet());
        for (int i = 0; i < keys.size(); i++) {
            JsonNode line = lines.get(i);
            BucketKey k = keys.get(i);
            BucketTotals t = minutes.get(k);
            assertThat(line.get("workspace_id").asText()).isEqualTo(k.workspaceId());
            assertThat(line.get("source_id").asText()).isEqualTo(k.sourceId());
            assertThat(line.get("destination_id").asText()).isEqualTo(k.destinationId());
            assertThat(line.get("minute").asText()).isEqualTo(k.bucketStart().toString());
            assertThat(line.get("successes").asLong()).isEqualTo(t.successes());
            assertThat(line.get("retried").asLong()).isEqualTo(t.retried());
            assertThat(line.get("latency_sum_ms").asLong()).isEqualTo(t.latencySumMs());
            assertThat(line.get("successes_by_attempt")).hasSize(10);
            if (t.latencyCount() == 0) {
                assertThat(line.get("latency_p99_ms").isNull()).isTrue();
            } else {
                assertThat(line.get("latency_p99_ms").asLong()).isEqualTo(t.latencyP99Ms());
            }
            assertThat(line.get("errors").size()).isEqualTo(t.errors().size());
        }
        JsonNode firstLate = lines.get(minutes.size());
        assertThat(firstLate.get("late").asLong()).isEqualTo(late.get(late.firstKey()).records());

        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.get("records").asLong()).isEqualTo(run.records().size());
        assertThat(summary.get("valid_records").asLong()).isEqualTo(run.truth().validRecords());
        assertThat(summary.get("late_records").asLong()).isEqualTo(run.truth().lateRecords());
        assertThat(summary.get("malformed_by_kind").size()).isEqualTo(Malformation.values().length);
        assertThat(summary.get("successes").asLong())
                .isEqualTo(minutes.values().stream().mapToLong(BucketTotals::successes).sum());
        assertThat(summary.get("type_minute_lines").asLong()).isEqualTo(typeMinutes.size());
        assertThat(summary.get("event_minute_lines").asLong()).isEqualTo(eventMinutes.size());
        assertThat(summary.get("truncated_error_messages").asLong())
                .isEqualTo(run.truth().truncatedErrorMessages());
    }

    @Test
    void shouldTakePercentilesAtRankFloorOfPTimesNMinusOneOverHundred() {
        long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110};

        assertThat(BucketTotals.percentile(sorted, 11, 50)).isEqualTo(60);
        assertThat(BucketTotals.percentile(sorted, 11, 90)).isEqualTo(100);
        assertThat(BucketTotals.percentile(sorted, 11, 95)).isEqualTo(100);
        assertThat(BucketTotals.percentile(sorted, 11, 99)).isEqualTo(100);
        assertThat(BucketTotals.percentile(sorted, 1, 99)).isEqualTo(10);
    }

    /** Acknowledges records until the given count, then fails like a broker that went away. */
    private static final class FailingSink implements LoadSink {
        private final Truth truth;
        private final long failAt;
        private long acked;

        FailingSink(Truth truth, long failAt) {
            this.truth = truth;
            this.failAt = failAt;
        }

        @Override
        public void send(GeneratedRecord record) {
            if (record.emitSeq() >= failAt) {
                throw new LoadSinkException(
                        "send of record #" + record.emitSeq() + " failed",
                        new IOException("broker unavailable"));
            }
            truth.acknowledged(record);
            acked++;
        }

        @Override
        public void flush() {}

        @Override
        public long acked() {
            return acked;
        }

        @Override
        public void close() {}
    }
}
