package io.deliverymetrics.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte-level reader against the general Jackson path of the same parser: whatever the reader
 * accepts, the general path must accept with an equal attempt, and the reader must accept the forms
 * producers actually send.
 */
class FlatRecordReaderTest {

    private static final String ID_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-";

    private static final String SLUG_FIRST = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String SLUG_CHARS = SLUG_FIRST + "_-";

    private final AttemptParser parser = new AttemptParser();

    @Test
    void shouldReadEveryGeneratedRecordOfTheCommonFormsAsMadeAndLikeTheGeneralPath() {
        Random random = new Random(20261202L);
        for (int n = 0; n < 20_000; n++) {
            Generated g = generate(random);
            byte[] raw = g.json().getBytes(StandardCharsets.UTF_8);

            DeliveryAttempt fast = FlatRecordReader.read(raw);

            // Against the values the record was made from, and against the general path.
            assertThat(fast).as(g.json()).isEqualTo(g.expected());
            assertThat(parser.parseGeneral(raw))
                    .as(g.json())
                    .isEqualTo(new ParseResult.Valid(g.expected()));
        }
    }

    @Test
    void shouldNeverAcceptAnEditedRecordThatTheGeneralPathReadsDifferently() {
        Random random = new Random(7L);
        byte[] edits =
                "\"\\,:{}[] \t\n0123456789-+.eEtrufalsn/xZT\u0000\u007f"
                        .getBytes(StandardCharsets.ISO_8859_1);
        int acceptedByBoth = 0;
        int leftToGeneral = 0;
        for (int n = 0; n < 60_000; n++) {
            byte[] raw = edit(randomRecord(random).getBytes(StandardCharsets.UTF_8), random, edits);

            DeliveryAttempt fast = FlatRecordReader.read(raw);
            ParseResult general = parser.parseGeneral(raw);

            String shown = new String(raw, StandardCharsets.ISO_8859_1);
            if (fast != null) {
                assertThat(general).as(shown).isEqualTo(new ParseResult.Valid(fast));
                acceptedByBoth++;
            } else {
                leftToGeneral++;
            }
        }
        // Both outcomes occur, so the comparison above is not vacuous.
        assertThat(acceptedByBoth).isGreaterThan(2_000);
        assertThat(leftToGeneral).isGreaterThan(5_000);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // escapes, non-ASCII and control bytes: the general path decodes them
                "{\"workspace_id\":\"ws\\u005fa\",%s}",
                "{\"workspace_id\":\"ws\u00e9\",%s}",
                // duplicates, of known and of unknown fields
                "{\"workspace_id\":\"a\",\"workspace_id\":\"a\",%s}",
                "{\"x\":1,\"x\":1,\"workspace_id\":\"a\",%s}",
                // nested unknown values and too many unknown fields
                "{\"x\":{\"y\":1},\"workspace_id\":\"a\",%s}",
                "{\"x\":[1],\"workspace_id\":\"a\",%s}",
                "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"workspace_id\":\"a\",%s}",
                // numbers JSON forbids or the contract refuses
                "{\"x\":01,\"workspace_id\":\"a\",%s}",
                "{\"x\":1.,\"workspace_id\":\"a\",%s}",
                "{\"x\":-,\"workspace_id\":\"a\",%s}",
                // a missing value, trailing content, a missing comma
                "{\"workspace_id\":,%s}",
                "{\"workspace_id\":\"a\",%s} x",
                "{\"workspace_id\":\"a\" %s}",
            })
    void shouldLeaveUnusualRecordsToTheGeneralPath(String template) {
        String rest =
                "\"source_id\":\"s\",\"destination_id\":\"d\",\"event_id\":\"e\",\"attempt\":1,"
                        + "\"outcome\":\"delivered\",\"received_at\":\"2026-11-26T04:00:00Z\","
                        + "\"completed_at\":\"2026-11-26T04:00:01Z\"";
        byte[] raw = template.formatted(rest).getBytes(StandardCharsets.UTF_8);

        assertThat(FlatRecordReader.read(raw)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"attempt\":0",
                "\"attempt\":1000001",
                "\"attempt\":1.0",
                "\"attempt\":\"1\"",
                "\"outcome\":\"Delivered\"",
                "\"completed_at\":\"2026-11-26T03:59:59Z\"",
                "\"completed_at\":\"2100-01-01T00:00:00Z\"",
                "\"completed_at\":-1",
                "\"completed_at\":\"2026-02-30T00:00:00Z\"",
                "\"completed_at\":null",
                "\"error_code\":\"\"",
                "\"error_code\":7",
                "\"destination_type\":\"Braze\"",
                "\"destination_type\":\"-braze\"",
                "\"destination_type\":\"\"",
                "\"destination_type\":7",
                "\"event_type\":\"Track\"",
                "\"event_type\":\"page view\"",
                "\"event_type\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
                "\"event_name\":\"\"",
                "\"event_name\":\"a\\u0000b\"",
                "\"event_name\":\"a\u007fb\"",
                "\"event_name\":\"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\"",
                "\"event_name\":true",
                "\"error_message\":\"\\ud800\"",
                "\"error_message\":1",
                "\"source_id\":\"__overflow__\"",
                "\"destination_id\":\"__overflow__\"",
            })
    void shouldLeaveInvalidFieldsToTheGeneralPathWhichRejectsThem(String field) {
        String json =
                "{\"workspace_id\":\"w\",\"source_id\":\"s\",\"destination_id\":\"d\","
                        + "\"event_id\":\"e\",\"attempt\":1,\"outcome\":\"retrying\","
                        + "\"received_at\":\"2026-11-26T04:00:00Z\","
                        + "\"completed_at\":\"2026-11-26T04:00:01Z\","
                        + "\"error_code\":\"E1\",\"destination_type\":\"braze\","
                        + "\"event_type\":\"track\",\"event_name\":\"Order Completed\","
                        + "\"error_message\":\"Rate limit exceeded\"}";
        String name = field.substring(0, field.indexOf(':'));
        assertThat(FlatRecordReader.read(json.getBytes(StandardCharsets.UTF_8))).isNotNull();
        String edited =
                json.replaceFirst(
                        name + ":[^,}]*", java.util.regex.Matcher.quoteReplacement(field));
        assertThat(edited).isNotEqualTo(json);
        byte[] raw = edited.getBytes(StandardCharsets.UTF_8);

        assertThat(FlatRecordReader.read(raw)).as(edited).isNull();
        assertThat(parser.parse(raw)).as(edited).isInstanceOf(ParseResult.Rejected.class);
    }

    /**
     * Forms of each optional field: the reader must read the plain ones itself (marked true), may
     * leave the others to the general path, and whatever it reads must equal the general path's
     * attempt; the parser as a whole must give exactly the general path's result.
     */
    static Stream<Arguments> optionalFieldForms() {
        String emoji = "\uD83D\uDE00";
        return Stream.of(
                form("destination_type", "null", true),
                form("destination_type", q("braze"), true),
                form("destination_type", q("google-analytics"), true),
                form("destination_type", q("a".repeat(64)), true),
                form("destination_type", q("a".repeat(65)), false),
                form("destination_type", q("Braze"), false),
                form("destination_type", q("_braze"), false),
                form("destination_type", q(""), false),
                form("destination_type", q("br\\u0061ze"), false),
                form("destination_type", q("braz\u00e9"), false),
                form("destination_type", "[]", false),
                form("event_type", "null", true),
                form("event_type", q("track"), true),
                form("event_type", q("0"), true),
                form("event_type", q("page view"), false),
                form("event_type", "1", false),
                form("event_name", "null", true),
                form("event_name", q("Order Completed"), true),
                form("event_name", q("~"), true),
                form("event_name", q("n".repeat(128)), true),
                form("event_name", q("n".repeat(129)), false),
                form("event_name", q(emoji.repeat(128)), false),
                form("event_name", q(emoji.repeat(129)), false),
                form("event_name", q(""), false),
                form("event_name", q("Cart \uD83D\uDED2 Updated"), false),
                form("event_name", q("Caf\\u00e9 Visited"), false),
                form("event_name", q("Clicked \\\"Buy\\\""), false),
                form("event_name", q("C:\\\\Temp"), false),
                form("event_name", q("a\\ud800"), false),
                form("event_name", q("a\\u0000"), false),
                form("event_name", q("a\u007f"), false),
                form("event_name", q("a\u0085"), false),
                form("event_name", "{}", false),
                form("error_message", "null", true),
                form("error_message", q(""), true),
                form("error_message", q("Rate limit exceeded: retry after 30s"), true),
                form("error_message", q("m".repeat(1024)), true),
                form("error_message", q("m".repeat(1025)), false),
                form("error_message", q(emoji.repeat(1025)), false),
                form("error_message", q("m".repeat(1011) + emoji + "m".repeat(50)), false),
                form("error_message", q("line 1\\nline 2"), false),
                form("error_message", q("{\\\"error\\\":\\\"x\\\"}"), false),
                form("error_message", q("\\ud800"), false),
                form("error_message", q("a\u0085\u007f"), false),
                form("error_message", "false", false));
    }

    private static Arguments form(String field, String rawJson, boolean readByTheReader) {
        return Arguments.of(field, rawJson, readByTheReader);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("optionalFieldForms")
    void shouldReadOptionalFieldsLikeTheGeneralPath(
            String field, String rawJson, boolean readByTheReader) {
        String json =
                "{\"workspace_id\":\"w\",\"source_id\":\"s\",\"destination_id\":\"d\","
                        + "\"event_id\":\"e\",\"attempt\":1,\"outcome\":\"retrying\","
                        + "\"error_code\":\"E1\",\"received_at\":\"2026-11-26T04:00:00Z\","
                        + "\"completed_at\":\"2026-11-26T04:00:01Z\",\""
                        + field
                        + "\":"
                        + rawJson
                        + "}";
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);

        DeliveryAttempt fast = FlatRecordReader.read(raw);
        ParseResult general = parser.parseGeneral(raw);

        assertThat(fast != null).as(json).isEqualTo(readByTheReader);
        if (fast != null) {
            assertThat(general).isEqualTo(new ParseResult.Valid(fast, false));
        }
        assertThat(parser.parse(raw)).isEqualTo(general);
        // the same value written a second time is a duplicate for both
        byte[] twice =
                (json.substring(0, json.length() - 1) + ",\"" + field + "\":" + rawJson + "}")
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(FlatRecordReader.read(twice)).isNull();
        if (general instanceof ParseResult.Valid) {
            assertThat(((ParseResult.Rejected) parser.parse(twice)).reason())
                    .isEqualTo(RejectReason.DUPLICATE_FIELD);
        }
    }

    @Test
    void shouldAcceptOffsetTimestampsEpochMillisAndUnknownScalarsLikeTheGeneralPath() {
        String json =
                " {\"trace\":\"t-1\", \"workspace_id\" : \"w\",\"n\":-1.5e+3,\"source_id\":\"s\","
                        + "\"destination_id\":\"d\",\"event_id\":\"e\",\"ok\":true,\"no\":null,"
                        + "\"attempt\":1000000,\"outcome\":\"discarded\",\"error_code\":\"a/b\","
                        + "\"received_at\":1795665600120,"
                        + "\"completed_at\":\"2026-11-26T05:00:01.456+01:00\"}\n";
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);

        DeliveryAttempt a = FlatRecordReader.read(raw);

        assertThat(a).isNotNull();
        assertThat(a.receivedAt()).isEqualTo(Instant.parse("2026-11-26T04:00:00.120Z"));
        assertThat(a.completedAt()).isEqualTo(Instant.parse("2026-11-26T04:00:01.456Z"));
        assertThat(a.attempt()).isEqualTo(1_000_000);
        assertThat(a.errorCode()).isEqualTo("a/b");
        assertThat(parser.parseGeneral(raw)).isEqualTo(new ParseResult.Valid(a));
    }

    @Test
    void shouldReadIdsWithTheSameHashAsThemselvesAndShareRepeatedOnes() {
        // All four have the same String.hashCode, so they compete for one slot of the id cache.
        List<String> sameHash = List.of("AaAa", "BBBB", "AaBB", "BBAa");
        assertThat(sameHash.stream().mapToInt(String::hashCode).distinct()).hasSize(1);
        List<DeliveryAttempt> read = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String id : sameHash) {
                String json =
                        ("{\"workspace_id\":\"%s\",\"source_id\":\"%s\","
                                        + "\"destination_id\":\"%s\",\"event_id\":\"%s\","
                                        + "\"attempt\":1,\"outcome\":\"discarded\","
                                        + "\"error_code\":\"%s\","
                                        + "\"received_at\":\"2026-11-26T04:00:00Z\","
                                        + "\"completed_at\":\"2026-11-26T04:00:01Z\"}")
                                .formatted(id, id + "s", id + "d", id + "e", id + "/c");
                DeliveryAttempt a = FlatRecordReader.read(json.getBytes(StandardCharsets.UTF_8));
                assertThat(a).as(json).isNotNull();
                assertThat(
                                List.of(
                                        a.workspaceId(),
                                        a.sourceId(),
                                        a.destinationId(),
                                        a.eventId(),
                                        a.errorCode()))
                        .containsExactly(id, id + "s", id + "d", id + "e", id + "/c");
                read.add(a);
            }
        }
        // An id read twice in a row is one instance (its hash computed once).
        String json =
                "{\"workspace_id\":\"w_1\",\"source_id\":\"s\",\"destination_id\":\"d\","
                        + "\"event_id\":\"e\",\"attempt\":1,\"outcome\":\"delivered\","
                        + "\"received_at\":\"2026-11-26T04:00:00Z\","
                        + "\"completed_at\":\"2026-11-26T04:00:01Z\"}";
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        assertThat(FlatRecordReader.read(raw).workspaceId())
                .isSameAs(FlatRecordReader.read(raw).workspaceId());
        assertThat(read).hasSize(12);
    }

    /** A generated record and the attempt it stands for, known from how it was made. */
    private record Generated(String json, DeliveryAttempt expected) {}

    /** A valid record in one of the forms producers send, fields in random order. */
    private static String randomRecord(Random r) {
        return generate(r).json();
    }

    private static Generated generate(Random r) {
        Outcome outcome = Outcome.values()[r.nextInt(Outcome.values().length)];
        Instant received =
                Instant.parse("2026-11-26T00:00:00Z")
                        .plusMillis(r.nextInt(86_400_000))
                        .plusNanos(r.nextInt(1_000_000));
        // At least 1 ms later, so that completed_at as epoch millis (truncated) is not earlier.
        Instant completed = received.plusMillis(1 + r.nextInt(5));
        String ws = id(r);
        String src = id(r);
        String dst = id(r);
        String event = id(r);
        int attempt = r.nextInt(4) == 0 ? 1 + r.nextInt(1_000_000) : 1 + r.nextInt(3);
        // JSON allows whitespace around the colon; producers rarely write it.
        String colon = r.nextBoolean() ? ":" : r.nextBoolean() ? ":\t" : " : ";
        List<String> fields = new ArrayList<>();
        fields.add(q("workspace_id") + colon + q(ws));
        fields.add(q("source_id") + colon + q(src));
        fields.add(q("destination_id") + colon + q(dst));
        fields.add(q("event_id") + colon + q(event));
        fields.add(q("attempt") + colon + attempt);
        fields.add(q("outcome") + colon + q(outcome.wireName()));
        String code =
                switch (r.nextInt(4)) {
                    case 1 -> id(r);
                    case 2 -> "http/" + r.nextInt(600);
                    default -> null;
                };
        if (code != null) {
            fields.add(q("error_code") + colon + q(code));
        } else if (r.nextBoolean()) {
            fields.add(q("error_code") + colon + "null");
        }
        String destinationType = optional(fields, colon, "destination_type", r, () -> slug(r));
        String eventType = optional(fields, colon, "event_type", r, () -> slug(r));
        String eventName = optional(fields, colon, "event_name", r, () -> plainText(r, 1, 128, 24));
        String errorMessage =
                optional(fields, colon, "error_message", r, () -> plainText(r, 0, 1024, 40));
        Timestamp receivedForm = timestamp(received, r);
        Timestamp completedForm = timestamp(completed, r);
        fields.add(q("received_at") + colon + receivedForm.json());
        fields.add(q("completed_at") + colon + completedForm.json());
        for (int k = r.nextInt(3); k > 0; k--) {
            String value =
                    switch (r.nextInt(5)) {
                        case 0 -> q("v" + r.nextInt(100));
                        case 1 -> Integer.toString(r.nextInt());
                        case 2 ->
                                r.nextInt(1000)
                                        + "."
                                        + r.nextInt(1000)
                                        + "e"
                                        + (r.nextInt(20) - 10);
                        case 3 -> Boolean.toString(r.nextBoolean());
                        default -> "null";
                    };
            fields.add(q("extra_" + k) + colon + value);
        }
        // Half in the contract's order (as producers write it, which the reader tries first),
        // half shuffled.
        if (r.nextBoolean()) {
            Collections.shuffle(fields, r);
        }
        String sep = r.nextInt(4) == 0 ? ", \n\t" : ",";
        String json =
                (r.nextBoolean() ? "" : " ")
                        + "{"
                        + String.join(sep, fields)
                        + "}"
                        + (r.nextBoolean() ? "" : "\r\n");
        return new Generated(
                json,
                new DeliveryAttempt(
                        ws,
                        src,
                        dst,
                        event,
                        attempt,
                        outcome,
                        code,
                        receivedForm.denotes(),
                        completedForm.denotes(),
                        destinationType == null ? DeliveryAttempt.UNKNOWN_TYPE : destinationType,
                        eventType == null ? DeliveryAttempt.UNKNOWN_TYPE : eventType,
                        eventName,
                        errorMessage));
    }

    /**
     * Adds an optional field to {@code fields} one time in three as null, one time in three with a
     * value from {@code value}, else leaves it out; returns the value, or null.
     */
    private static String optional(
            List<String> fields,
            String colon,
            String name,
            Random r,
            java.util.function.Supplier<String> value) {
        switch (r.nextInt(3)) {
            case 0 -> {
                fields.add(q(name) + colon + "null");
                return null;
            }
            case 1 -> {
                String v = value.get();
                fields.add(q(name) + colon + q(v));
                return v;
            }
            default -> {
                return null;
            }
        }
    }

    /** A type: 1 to 64 of [a-z0-9_-], starting with a letter or digit; sometimes exactly 64. */
    private static String slug(Random r) {
        int len = r.nextInt(10) == 0 ? 64 : 1 + r.nextInt(12);
        StringBuilder sb = new StringBuilder(len);
        sb.append(SLUG_FIRST.charAt(r.nextInt(SLUG_FIRST.length())));
        while (sb.length() < len) {
            sb.append(SLUG_CHARS.charAt(r.nextInt(SLUG_CHARS.length())));
        }
        return sb.toString();
    }

    /**
     * Printable ASCII without quote or backslash, {@code min} to {@code usual} characters, one time
     * in ten exactly {@code max} (the limit).
     */
    private static String plainText(Random r, int min, int max, int usual) {
        int len = r.nextInt(10) == 0 ? max : min + r.nextInt(usual - min + 1);
        StringBuilder sb = new StringBuilder(len);
        while (sb.length() < len) {
            char c = (char) (0x20 + r.nextInt(0x7f - 0x20));
            if (c != '"' && c != '\\') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A timestamp as written into the record, and the instant that form denotes. */
    private record Timestamp(String json, Instant denotes) {}

    private static Timestamp timestamp(Instant t, Random r) {
        return switch (r.nextInt(4)) {
            // Instant.toString: Z with 0, 3, 6 or 9 fraction digits, as AttemptWriter sends
            case 0, 1 -> new Timestamp(q(t.toString()), t);
            // epoch millis drop the sub-millisecond part
            case 2 ->
                    new Timestamp(
                            Long.toString(t.toEpochMilli()),
                            Instant.ofEpochMilli(t.toEpochMilli()));
            default ->
                    new Timestamp(
                            q(t.atOffset(ZoneOffset.ofHours(r.nextInt(25) - 12)).toString()), t);
        };
    }

    private static String id(Random r) {
        int len = r.nextInt(10) == 0 ? 64 : 1 + r.nextInt(16);
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(ID_CHARS.charAt(r.nextInt(ID_CHARS.length())));
        }
        return sb.toString();
    }

    private static String q(String s) {
        return '"' + s + '"';
    }

    /** One to three random edits: replace, insert or delete a byte, or cut the record short. */
    private static byte[] edit(byte[] raw, Random r, byte[] edits) {
        byte[] b = raw;
        for (int k = 1 + r.nextInt(3); k > 0 && b.length > 1; k--) {
            int at = r.nextInt(b.length);
            byte with = edits[r.nextInt(edits.length)];
            switch (r.nextInt(4)) {
                case 0 -> {
                    b = b.clone();
                    b[at] = with;
                }
                case 1 -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = with;
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                case 2 -> {
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    b = c;
                }
                default -> {
                    byte[] c = new byte[at];
                    System.arraycopy(b, 0, c, 0, at);
                    b = c;
                }
            }
        }
        return b;
    }
}
