package io.deliverymetrics.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GranularityTest {

    @ParameterizedTest(name = "{0} floor of {1} is {2}")
    @CsvSource({
        "MINUTE, 2026-11-26T04:00:00Z,     2026-11-26T04:00:00Z",
        "MINUTE, 2026-11-26T04:00:00.001Z, 2026-11-26T04:00:00Z",
        "MINUTE, 2026-11-26T03:59:59.999Z, 2026-11-26T03:59:00Z",
        "HOUR,   2026-11-26T04:00:00Z,     2026-11-26T04:00:00Z",
        "HOUR,   2026-11-26T04:00:00.001Z, 2026-11-26T04:00:00Z",
        "HOUR,   2026-11-26T03:59:59.999Z, 2026-11-26T03:00:00Z",
        "DAY,    2026-11-26T00:00:00Z,     2026-11-26T00:00:00Z",
        "DAY,    2026-11-26T00:00:00.001Z, 2026-11-26T00:00:00Z",
        "DAY,    2026-11-25T23:59:59.999Z, 2026-11-25T00:00:00Z",
        "DAY,    2027-01-01T00:00:00Z,     2027-01-01T00:00:00Z",
        "DAY,    2026-12-31T23:59:59.999Z, 2026-12-31T00:00:00Z",
        "MINUTE, 1969-12-31T23:59:59.999Z, 1969-12-31T23:59:00Z",
        "DAY,    1969-12-31T23:59:59.999Z, 1969-12-31T00:00:00Z",
    })
    void shouldFloorToTheStartOfTheUtcBucket(Granularity g, Instant t, Instant expected) {
        assertThat(g.floor(t)).isEqualTo(expected);
        assertThat(g.floorMillis(t.toEpochMilli())).isEqualTo(expected.toEpochMilli());
        assertThat(g.isAligned(t)).isEqualTo(t.equals(expected));
    }

    @ParameterizedTest(name = "{0} ceil of {1} is {2}")
    @CsvSource({
        "MINUTE, 2026-11-26T04:00:00Z,     2026-11-26T04:00:00Z",
        "MINUTE, 2026-11-26T04:00:00.001Z, 2026-11-26T04:01:00Z",
        "MINUTE, 2026-11-26T03:59:59.999Z, 2026-11-26T04:00:00Z",
        "HOUR,   2026-11-26T04:00:00Z,     2026-11-26T04:00:00Z",
        "HOUR,   2026-11-26T04:00:00.001Z, 2026-11-26T05:00:00Z",
        "HOUR,   2026-11-26T03:59:59.999Z, 2026-11-26T04:00:00Z",
        "DAY,    2026-11-26T00:00:00Z,     2026-11-26T00:00:00Z",
        "DAY,    2026-11-26T00:00:00.001Z, 2026-11-27T00:00:00Z",
        "DAY,    2026-11-25T23:59:59.999Z, 2026-11-26T00:00:00Z",
        "DAY,    2026-12-31T12:00:00Z,     2027-01-01T00:00:00Z",
    })
    void shouldCeilToTheNextBoundaryUnlessAligned(Granularity g, Instant t, Instant expected) {
        assertThat(g.ceil(t)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} [{1}, {2}) touches {3}")
    @CsvSource({
        "MINUTE, 2026-11-26T04:00:00Z,     2026-11-26T04:01:00Z,     1",
        "MINUTE, 2026-11-26T04:00:00Z,     2026-11-26T04:01:00.001Z, 2",
        "MINUTE, 2026-11-26T03:59:59.999Z, 2026-11-26T04:01:00Z,     2",
        "MINUTE, 2026-11-26T04:00:00.001Z, 2026-11-26T04:00:59.999Z, 1",
        "MINUTE, 2026-11-26T04:00:59.999Z, 2026-11-26T04:01:00.001Z, 2",
        "MINUTE, 2026-11-26T04:00:00Z,     2026-11-26T04:00:00.001Z, 1",
        "MINUTE, 2026-11-25T04:00:00Z,     2026-11-26T04:00:00Z,     1440",
        "MINUTE, 2026-11-25T04:00:00Z,     2026-11-26T04:00:00.001Z, 1441",
        "MINUTE, 2026-11-26T04:00:00Z,     2026-11-26T04:00:00Z,     0",
        "MINUTE, 2026-11-26T04:01:00Z,     2026-11-26T04:00:00Z,     0",
        "HOUR,   2026-11-26T04:00:00Z,     2026-11-26T05:00:00Z,     1",
        "HOUR,   2026-11-26T04:00:00Z,     2026-11-26T05:00:00.001Z, 2",
        "HOUR,   2026-11-26T03:59:59.999Z, 2026-11-26T05:00:00Z,     2",
        "HOUR,   2026-11-26T04:30:00Z,     2026-11-26T04:31:00Z,     1",
        "HOUR,   2026-09-27T10:00:00Z,     2026-11-26T10:00:00Z,     1440",
        "DAY,    2026-11-26T00:00:00Z,     2026-11-27T00:00:00Z,     1",
        "DAY,    2026-11-26T00:00:00Z,     2026-11-27T00:00:00.001Z, 2",
        "DAY,    2026-11-25T23:59:59.999Z, 2026-11-26T00:00:00.001Z, 2",
        "DAY,    2026-01-01T00:00:00Z,     2027-01-01T00:00:00Z,     365",
    })
    void shouldCountPartialBucketsAtEitherEnd(
            Granularity g, Instant start, Instant end, long expected) {
        assertThat(g.bucketsTouched(start, end)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "MINUTE, minute, 60000,    delivery_metrics_minute, delivery_errors_minute",
        "HOUR,   hour,   3600000,  delivery_metrics_hour,   delivery_errors_hour",
        "DAY,    day,    86400000, delivery_metrics_day,    delivery_errors_day",
    })
    void shouldNameItsTablesAndWireForm(
            Granularity g, String wire, long sizeMillis, String metrics, String errors) {
        assertThat(g.wireName()).isEqualTo(wire);
        assertThat(g.sizeMillis()).isEqualTo(sizeMillis);
        assertThat(g.size().toMillis()).isEqualTo(sizeMillis);
        assertThat(g.metricsTable()).isEqualTo(metrics);
        assertThat(g.errorsTable()).isEqualTo(errors);
        assertThat(Granularity.fromWireName(wire)).contains(g);
    }

    @Test
    void shouldNotRecogniseUnknownOrUpperCaseWireNames() {
        assertThat(Granularity.fromWireName("Minute")).isEmpty();
        assertThat(Granularity.fromWireName("week")).isEmpty();
        assertThat(Granularity.fromWireName(null)).isEmpty();
    }

    @Test
    void shouldStepToFinerAndCoarserTiers() {
        assertThat(Granularity.MINUTE.finer()).isEmpty();
        assertThat(Granularity.MINUTE.coarser()).contains(Granularity.HOUR);
        assertThat(Granularity.HOUR.finer()).contains(Granularity.MINUTE);
        assertThat(Granularity.HOUR.coarser()).contains(Granularity.DAY);
        assertThat(Granularity.DAY.finer()).contains(Granularity.HOUR);
        assertThat(Granularity.DAY.coarser()).isEmpty();
    }
}
