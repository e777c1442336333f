package io.deliverymetrics.loadgen.generator;

import static io.deliverymetrics.loadgen.generator.RecordEncoder.ATTEMPT;
import static io.deliverymetrics.loadgen.generator.RecordEncoder.COMPLETED_AT;
import static io.deliverymetrics.loadgen.generator.RecordEncoder.DESTINATION_ID;
import static io.deliverymetrics.loadgen.generator.RecordEncoder.DESTINATION_TYPE;
import static io.deliverymetrics.loadgen.generator.RecordEncoder.ERROR_MESSAGE;
import static io.deliverymetrics.loadgen.generator.RecordEncoder.EVENT_ID;
import static io.deliverymetrics.loadgen.generator.RecordEncoder.EVENT_NAME;
import static io.deliverymetrics.loadgen.generator.RecordEncoder.EVENT_TYPE;
import static io.deliverymetrics.loadgen.generator.RecordEncoder.OUTCOME;
import static io.deliverymetrics.loadgen.generator.RecordEncoder.RECEIVED_AT;
import static io.deliverymetrics.loadgen.generator.RecordEncoder.SOURCE_ID;
import static io.deliverymetrics.loadgen.generator.RecordEncoder.WORKSPACE_ID;

import io.deliverymetrics.loadgen.model.Attempt;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.model.Kind;
import io.deliverymetrics.loadgen.model.Malformation;
import io.deliverymetrics.loadgen.model.Outcome;
import io.deliverymetrics.loadgen.model.Pair;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds records that each break the contract in one known way, starting from a plausible delivered
 * attempt so that only the deliberate defect makes them invalid.
 */
final class MalformedRecords {

    private static final Malformation[] KINDS = Malformation.values();
    private static final String[] REQUIRED_WITHOUT_ERROR_CODE = {
        WORKSPACE_ID,
        SOURCE_ID,
        DESTINATION_ID,
        EVENT_ID,
        ATTEMPT,
        OUTCOME,
        RECEIVED_AT,
        COMPLETED_AT
    };
    private static final String[] ID_FIELDS = {WORKSPACE_ID, SOURCE_ID, DESTINATION_ID, EVENT_ID};
    private static final String[] ILLEGAL_SUFFIXES = {" x", "!", "/x", "é", "\"q", "\n", "#1", "$"};
    private static final String[] UNKNOWN_OUTCOMES = {
        "succeeded", "bounced", "pending", "", "delivered_ok", "unknown"
    };
    private static final String[] INVALID_DESTINATION_TYPES = {
        "Braze", "Google Ads", "google.analytics", "-webhook", "SALESFORCE", "s3 "
    };
    private static final String[] INVALID_EVENT_TYPES = {"Track", "page view", "", "IDENTIFY"};
    private static final String[] CONTROL_CHARACTERS = {"\u0000", "\t", "\n", "\u007f", "\u0085"};
    private static final String[] LONE_SURROGATE_ESCAPES = {
        "\\ud800", "\\udbff", "\\udc00", "\\udfff"
    };
    private static final String ID_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-";

    private final PairCatalog catalog;
    private final RecordEncoder encoder;
    private final long seed;
    private long count;

    MalformedRecords(PairCatalog catalog, RecordEncoder encoder, long seed) {
        this.catalog = catalog;
        this.encoder = encoder;
        this.seed = seed;
    }

