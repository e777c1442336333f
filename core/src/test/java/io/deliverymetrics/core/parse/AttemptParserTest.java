package io.deliverymetrics.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AttemptParserTest {

    /** The example record of DESIGN.md, verbatim. */
    private static final String DESIGN_EXAMPLE =
            """
            {"workspace_id":"ws_acme","source_id":"src_web","destination_id":"dst_amplitude",
             "event_id":"msg_8f14e45f","attempt":2,"outcome":"delivered","error_code":null,
             "received_at":"2026-11-26T04:00:00.120Z","completed_at":"2026-11-26T04:00:01.456Z"}
            """;

    /** The example record of README.md, verbatim: the DESIGN.md one with optional fields. */
    private static final String README_EXAMPLE =
            """
            {"workspace_id":"ws_acme","source_id":"src_web","destination_id":"dst_amplitude",
             "event_id":"msg_8f14e45f","attempt":2,"outcome":"delivered","error_code":null,
             "received_at":"2026-11-26T04:00:00.120Z","completed_at":"2026-11-26T04:00:01.456Z",
             "destination_type":"amplitude","event_type":"track","event_name":"Order Completed"}
            """;

    /** Epoch millis of 2026-11-26T04:00:00.120Z and 04:00:01.456Z (computed with `date -u`). */
    private static final long RECEIVED_EPOCH_MS = 1_795_665_600_120L;

    private static final long COMPLETED_EPOCH_MS = 1_795_665_601_456L;

    private static final String[] REQUIRED_FIELDS = {
        "workspace_id",
        "source_id",
        "destination_id",
        "event_id",
        "attempt",
        "outcome",
        "received_at",
        "completed_at"
    };

    private final AttemptParser parser = new AttemptParser();

    @Test
    void shouldParseTheDesignExampleRecord() {
        DeliveryAttempt a = valid(DESIGN_EXAMPLE);

        assertThat(a.workspaceId()).isEqualTo("ws_acme");
        assertThat(a.sourceId()).isEqualTo("src_web");
        assertThat(a.destinationId()).isEqualTo("dst_amplitude");
        assertThat(a.eventId()).isEqualTo("msg_8f14e45f");
        assertThat(a.attempt()).isEqualTo(2);
        assertThat(a.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(a.errorCode()).isNull();
        assertThat(a.receivedAt()).isEqualTo(Instant.parse("2026-11-26T04:00:00.120Z"));
        assertThat(a.completedAt()).isEqualTo(Instant.parse("2026-11-26T04:00:01.456Z"));
        // 04:00:01.456 - 04:00:00.120 = 1.336 s
        assertThat(a.latencyMillis()).isEqualTo(1_336L);
        assertThat(a.eventTimeMillis()).isEqualTo(COMPLETED_EPOCH_MS);
        assertThat(a.pair().kafkaKey()).isEqualTo("ws_acme/src_web/dst_amplitude");
    }

    @Test
    void shouldParseTheReadmeExampleRecordWithItsOptionalFields() {
        DeliveryAttempt a = valid(README_EXAMPLE);

        assertThat(a.destinationType()).isEqualTo("amplitude");
        assertThat(a.eventType()).isEqualTo("track");
        assertThat(a.eventName()).isEqualTo("Order Completed");
        assertThat(a.errorMessage()).isNull();
        // the rest as in the DESIGN.md example
        assertThat(withoutOptionalFields(a)).isEqualTo(valid(DESIGN_EXAMPLE));
    }

    @Test
    void shouldConvertAnOffsetTimestampToUtc() {
        DeliveryAttempt a =
                valid(
                        record().set("received_at", "\"2026-11-26T06:00:00.120+02:00\"")
                                .set("completed_at", "\"2026-11-25T23:00:01.456-05:00\"")
                                .json());

        assertThat(a.receivedAt()).isEqualTo(Instant.parse("2026-11-26T04:00:00.120Z"));
        assertThat(a.completedAt()).isEqualTo(Instant.parse("2026-11-26T04:00:01.456Z"));
    }

    @Test
    void shouldAcceptEpochMillisecondTimestamps() {
        DeliveryAttempt a =
                valid(
                        record().set("received_at", Long.toString(RECEIVED_EPOCH_MS))
                                .set("completed_at", Long.toString(COMPLETED_EPOCH_MS))
                                .json());

        assertThat(a.receivedAt()).isEqualTo(Instant.parse("2026-11-26T04:00:00.120Z"));
        assertThat(a.completedAt()).isEqualTo(Instant.parse("2026-11-26T04:00:01.456Z"));
    }

    @Test
    void shouldAcceptMixedIsoAndEpochTimestamps() {
        DeliveryAttempt a =
                valid(record().set("completed_at", Long.toString(COMPLETED_EPOCH_MS)).json());

        assertThat(a.latencyMillis()).isEqualTo(1_336L);
    }

    @Test
    void shouldIgnoreUnknownFieldsOfAnyShape() {
        DeliveryAttempt a =
                valid(
                        record().set("producer_version", "\"1.2.3\"")
                                .set("headers", "{\"x\":[1,2,{\"y\":null}],\"z\":true}")
                                .set("tags", "[\"a\",\"b\"]")
                                .set("retry_after", "1.5")
                                // Inside an ignored value a repeated name means nothing to us.
                                .set("trace", "{\"span\":1,\"span\":2}")
                                .json());

        assertThat(a.workspaceId()).isEqualTo("ws_acme");
        assertThat(a.attempt()).isEqualTo(2);
    }

    @Test
    void shouldAcceptNullOrMissingErrorCode() {
        assertThat(valid(record().set("error_code", "null").json()).errorCode()).isNull();
        assertThat(valid(record().remove("error_code").json()).errorCode()).isNull();
    }

    @Test
    void shouldKeepAValidErrorCode() {
        DeliveryAttempt a =
                valid(
                        record().set("outcome", "\"retrying\"")
                                .set("error_code", "\"http:503/upstream_timeout.v2\"")
                                .json());

        assertThat(a.outcome()).isEqualTo(Outcome.RETRYING);
        assertThat(a.errorCode()).isEqualTo("http:503/upstream_timeout.v2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"delivered", "retrying", "discarded", "expired", "filtered"})
    void shouldAcceptEveryOutcomeOfTheContract(String wireName) {
        DeliveryAttempt a = valid(record().set("outcome", '"' + wireName + '"').json());

        assertThat(a.outcome().wireName()).isEqualTo(wireName);
    }

    @Test
    void shouldAcceptTheBoundaryValues() {
        String id64 = "a".repeat(64);
        DeliveryAttempt a =
                valid(
                        record().set("workspace_id", '"' + id64 + '"')
                                .set("attempt", Integer.toString(AttemptParser.MAX_ATTEMPT))
                                .set("received_at", "\"2000-01-01T00:00:00Z\"")
                                .set("completed_at", "\"2000-02-01T00:00:00Z\"")
                                .json());

        assertThat(a.workspaceId()).hasSize(64);
        assertThat(a.attempt()).isEqualTo(1_000_000);
        // exactly 31 days of latency is still accepted
        assertThat(a.latencyMillis()).isEqualTo(31L * 24 * 3600 * 1000);

        DeliveryAttempt last =
                valid(
                        record().set("received_at", "\"2099-12-31T23:59:59.999Z\"")
                                .set("completed_at", "\"2099-12-31T23:59:59.999Z\"")
                                .json());
        assertThat(last.latencyMillis()).isZero();
    }

    @Test
    void shouldJudgeLatencyAroundTheLimitAsTheDurationBetweenTheInstants() {
        Instant received = Instant.parse("2026-11-26T04:00:00.250Z");
        Instant limit = received.plus(AttemptParser.MAX_LATENCY);
        long[] offsetsNanos = {
            -2_000_000_000L,
            -1_000_000_000L,
            -750_000_001L,
            -1L,
            0L,
            1L,
            749_999_999L,
            750_000_000L,
            1_000_000_000L
        };
        int accepted = 0;
        for (long offset : offsetsNanos) {
            Instant completed = limit.plusNanos(offset);
            boolean expected =
                    java.time.Duration.between(received, completed)
                                    .compareTo(AttemptParser.MAX_LATENCY)
                            <= 0;
            assertThat(AttemptParser.latencyInRange(received, completed))
                    .as("limit %+d ns", offset)
                    .isEqualTo(expected)
                    .isEqualTo(offset <= 0);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(5);
    }

    @Test
    void shouldAcceptARecordOfExactlyTheSizeLimit() {
        AttemptParser small = new AttemptParser(256);
        String json = padTo(record().json(), 256);

        assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(256);
        assertThat(small.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ParseResult.Valid.class);
    }

    @Test
    void shouldRejectARecordOneByteOverTheSizeLimit() {
        AttemptParser small = new AttemptParser(256);
        String json = padTo(record().json(), 257);

        ParseResult.Rejected r =
                (ParseResult.Rejected) small.parse(json.getBytes(StandardCharsets.UTF_8));

        assertThat(r.reason()).isEqualTo(RejectReason.TOO_LARGE);
        assertThat(r.field()).isNull();
        assertThat(r.detail()).contains("257").contains("256");
    }

    @Test
    void shouldRejectARecordOverTheDefaultLimit() {
        String json = padTo(record().json(), AttemptParser.DEFAULT_MAX_RECORD_BYTES + 1);

        assertThat(rejected(json).reason()).isEqualTo(RejectReason.TOO_LARGE);
    }

    @Test
    void shouldRejectInvalidUtf8AsMalformedJson() {
        byte[] raw =
                record().set("workspace_id", "\"ws_X\"").json().getBytes(StandardCharsets.UTF_8);
        int x = new String(raw, StandardCharsets.UTF_8).indexOf("ws_X") + 3;
        raw[x] = (byte) 0xFF;

        ParseResult.Rejected r = (ParseResult.Rejected) parser.parse(raw);

        assertThat(r.reason()).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(r.field()).isNull();
    }

    @Test
    void shouldRejectANullRecordAsEmpty() {
        ParseResult.Rejected r = (ParseResult.Rejected) parser.parse(null);

        assertThat(r.reason()).isEqualTo(RejectReason.EMPTY);
        assertThat(r.field()).isNull();
    }

    @Test
    void shouldRefuseASizeLimitBelow256Bytes() {
        assertThatThrownBy(() -> new AttemptParser(255))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRecordBytes must be at least 256, was 255");
    }

    @Test
    void shouldDescribeARejectionOnOneLineWithReasonCodeAndField() {
        ParseResult.Rejected r = rejected(record().set("source_id", "\"src web\"").json());

        assertThat(r.describe()).startsWith("invalid_id(source_id): ").doesNotContain("\n");
    }

    @Test
    void shouldRejectTheOverflowPairsReservedIdAsASourceOrDestinationOnly() {
        for (String field : new String[] {"source_id", "destination_id"}) {
            ParseResult.Rejected r = rejected(record().set(field, "\"__overflow__\"").json());

            assertThat(r.reason()).isEqualTo(RejectReason.INVALID_ID);
            assertThat(r.field()).isEqualTo(field);
            assertThat(r.detail()).contains("reserved");
        }
        validResult(record().set("event_id", "\"__overflow__\"").json());
    }

    @Test
    void shouldEchoOnlyAPrefixOfALongBadValue() {
        String longBad = "x".repeat(60) + " " + "y".repeat(60);
        ParseResult.Rejected r = rejected(record().set("event_id", '"' + longBad + '"').json());

        assertThat(r.reason()).isEqualTo(RejectReason.INVALID_ID);
        assertThat(r.detail()).doesNotContain("y").contains("x".repeat(40) + "…");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void shouldRejectWithReasonAndField(String json, RejectReason reason, String field) {
        ParseResult.Rejected r = rejected(json);

        assertThat(r.reason()).isEqualTo(reason);
        assertThat(r.field()).isEqualTo(field);
        assertThat(r.detail()).isNotBlank();
    }

    static Stream<Arguments> rejections() {
        String valid = record().json();
        Stream<Arguments> fixed =
                Stream.of(
                        // whole-record problems
                        reject("empty", "", RejectReason.EMPTY, null),
                        reject("not JSON", "hello world", RejectReason.MALFORMED_JSON, null),
                        reject(
                                "truncated in a value",
                                valid.substring(0, valid.length() / 2),
                                RejectReason.MALFORMED_JSON,
                                null),
                        reject(
                                "truncated before the closing brace",
                                valid.substring(0, valid.length() - 1),
                                RejectReason.MALFORMED_JSON,
                                null),
                        reject("array", "[" + valid + "]", RejectReason.NOT_AN_OBJECT, null),
                        reject("number", "42", RejectReason.NOT_AN_OBJECT, null),
                        reject("whitespace only", "   ", RejectReason.NOT_AN_OBJECT, null),
                        reject(
                                "duplicate field",
                                valid.substring(0, valid.length() - 1) + ",\"attempt\":3}",
                                RejectReason.DUPLICATE_FIELD,
                                "attempt"),
                        reject(
                                "duplicate unknown field",
                                valid.substring(0, valid.length() - 1)
                                        + ",\"extra\":1,\"extra\":2}",
                                RejectReason.DUPLICATE_FIELD,
                                "extra"),
                        reject(
                                "duplicate nullable field",
                                "{\"error_code\":null," + valid.substring(1),
                                RejectReason.DUPLICATE_FIELD,
                                "error_code"),
                        reject(
                                "trailing garbage",
                                valid + " garbage",
                                RejectReason.MALFORMED_JSON,
                                null),
                        reject("trailing object", valid + "{}", RejectReason.MALFORMED_JSON, null),
                        // wrong types
                        reject(
                                "attempt as string",
                                record().set("attempt", "\"2\"").json(),
                                RejectReason.WRONG_TYPE,
                                "attempt"),
                        reject(
                                "attempt as null",
                                record().set("attempt", "null").json(),
                                RejectReason.WRONG_TYPE,
                                "attempt"),
                        reject(
                                "workspace id as number",
                                record().set("workspace_id", "42").json(),
                                RejectReason.WRONG_TYPE,
                                "workspace_id"),
                        reject(
                                "event id as number",
                                record().set("event_id", "8").json(),
                                RejectReason.WRONG_TYPE,
                                "event_id"),
                        reject(
                                "outcome as object",
                                record().set("outcome", "{\"v\":\"delivered\"}").json(),
                                RejectReason.WRONG_TYPE,
                                "outcome"),
                        reject(
                                "error code as number",
                                record().set("error_code", "503").json(),
                                RejectReason.WRONG_TYPE,
                                "error_code"),
                        reject(
                                "timestamp as boolean",
                                record().set("received_at", "true").json(),
                                RejectReason.WRONG_TYPE,
                                "received_at"),
                        reject(
                                "timestamp as fractional epoch",
                                record().set("completed_at", "1795665601456.5").json(),
                                RejectReason.WRONG_TYPE,
                                "completed_at"),
                        // ids
                        reject(
                                "id with a space",
                                record().set("source_id", "\"src web\"").json(),
                                RejectReason.INVALID_ID,
                                "source_id"),
                        reject(
                                "id with a slash",
                                record().set("destination_id", "\"dst/amp\"").json(),
                                RejectReason.INVALID_ID,
                                "destination_id"),
                        reject(
                                "id with a non-ASCII letter",
                                record().set("workspace_id", "\"ws_caf\u00e9\"").json(),
                                RejectReason.INVALID_ID,
                                "workspace_id"),
                        reject(
                                "id of 65 characters",
                                record().set("event_id", '"' + "e".repeat(65) + '"').json(),
                                RejectReason.INVALID_ID,
                                "event_id"),
                        reject(
                                "empty id",
                                record().set("workspace_id", "\"\"").json(),
                                RejectReason.INVALID_ID,
                                "workspace_id"),
                        // outcome
                        reject(
                                "unknown outcome",
                                record().set("outcome", "\"bounced\"").json(),
                                RejectReason.UNKNOWN_OUTCOME,
                                "outcome"),
                        reject(
                                "outcome in upper case",
                                record().set("outcome", "\"Delivered\"").json(),
                                RejectReason.UNKNOWN_OUTCOME,
                                "outcome"),
                        // attempt
                        reject(
                                "attempt 0",
                                record().set("attempt", "0").json(),
                                RejectReason.INVALID_ATTEMPT,
                                "attempt"),
                        reject(
                                "negative attempt",
                                record().set("attempt", "-1").json(),
                                RejectReason.INVALID_ATTEMPT,
                                "attempt"),
                        reject(
                                "attempt above the maximum",
                                record().set("attempt", "1000001").json(),
                                RejectReason.INVALID_ATTEMPT,
                                "attempt"),
                        reject(
                                "attempt beyond int",
                                record().set("attempt", "4294967297").json(),
                                RejectReason.INVALID_ATTEMPT,
                                "attempt"),
                        reject(
                                "fractional attempt",
                                record().set("attempt", "2.5").json(),
                                RejectReason.WRONG_TYPE,
                                "attempt"),
                        // error code
                        reject(
                                "error code with a space",
                                record().set("error_code", "\"HTTP 503\"").json(),
                                RejectReason.INVALID_ERROR_CODE,
                                "error_code"),
                        reject(
                                "error code with a quote",
                                record().set("error_code", "\"E\\\"1\"").json(),
                                RejectReason.INVALID_ERROR_CODE,
                                "error_code"),
                        reject(
                                "empty error code",
                                record().set("error_code", "\"\"").json(),
                                RejectReason.INVALID_ERROR_CODE,
                                "error_code"),
                        reject(
                                "error code of 65 characters",
                                record().set("error_code", '"' + "c".repeat(65) + '"').json(),
                                RejectReason.INVALID_ERROR_CODE,
                                "error_code"),
                        // timestamps
                        reject(
                                "completed before received",
                                record().set("completed_at", "\"2026-11-26T04:00:00.119Z\"").json(),
                                RejectReason.COMPLETED_BEFORE_RECEIVED,
                                "completed_at"),
                        reject(
                                "timestamp without offset",
                                record().set("received_at", "\"2026-11-26T04:00:00.120\"").json(),
                                RejectReason.INVALID_TIMESTAMP,
                                "received_at"),
                        reject(
                                "timestamp that is not a date",
                                record().set("completed_at", "\"yesterday\"").json(),
                                RejectReason.INVALID_TIMESTAMP,
                                "completed_at"),
                        reject(
                                "received 1 ms before 2000",
                                record().set("received_at", "\"1999-12-31T23:59:59.999Z\"").json(),
                                RejectReason.TIMESTAMP_OUT_OF_RANGE,
                                "received_at"),
                        reject(
                                "received as epoch millis 1 ms before 2000",
                                record().set("received_at", "946684799999").json(),
                                RejectReason.TIMESTAMP_OUT_OF_RANGE,
                                "received_at"),
                        reject(
                                "completed exactly at 2100",
                                record().set("received_at", "\"2099-12-31T23:59:59Z\"")
                                        .set("completed_at", "\"2100-01-01T00:00:00Z\"")
                                        .json(),
                                RejectReason.TIMESTAMP_OUT_OF_RANGE,
                                "completed_at"),
                        reject(
                                "completed as epoch millis at 2100",
                                record().set("completed_at", "4102444800000").json(),
                                RejectReason.TIMESTAMP_OUT_OF_RANGE,
                                "completed_at"),
                        reject(
                                "epoch millis beyond long",
                                record().set("completed_at", "99999999999999999999").json(),
                                RejectReason.TIMESTAMP_OUT_OF_RANGE,
                                "completed_at"),
                        reject(
                                "latency 31 days and 1 ms",
                                record().set("received_at", "\"2026-10-26T04:00:01.455Z\"").json(),
                                RejectReason.LATENCY_OUT_OF_RANGE,
                                "completed_at"));
        Stream<Arguments> missing =
                Stream.of(REQUIRED_FIELDS)
                        .flatMap(
                                f ->
                                        Stream.of(
                                                reject(
                                                        "missing " + f,
                                                        record().remove(f).json(),
                                                        RejectReason.MISSING_FIELD,
                                                        f)));
        Stream<Arguments> nullIds =
                Stream.of("workspace_id", "source_id", "destination_id", "event_id", "outcome")
                        .map(
                                f ->
                                        reject(
                                                "null " + f,
                                                record().set(f, "null").json(),
                                                RejectReason.MISSING_FIELD,
                                                f));
        return Stream.of(fixed, missing, nullIds, optionalFieldRejections()).flatMap(s -> s);
    }

    /** Rejections of the optional fields: types, event name, error message, duplicates. */
    static Stream<Arguments> optionalFieldRejections() {
        String valid = record().json();
        Stream<Arguments> types =
                Stream.of("destination_type", "event_type")
                        .flatMap(
                                f -> {
                                    RejectReason reason =
                                            f.equals("event_type")
                                                    ? RejectReason.INVALID_EVENT_TYPE
                                                    : RejectReason.INVALID_DESTINATION_TYPE;
                                    return Stream.of(
                                            reject(
                                                    f + " in upper case",
                                                    set(f, "\"Braze\""),
                                                    reason,
                                                    f),
                                            reject(
                                                    f + " with a space",
                                                    set(f, "\"google ads\""),
                                                    reason,
                                                    f),
                                            reject(
                                                    f + " starting with -",
                                                    set(f, "\"-braze\""),
                                                    reason,
                                                    f),
                                            reject(
                                                    f + " starting with _",
                                                    set(f, "\"_braze\""),
                                                    reason,
                                                    f),
                                            reject(f + " empty", set(f, "\"\""), reason, f),
                                            reject(
                                                    f + " of 65 characters",
                                                    set(f, q("a".repeat(65))),
                                                    reason,
                                                    f),
                                            reject(
                                                    f + " with a non-ASCII letter",
                                                    set(f, "\"braz\u00e9\""),
                                                    reason,
                                                    f),
                                            reject(
                                                    f + " with an escaped newline",
                                                    set(f, "\"braze\\n\""),
                                                    reason,
                                                    f),
                                            reject(
                                                    f + " with a dot",
                                                    set(f, "\"google.ads\""),
                                                    reason,
                                                    f),
                                            reject(
                                                    f + " as number",
                                                    set(f, "42"),
                                                    RejectReason.WRONG_TYPE,
                                                    f),
                                            reject(
                                                    f + " as boolean",
                                                    set(f, "true"),
                                                    RejectReason.WRONG_TYPE,
                                                    f),
                                            reject(
                                                    f + " as object",
                                                    set(f, "{\"v\":\"braze\"}"),
                                                    RejectReason.WRONG_TYPE,
                                                    f),
                                            reject(
                                                    "duplicate " + f,
                                                    "{\""
                                                            + f
                                                            + "\":\"braze\","
                                                            + set(f, "\"braze\"").substring(1),
                                                    RejectReason.DUPLICATE_FIELD,
                                                    f),
                                            reject(
                                                    "duplicate null " + f,
                                                    "{\""
                                                            + f
                                                            + "\":null,"
                                                            + set(f, "null").substring(1),
                                                    RejectReason.DUPLICATE_FIELD,
                                                    f));
                                });
        Stream<Arguments> texts =
                Stream.of(
                        reject(
                                "event name as number",
                                set("event_name", "7"),
                                RejectReason.WRONG_TYPE,
                                "event_name"),
                        reject(
                                "event name as array",
                                set("event_name", "[\"a\"]"),
                                RejectReason.WRONG_TYPE,
                                "event_name"),
                        reject(
                                "error message as number",
                                set("error_message", "500"),
                                RejectReason.WRONG_TYPE,
                                "error_message"),
                        reject(
                                "error message as object",
                                set("error_message", "{\"error\":\"x\"}"),
                                RejectReason.WRONG_TYPE,
                                "error_message"),
                        reject(
                                "error message with a lone high surrogate",
                                set("error_message", "\"oops \\ud800\""),
                                RejectReason.INVALID_ERROR_MESSAGE,
                                "error_message"),
                        reject(
                                "error message with a lone low surrogate",
                                set("error_message", "\"\\udfff\""),
                                RejectReason.INVALID_ERROR_MESSAGE,
                                "error_message"),
                        reject(
                                "error message with a reversed pair",
                                set("error_message", "\"\\ude00\\ud83d\""),
                                RejectReason.INVALID_ERROR_MESSAGE,
                                "error_message"),
                        reject(
                                "error message with a lone surrogate beyond the truncation point",
                                set("error_message", q("m".repeat(2000) + "\\ud800")),
                                RejectReason.INVALID_ERROR_MESSAGE,
                                "error_message"),
                        reject(
                                "duplicate event name",
                                "{\"event_name\":\"A\"," + set("event_name", "\"A\"").substring(1),
                                RejectReason.DUPLICATE_FIELD,
                                "event_name"),
                        reject(
                                "duplicate null event name",
                                "{\"event_name\":null," + set("event_name", "\"A\"").substring(1),
                                RejectReason.DUPLICATE_FIELD,
                                "event_name"),
                        reject(
                                "duplicate error message",
                                "{\"error_message\":\"x\","
                                        + set("error_message", "null").substring(1),
                                RejectReason.DUPLICATE_FIELD,
                                "error_message"),
                        reject(
                                "duplicate error message after the record",
                                valid.substring(0, valid.length() - 1)
                                        + ",\"error_message\":\"a\",\"error_message\":\"a\"}",
                                RejectReason.DUPLICATE_FIELD,
                                "error_message"));
        return Stream.concat(types, texts);
    }

    private static String set(String field, String rawJson) {
        return record().set(field, rawJson).json();
    }

    private static String q(String s) {
        return '"' + s + '"';
    }

    // ---- the optional fields

    @Test
    void shouldDefaultAbsentOrNullOptionalFields() {
        for (String json :
                List.of(
                        record().json(),
                        record().set("destination_type", "null")
                                .set("event_type", "null")
                                .set("event_name", "null")
                                .set("error_message", "null")
                                .json())) {
            ParseResult.Valid v = validResult(json);
            DeliveryAttempt a = v.attempt();

            assertThat(a.destinationType()).isEqualTo("unknown");
            assertThat(a.eventType()).isEqualTo("unknown");
            assertThat(a.eventName()).isNull();
            assertThat(a.errorMessage()).isNull();
            assertThat(v.errorMessageTruncated()).isFalse();
            // the same as an attempt built without them
            assertThat(a).isEqualTo(withoutOptionalFields(a));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "braze",
                "google-analytics",
                "customer_io",
                "s3",
                "0",
                "9to5",
                "unknown",
                "a-_-_z",
                // 64 characters
                "abcdefghijklmnopqrstuvwxyz0123456789-_abcdefghijklmnopqrstuvwxyz"
            })
    void shouldKeepValidDestinationAndEventTypes(String slug) {
        assertThat(slug).hasSizeLessThanOrEqualTo(64);
        DeliveryAttempt a =
                valid(record().set("destination_type", q(slug)).set("event_type", q(slug)).json());

        assertThat(a.destinationType()).isEqualTo(slug);
        assertThat(a.eventType()).isEqualTo(slug);
    }

    @Property(tries = 2_000)
    void shouldCheckTypesExactlyLikeTheContractsPattern(@ForAll("slugLike") String s) {
        assertThat(AttemptParser.isSlug(s)).isEqualTo(s.matches("[a-z0-9][a-z0-9_-]{0,63}"));
    }

    @Provide
    Arbitrary<String> slugLike() {
        return mostlyAllowed("az09_-", "AZ`{/:. \u00e9", 'a', 'z');
    }

    /** A valid name as JSON text, and the name it denotes, written out independently. */
    static Stream<Arguments> validEventNames() {
        String emoji = "\uD83D\uDE00"; // U+1F600, one code point, two chars
        return Stream.of(
                Arguments.of(Named.of("plain", q("Order Completed")), "Order Completed"),
                Arguments.of(Named.of("one character", q("x")), "x"),
                Arguments.of(Named.of("128 ASCII", q("n".repeat(128))), "n".repeat(128)),
                Arguments.of(Named.of("128 emoji", q(emoji.repeat(128))), emoji.repeat(128)),
                Arguments.of(
                        Named.of("127 ASCII and an emoji", q("n".repeat(127) + emoji)),
                        "n".repeat(127) + emoji),
                Arguments.of(
                        Named.of("escaped quotes", q("Clicked \\\"Buy Now\\\"")),
                        "Clicked \"Buy Now\""),
                Arguments.of(
                        Named.of("escaped backslash", q("C:\\\\Temp Exported")),
                        "C:\\Temp Exported"),
                Arguments.of(Named.of("escaped é", q("Caf\\u00e9 Visited")), "Caf\u00e9 Visited"),
                Arguments.of(Named.of("raw é", q("Caf\u00e9 Visited")), "Caf\u00e9 Visited"),
                Arguments.of(
                        Named.of("escaped surrogate pair", q("Cart \\ud83d\\uded2 Updated")),
                        "Cart \uD83D\uDED2 Updated"),
                Arguments.of(
                        Named.of("raw 4-byte UTF-8", q("Cart \uD83D\uDED2 Updated")),
                        "Cart \uD83D\uDED2 Updated"),
                Arguments.of(Named.of("tilde, next to DEL", q("a~b")), "a~b"),
                Arguments.of(Named.of("no-break space, next to C1", q("a\u00a0b")), "a\u00a0b"),
                Arguments.of(Named.of("line separator", q("a\u2028b")), "a\u2028b"),
                Arguments.of(Named.of("escaped slash", q("a\\/b")), "a/b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validEventNames")
    void shouldKeepValidEventNamesByteExact(String json, String expected) {
        DeliveryAttempt a = valid(record().set("event_name", json).json());

        assertThat(a.eventName()).isEqualTo(expected);
        assertThat(a.eventName().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldDecodeNonAsciiNamesToTheirUtf8BytesExactly() {
        // "Café 🛒": C3 A9 for é, F0 9F 9B 92 for U+1F6D2, as the Unicode tables give them.
        byte[] expected = {
            'C',
            'a',
            'f',
            (byte) 0xC3,
            (byte) 0xA9,
            ' ',
            (byte) 0xF0,
            (byte) 0x9F,
            (byte) 0x9B,
            (byte) 0x92
        };
        for (String json : List.of(q("Caf\\u00e9 \\ud83d\\uded2"), q("Caf\u00e9 \uD83D\uDED2"))) {
            DeliveryAttempt a = valid(record().set("event_name", json).json());

            assertThat(a.eventName().getBytes(StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(a.eventName().codePointCount(0, a.eventName().length())).isEqualTo(6);
        }
    }

    /** An invalid name as JSON text and a word the detail must contain. */
    static Stream<Arguments> invalidEventNames() {
        String emoji = "\uD83D\uDE00";
        return Stream.of(
                Arguments.of(Named.of("empty", q("")), "empty"),
                Arguments.of(Named.of("129 ASCII", q("n".repeat(129))), "129 code points"),
                Arguments.of(Named.of("129 emoji", q(emoji.repeat(129))), "129 code points"),
                Arguments.of(
                        Named.of("128 ASCII and an emoji", q("n".repeat(128) + emoji)),
                        "129 code points"),
                Arguments.of(Named.of("escaped NUL", q("a\\u0000b")), "control character U+0000"),
                Arguments.of(
                        Named.of("escaped newline", q("Order\\nCompleted")),
                        "control character U+000A"),
                Arguments.of(Named.of("escaped tab", q("\\tx")), "control character U+0009"),
                Arguments.of(Named.of("escaped U+001F", q("x\\u001f")), "control character U+001F"),
                Arguments.of(Named.of("raw DEL", q("a\u007fb")), "control character U+007F"),
                Arguments.of(Named.of("escaped DEL", q("a\\u007Fb")), "control character U+007F"),
                Arguments.of(Named.of("raw U+0085", q("a\u0085b")), "control character U+0085"),
                Arguments.of(
                        Named.of("escaped U+009F", q("a\\u009fb")), "control character U+009F"),
                Arguments.of(
                        Named.of("lone high surrogate", q("a\\ud800")), "lone surrogate U+D800"),
                Arguments.of(
                        Named.of("lone low surrogate", q("\\udc00a")), "lone surrogate U+DC00"),
                Arguments.of(
                        Named.of("high then a letter", q("\\ud83dx")), "lone surrogate U+D83D"),
                Arguments.of(
                        Named.of("reversed pair", q("\\ude00\\ud83d")), "lone surrogate U+DE00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEventNames")
    void shouldRejectInvalidEventNamesSayingWhy(String json, String detail) {
        ParseResult.Rejected r = rejected(record().set("event_name", json).json());

        assertThat(r.reason()).isEqualTo(RejectReason.INVALID_EVENT_NAME);
        assertThat(r.reason().code()).isEqualTo("invalid_event_name");
        assertThat(r.field()).isEqualTo("event_name");
        assertThat(r.detail()).contains(detail);
        assertThat(r.describe()).doesNotContain("\n");
        // the detail never carries the offending characters themselves
        assertThat(r.detail().chars().noneMatch(AttemptParser::isControl)).isTrue();
        assertThat(AttemptParser.loneSurrogateAt(r.detail())).isEqualTo(-1);
    }

    @Test
    void shouldKeepErrorMessagesWithNewlinesQuotesBackslashesAndEmojiOnAnyOutcome() {
        String json =
                q(
                        "{\\\"error\\\":\\\"Missing \\\\ \\\"revenue\\\"\\\"}\\nline 2\\r\\t\\u0000 \uD83D\uDE80 \\ud83d\\ude80 caf\u00e9");
        String expected =
                "{\"error\":\"Missing \\ \"revenue\"\"}\nline 2\r\t\u0000 \uD83D\uDE80 \uD83D\uDE80 caf\u00e9";
        for (String outcome :
                List.of("delivered", "retrying", "discarded", "expired", "filtered")) {
            ParseResult.Valid v =
                    validResult(
                            record().set("outcome", q(outcome)).set("error_message", json).json());

            assertThat(v.attempt().errorMessage()).isEqualTo(expected);
            assertThat(v.errorMessageTruncated()).isFalse();
        }
        assertThat(valid(record().set("error_message", q("")).json()).errorMessage()).isEmpty();
    }

    @Test
    void shouldKeepAnErrorMessageOfExactlyTheLimitInCodePoints() {
        String ascii = "m".repeat(1024);
        // 1,000 ASCII and 24 emoji: 1,024 code points in 1,048 chars
        String mixed = "m".repeat(1000) + "\uD83D\uDE00".repeat(24);
        assertThat(mixed).hasSize(1048);

        for (String message : List.of(ascii, mixed)) {
            ParseResult.Valid v = validResult(record().set("error_message", q(message)).json());

            assertThat(v.attempt().errorMessage()).isEqualTo(message);
            assertThat(v.errorMessageTruncated()).isFalse();
        }
    }

    /** A message over the limit and its expected truncated form, written out by hand. */
    static Stream<Arguments> truncatedMessages() {
        String marker = "\u2026[truncated]";
        String emoji = "\uD83D\uDE00";
        String longTail = "z".repeat(200);
        return Stream.of(
                Arguments.of(Named.of("1,025 ASCII", "m".repeat(1025)), "m".repeat(1012) + marker),
                Arguments.of(Named.of("5,000 ASCII", "m".repeat(5000)), "m".repeat(1012) + marker),
                Arguments.of(
                        Named.of("1,025 emoji", emoji.repeat(1025)), emoji.repeat(1012) + marker),
                Arguments.of(
                        Named.of(
                                "emoji as the last kept code point",
                                "m".repeat(1011) + emoji + longTail),
                        "m".repeat(1011) + emoji + marker),
                Arguments.of(
                        Named.of(
                                "emoji as the first dropped code point",
                                "m".repeat(1012) + emoji + longTail),
                        "m".repeat(1012) + marker),
                Arguments.of(
                        Named.of("newlines and quotes kept in the prefix", "a\n\"b\\".repeat(300)),
                        "a\n\"b\\".repeat(202) + "a\n" + marker));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("truncatedMessages")
    void shouldTruncateALongErrorMessageToTheLimitWithTheMarker(String message, String expected) {
        ParseResult.Valid v =
                validResult(record().set("error_message", jsonString(message)).json());

        String kept = v.attempt().errorMessage();
        assertThat(v.errorMessageTruncated()).isTrue();
        assertThat(kept).isEqualTo(expected).endsWith("…[truncated]");
        assertThat(kept.codePointCount(0, kept.length())).isEqualTo(1024);
        assertThat(AttemptParser.loneSurrogateAt(kept)).isEqualTo(-1);
    }

    @Test
    void shouldWriteAndReadBackEveryAcceptedTextByteExact() {
        java.util.Random random = new java.util.Random(20261207L);
        String[] pieces = {
            "a",
            "Z",
            "0",
            " ",
            "\"",
            "\\",
            "/",
            "'",
            "<",
            "&",
            "\u00e9",
            "\u00a0",
            "\u2028",
            "\u4e2d",
            "\uD83D\uDED2",
            "\uD83D\uDE00",
            "\uDBFF\uDFFF",
            "\uFFFD",
            "\uFEFF"
        };
        String[] messageOnly = {"\n", "\r", "\t", "\u0000", "\u001f", "\u007f", "\u0085", "\u009f"};
        for (int n = 0; n < 2_000; n++) {
            String name = text(random, pieces, null, 1 + random.nextInt(128));
            String message =
                    random.nextInt(5) == 0
                            ? null
                            : text(random, pieces, messageOnly, random.nextInt(1024));
            DeliveryAttempt a =
                    new DeliveryAttempt(
                            "ws_acme",
                            "src_web",
                            "dst_amplitude",
                            "msg_" + n,
                            1 + random.nextInt(3),
                            Outcome.values()[random.nextInt(5)],
                            random.nextBoolean() ? null : "http_400",
                            Instant.parse("2026-11-26T04:00:00.120Z"),
                            Instant.parse("2026-11-26T04:00:01.456Z"),
                            random.nextInt(4) == 0 ? "unknown" : "google-ads",
                            random.nextInt(4) == 0 ? "unknown" : "track",
                            random.nextInt(4) == 0 ? null : name,
                            message);

            byte[] raw = AttemptWriter.toJson(a);
            ParseResult back = parser.parse(raw);

            assertThat(back).as(a.toString()).isEqualTo(new ParseResult.Valid(a, false));
            assertThat(parser.parseGeneral(raw)).isEqualTo(back);
            assertThat(AttemptWriter.toJson(((ParseResult.Valid) back).attempt())).isEqualTo(raw);
        }
    }

    @Test
    void shouldLeaveAbsentOptionalFieldsOutWhenWriting() {
        DeliveryAttempt a = valid(DESIGN_EXAMPLE);

        String json = new String(AttemptWriter.toJson(a), StandardCharsets.UTF_8);

        assertThat(json)
                .isEqualTo(
                        "{\"workspace_id\":\"ws_acme\",\"source_id\":\"src_web\","
                                + "\"destination_id\":\"dst_amplitude\",\"event_id\":\"msg_8f14e45f\","
                                + "\"attempt\":2,\"outcome\":\"delivered\",\"error_code\":null,"
                                + "\"received_at\":\"2026-11-26T04:00:00.120Z\","
                                + "\"completed_at\":\"2026-11-26T04:00:01.456Z\"}");
    }

    @Test
    void shouldWriteTheOptionalFieldsWithOnlyTheEscapesJsonRequires() {
        DeliveryAttempt a =
                valid(
                        record().set("destination_type", q("braze"))
                                .set("event_type", q("track"))
                                .set("event_name", q("Cart \uD83D\uDED2 \\\"Updated\\\""))
                                .set("error_message", q("a\\nb\\\\"))
                                .json());

        String json = new String(AttemptWriter.toJson(a), StandardCharsets.UTF_8);

        assertThat(json)
                .endsWith(
                        ",\"destination_type\":\"braze\",\"event_type\":\"track\","
                                + "\"event_name\":\"Cart \uD83D\uDED2 \\\"Updated\\\"\","
                                + "\"error_message\":\"a\\nb\\\\\"}");
    }

    private static String text(
            java.util.Random r, String[] pieces, String[] extra, int codePoints) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            String[] from = extra != null && r.nextInt(8) == 0 ? extra : pieces;
            sb.append(from[r.nextInt(from.length)]);
        }
        return sb.toString();
    }

    /** {@code s} as a JSON string literal, escaping only quotes, backslashes and controls. */
    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    @Property(tries = 3_000)
    void shouldCheckIdsAndErrorCodesExactlyLikeTheContractsPattern(@ForAll("idLike") String s) {
        assertThat(AttemptParser.isId(s)).isEqualTo(s.matches("[A-Za-z0-9_.:-]{1,64}"));
        assertThat(AttemptParser.isErrorCode(s)).isEqualTo(s.matches("[A-Za-z0-9_.:/-]{1,64}"));
    }

    @Provide
    Arbitrary<String> idLike() {
        return mostlyAllowed("azAZ09_.:-/", "@[`{/ ;,\u00e9\u0100", '0', 'z');
    }

    /**
     * Strings of 0 to 70 characters: the allowed ones, neighbours of every allowed range and
     * non-ASCII, and the range {@code from}–{@code to}.
     */
    private static Arbitrary<String> mostlyAllowed(
            String allowed, String neighbours, char from, char to) {
        return Arbitraries.strings()
                .withChars(allowed)
                .withChars(neighbours)
                .withCharRange(from, to)
                .ofMinLength(0)
                .ofMaxLength(70);
    }

    @Property(tries = 1_000)
    void shouldNeverThrowForArbitraryBytes(@ForAll @Size(max = 512) byte[] raw) {
        assertResult(parser.parse(raw));
    }

    @Property(tries = 1_000)
    void shouldNeverThrowForMutatedValidRecords(@ForAll("mutatedRecords") byte[] raw) {
        assertResult(parser.parse(raw));
    }

    @Provide
    Arbitrary<byte[]> mutatedRecords() {
        byte[] base = DESIGN_EXAMPLE.getBytes(StandardCharsets.UTF_8);
        Arbitrary<Integer> position = Arbitraries.integers().between(0, base.length - 1);
        Arbitrary<Byte> value =
                Arbitraries.oneOf(
                        Arbitraries.bytes(),
                        Arbitraries.of(
                                (byte) '"',
                                (byte) '{',
                                (byte) '}',
                                (byte) '[',
                                (byte) ',',
                                (byte) ':',
                                (byte) '\\',
                                (byte) '0',
                                (byte) '-',
                                (byte) 0xC3));
        Arbitrary<int[]> mutation =
                Combinators.combine(position, value, Arbitraries.integers().between(0, 2))
                        .as((p, v, kind) -> new int[] {p, v, kind});
        return mutation.list()
                .ofMinSize(1)
                .ofMaxSize(6)
                .map(
                        ms -> {
                            byte[] b = base;
                            for (int[] m : ms) {
                                b = mutate(b, m[0] % Math.max(1, b.length), (byte) m[1], m[2]);
                            }
                            return b;
                        });
    }

    /** kind 0 replaces the byte at {@code pos}, 1 inserts before it, 2 truncates there. */
    private static byte[] mutate(byte[] b, int pos, byte v, int kind) {
        if (b.length == 0) {
            return new byte[] {v};
        }
        return switch (kind) {
            case 0 -> {
                byte[] c = b.clone();
                c[pos] = v;
                yield c;
            }
            case 1 -> {
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, pos);
                c[pos] = v;
                System.arraycopy(b, pos, c, pos + 1, b.length - pos);
                yield c;
            }
            default -> Arrays.copyOf(b, pos);
        };
    }

    private static void assertResult(ParseResult result) {
        assertThat(result).isNotNull();
        if (result instanceof ParseResult.Rejected r) {
            assertThat(r.describe()).startsWith(r.reason().code()).doesNotContain("\n");
        } else {
            DeliveryAttempt a = ((ParseResult.Valid) result).attempt();
            assertThat(a.completedAt()).isAfterOrEqualTo(a.receivedAt());
        }
    }

    // ---- helpers

    private DeliveryAttempt valid(String json) {
        ParseResult r = parser.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(r).isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) r).attempt();
    }

    /** {@code a} with only the nine fields of the original contract (the older constructor). */
    private static DeliveryAttempt withoutOptionalFields(DeliveryAttempt a) {
        return new DeliveryAttempt(
                a.workspaceId(),
                a.sourceId(),
                a.destinationId(),
                a.eventId(),
                a.attempt(),
                a.outcome(),
                a.errorCode(),
                a.receivedAt(),
                a.completedAt());
    }

    private ParseResult.Valid validResult(String json) {
        ParseResult r = parser.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(r).as(json).isInstanceOf(ParseResult.Valid.class);
        return (ParseResult.Valid) r;
    }

    private ParseResult.Rejected rejected(String json) {
        ParseResult r = parser.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(r).isInstanceOf(ParseResult.Rejected.class);
        return (ParseResult.Rejected) r;
    }

    private static Arguments reject(String name, String json, RejectReason reason, String field) {
        return Arguments.of(Named.of(name, json), reason, field);
    }

    /** Adds an unknown padding field so the UTF-8 record is exactly {@code bytes} long. */
    private static String padTo(String json, int bytes) {
        String open = json.substring(0, json.length() - 1) + ",\"pad\":\"";
        String close = "\"}";
        int fill = bytes - open.length() - close.length();
        return open + "p".repeat(fill) + close;
    }

    private static RecordJson record() {
        return new RecordJson();
    }

    /** A valid record (the DESIGN.md example as attempt 2, delivered) with fields to change. */
    private static final class RecordJson {
        private final Map<String, String> fields = new LinkedHashMap<>();

        RecordJson() {
            fields.put("workspace_id", "\"ws_acme\"");
            fields.put("source_id", "\"src_web\"");
            fields.put("destination_id", "\"dst_amplitude\"");
            fields.put("event_id", "\"msg_8f14e45f\"");
            fields.put("attempt", "2");
            fields.put("outcome", "\"delivered\"");
            fields.put("error_code", "null");
            fields.put("received_at", "\"2026-11-26T04:00:00.120Z\"");
            fields.put("completed_at", "\"2026-11-26T04:00:01.456Z\"");
        }

        /** Sets a field to a raw JSON value. */
        RecordJson set(String name, String rawJson) {
            fields.put(name, rawJson);
            return this;
        }

        RecordJson remove(String name) {
            fields.remove(name);
            return this;
        }

        String json() {
            StringBuilder sb = new StringBuilder("{");
            fields.forEach(
                    (k, v) -> {
                        if (sb.length() > 1) {
                            sb.append(',');
                        }
                        sb.append('"').append(k).append("\":").append(v);
                    });
            return sb.append('}').toString();
        }
    }
}
