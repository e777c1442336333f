package io.deliverymetrics.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.model.Kind;
import io.deliverymetrics.loadgen.model.Malformation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecordContractTest {

    private static final Duration LATE_BY = Duration.ofMinutes(3);
    private static final Duration OUT_OF_ORDER = Duration.ofSeconds(15);
    private static Runs.Collected run;

    @BeforeAll
    static void generate() {
        run =
                Runs.collect(
                        LoadSpec.builder()
                                .withSeed(5)
                                .withRate(1_000)
                                .withTotalEvents(50_000)
                                .withWorkspaces(10)
                                .withPairs(300)
                                .withMalformedShare(0.02)
                                .withLateShare(0.01)
                                .withLateBy(LATE_BY)
                                .withOutOfOrder(OUT_OF_ORDER)
                                .build());
    }

    @Test
    void shouldEmitValidAndLateRecordsThatSatisfyTheContract() {
        long checked = 0;
        for (GeneratedRecord r : run.records()) {
            if (r.kind() == Kind.MALFORMED) {
                continue;
            }
            RecordContract.Parsed p;
            try {
                p = RecordContract.parse(r.value());
            } catch (RecordContract.Violation e) {
                throw new AssertionError(r + " breaks the contract: " + e.getMessage(), e);
            }
            assertThat(r.key()).isEqualTo(p.key());
            assertThat(p.completedAtMs()).isEqualTo(r.attempt().completedAtMs());
            assertThat(p.receivedAtMs()).isEqualTo(r.attempt().receivedAtMs());
            assertThat(p.outcome()).isEqualTo(r.attempt().outcome().wireName());
            // the optional fields, text byte-exact, through an independent JSON reader
            assertThat(p.destinationType()).isEqualTo(r.attempt().destinationType());
            assertThat(p.eventType()).isEqualTo(r.attempt().eventType());
            assertThat(p.eventName()).isEqualTo(r.attempt().eventName());
            assertThat(p.errorMessage()).isEqualTo(r.attempt().errorMessage());
            checked++;
        }
        assertThat(checked).isGreaterThan(50_000);
    }

    @Test
    void shouldEmitMalformedRecordsThatEachBreakTheContract() {
        Set<Malformation> seen = EnumSet.noneOf(Malformation.class);
        for (GeneratedRecord r : run.records()) {
            if (r.kind() != Kind.MALFORMED) {
                continue;
            }
            seen.add(r.malformation());
            try {
                RecordContract.Parsed p = RecordContract.parse(r.value());
                fail("%s was accepted as %s", r, p);
            } catch (RecordContract.Violation expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(Malformation.values());
    }

    @Test
    void shouldWriteTextAsUtf8WithOnlyTheEscapesJsonRequires() {
        String cart = "\"event_name\":\"Cart \uD83D\uDED2 Updated\"";
        String quoted = "\"event_name\":\"Clicked \\\"Buy Now\\\"\"";
        String backslash = "\"event_name\":\"Report Exported to C:\\\\Reports\"";
        String newline = "\\r\\n<head><title>502 Bad Gateway</title></head>";
        for (String expected : new String[] {cart, quoted, backslash, newline}) {
            assertThat(run.records())
                    .as(expected)
                    .anyMatch(
                            r ->
                                    r.kind() != Kind.MALFORMED
                                            && r.valueAsString().contains(expected));
        }
    }

    @Test
    void shouldMakeOversizedRecordsLargerThanSixteenKibibytes() {
        assertThat(run.records())
                .filteredOn(r -> r.malformation() == Malformation.OVERSIZED)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.value().length).isGreaterThan(16 * 1024));
    }

    @Test
    void shouldEmitLateRecordsAtLeastLateByBehindTheClock() {
        assertThat(run.records())
                .filteredOn(r -> r.kind() == Kind.LATE)
                .hasSizeGreaterThan(100)
                .allSatisfy(
                        r ->
                                assertThat(r.clockMs() - r.attempt().completedAtMs())
                                        .isGreaterThanOrEqualTo(LATE_BY.toMillis()));
    }

    @Test
    void shouldEmitValidRecordsAtMostOutOfOrderAfterTheirCompletion() {
        long delayed = 0;
        for (GeneratedRecord r : run.records()) {
            if (r.kind() != Kind.VALID) {
                continue;
            }
            long behind = r.clockMs() - r.attempt().completedAtMs();
            assertThat(behind).as("%s", r).isBetween(0L, OUT_OF_ORDER.toMillis());
            if (behind > 0) {
                delayed++;
            }
        }
        assertThat(delayed).isGreaterThan(100);
    }

    @Test
    void shouldNumberRecordsInOrderWithAClockThatNeverGoesBack() {
        long previousClock = Long.MIN_VALUE;
        for (int i = 0; i < run.records().size(); i++) {
            GeneratedRecord r = run.records().get(i);
            assertThat(r.emitSeq()).isEqualTo(i);
            assertThat(r.clockMs()).isGreaterThanOrEqualTo(previousClock);
            previousClock = r.clockMs();
        }
    }

    @Test
    void shouldWriteBothIsoAndEpochMillisTimestamps() {
        long iso = 0;
        long epoch = 0;
        for (GeneratedRecord r : run.records()) {
            if (r.kind() == Kind.VALID) {
                String json = new String(r.value(), StandardCharsets.UTF_8);
                if (json.contains("\"completed_at\":\"")) {
                    iso++;
                } else {
                    epoch++;
                }
            }
        }
        assertThat(iso).isPositive();
        assertThat(epoch).isPositive();
    }
}