    GeneratedRecord next(long emitSeq, long clockMs, SplittableRandom rng) {
        Malformation kind = KINDS[rng.nextInt(KINDS.length)];
        Pair pair = catalog.pairAt(catalog.sampleRank(rng));
        long received = clockMs - 50 - rng.nextInt(2_000);
        long completed = received + 1 + rng.nextInt(40);
        EventContent.Event event = EventContent.event(catalog.destinationOf(pair), rng);
        Attempt base =
                new Attempt(
                        pair,
                        Ids.eventId(seed, Ids.MALFORMED_BIT | count++),
                        1,
                        Outcome.DELIVERED,
                        null,
                        received,
                        completed,
                        event.destinationType(),
                        event.eventType(),
                        event.eventName(),
                        null);
        Map<String, Object> f = encoder.fields(base);
        byte[] value =
                switch (kind) {
                    case NOT_JSON -> notJson(base, rng);
                    case TRUNCATED_JSON -> {
                        byte[] full = encoder.encode(f);
                        yield Arrays.copyOf(full, 1 + rng.nextInt(full.length - 1));
                    }
                    case JSON_ARRAY -> {
                        byte[] full = encoder.encode(f);
                        byte[] array = new byte[full.length + 2];
                        array[0] = '[';
                        System.arraycopy(full, 0, array, 1, full.length);
                        array[array.length - 1] = ']';
                        yield array;
                    }
                    case MISSING_FIELD -> {
                        f.remove(pickOf(REQUIRED_WITHOUT_ERROR_CODE, rng));
                        yield encoder.encode(f);
                    }
                    case UNKNOWN_OUTCOME -> {
                        f.put(OUTCOME, pickOf(UNKNOWN_OUTCOMES, rng));
                        yield encoder.encode(f);
                    }
                    case ATTEMPT_ZERO -> {
                        f.put(ATTEMPT, 0);
                        yield encoder.encode(f);
                    }
                    case COMPLETED_BEFORE_RECEIVED -> {
                        f.put(COMPLETED_AT, encoder.iso(received - 1 - rng.nextInt(5_000)));
                        yield encoder.encode(f);
                    }
                    case ILLEGAL_ID_CHARACTERS -> {
                        String field = pickOf(ID_FIELDS, rng);
                        f.put(field, f.get(field) + pickOf(ILLEGAL_SUFFIXES, rng));
                        yield encoder.encode(f);
                    }
                    case ID_TOO_LONG -> {
                        String field = pickOf(ID_FIELDS, rng);
                        f.put(field, tooLong((String) f.get(field), rng));
                        yield encoder.encode(f);
                    }
                    case INVALID_DESTINATION_TYPE -> {
                        f.put(DESTINATION_TYPE, pickOf(INVALID_DESTINATION_TYPES, rng));
                        yield encoder.encode(f);
                    }
                    case INVALID_EVENT_TYPE -> {
                        f.put(EVENT_TYPE, pickOf(INVALID_EVENT_TYPES, rng));
                        yield encoder.encode(f);
                    }
                    case CONTROL_CHARACTER_IN_EVENT_NAME -> {
                        String name = pickOf(EventContent.EVENT_NAMES, rng);
                        int at = 1 + rng.nextInt(name.indexOf(' ') > 0 ? name.indexOf(' ') : 1);
                        f.put(
                                EVENT_NAME,
                                name.substring(0, at)
                                        + pickOf(CONTROL_CHARACTERS, rng)
                                        + name.substring(at));
                        yield encoder.encode(f);
                    }
                    case EVENT_NAME_TOO_LONG -> {
                        f.put(EVENT_NAME, tooLongName(rng));
                        yield encoder.encode(f);
                    }
                    case LONE_SURROGATE_IN_ERROR_MESSAGE -> {
                        // No JSON writer writes a lone surrogate: append the field as text.
                        f.remove(ERROR_MESSAGE);
                        byte[] json = encoder.encode(f);
                        String field =
                                ",\"error_message\":\"upstream error "
                                        + pickOf(LONE_SURROGATE_ESCAPES, rng)
                                        + " in response\"}";
                        byte[] tail = field.getBytes(StandardCharsets.UTF_8);
                        byte[] out = Arrays.copyOf(json, json.length - 1 + tail.length);
                        System.arraycopy(tail, 0, out, json.length - 1, tail.length);
                        yield out;
                    }
                    case OVERSIZED -> {
                        char[] pad =
                                new char[Malformation.MAX_RECORD_BYTES + 1 + rng.nextInt(4096)];
                        Arrays.fill(pad, 'x');
                        f.put("debug_payload", new String(pad));
                        yield encoder.encode(f);
                    }
                };
        String key =
                String.valueOf(f.getOrDefault(WORKSPACE_ID, pair.workspaceId()))
                        + '/'
                        + f.getOrDefault(SOURCE_ID, pair.sourceId())
                        + '/'
                        + f.getOrDefault(DESTINATION_ID, pair.destinationId());
        return new GeneratedRecord(key, value, Kind.MALFORMED, emitSeq, clockMs, null, kind);
    }

    private static byte[] notJson(Attempt base, SplittableRandom rng) {
        return switch (rng.nextInt(3)) {
            case 0 ->
                    ("delivered "
                                    + base.eventId()
                                    + " attempt=1 destination="
                                    + base.pair().destinationId())
                            .getBytes(StandardCharsets.UTF_8);
            case 1 ->
                    "<html><head><title>502 Bad Gateway</title></head></html>"
                            .getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] garbage = new byte[16 + rng.nextInt(64)];
                for (int i = 0; i < garbage.length; i++) {
                    // no zero bytes: they would make a parser guess UTF-16 or UTF-32
                    garbage[i] = (byte) (1 + rng.nextInt(255));
                }
                garbage[0] = (byte) (1 + rng.nextInt(8)); // a control byte never starts JSON text
                yield garbage;
            }
        };
    }

    /** 129 to 160 code points of event names run together, emoji among them. */
    private static String tooLongName(SplittableRandom rng) {
        int length = 129 + rng.nextInt(32);
        StringBuilder sb = new StringBuilder();
        int codePoints = 0;
        while (codePoints < length) {
            String piece =
                    rng.nextInt(4) == 0 ? "\uD83D\uDED2" : pickOf(EventContent.EVENT_NAMES, rng);
            int n = piece.codePointCount(0, piece.length());
            int take = Math.min(n, length - codePoints);
            sb.append(piece, 0, piece.offsetByCodePoints(0, take));
            codePoints += take;
        }
        return sb.toString();
    }

    private static String tooLong(String id, SplittableRandom rng) {
        int length = 65 + rng.nextInt(40);
        StringBuilder sb = new StringBuilder(length).append(id).append('_');
        while (sb.length() < length) {
            sb.append(ID_CHARS.charAt(rng.nextInt(ID_CHARS.length())));
        }
        return sb.toString();
    }

    private static String pickOf(String[] options, SplittableRandom rng) {
        return options[rng.nextInt(options.length)];
    }
}
