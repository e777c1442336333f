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
import io.deliverymetrics.loadgen.truth.Truth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
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
        assertThat(lines).hasSize(minutes.size() + late.size() + 1);
        List<String> types = lines.stream().map(n -> n.get("type").asText()).toList();
        assertThat(types.subList(0, minutes.size())).containsOnly("minute");
        assertThat(types.subList(minutes.size(), minutes.size() + late.size()))
                .containsOnly("late");
        assertThat(types.get(types.size() - 1)).isEqualTo("summary");

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
