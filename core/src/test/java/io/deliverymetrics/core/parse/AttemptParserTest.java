package io.deliverymetrics.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
        return Stream.of(fixed, missing, nullIds).flatMap(s -> s);
    }

    @Property(tries = 3_000)
    void shouldCheckIdsAndErrorCodesExactlyLikeTheContractsPattern(@ForAll("idLike") String s) {
        assertThat(AttemptParser.isId(s)).isEqualTo(s.matches("[A-Za-z0-9_.:-]{1,64}"));
        assertThat(AttemptParser.isErrorCode(s)).isEqualTo(s.matches("[A-Za-z0-9_.:/-]{1,64}"));
    }

    @Provide
    Arbitrary<String> idLike() {
        // Mostly allowed characters, with neighbours of every allowed range and non-ASCII.
        return Arbitraries.strings()
                .withChars("azAZ09_.:-/")
                .withChars("@[`{/ ;,\u00e9\u0100")
                .withCharRange('0', 'z')
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
