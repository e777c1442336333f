package io.deliverymetrics.core.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Strict parser from the JSON contract of the {@code delivery-attempts} topic to {@link
 * DeliveryAttempt}.
 *
 * <p>It never throws for bad input: every problem becomes a {@link ParseResult.Rejected} with a
 * machine-readable reason. Unknown fields are ignored (producers may add fields), values nested in
 * them included; a field that appears twice at the top level is refused because its meaning is
 * ambiguous. Instances are immutable and thread-safe.
 *
 * <p>The optional fields: {@code destination_type} and {@code event_type} are lower-case slugs
 * ({@link DeliveryAttempt#UNKNOWN_TYPE} when absent or null); {@code event_name} is 1 to {@value
 * #MAX_EVENT_NAME_CODE_POINTS} code points without control characters or lone surrogates; {@code
 * error_message} is any text without lone surrogates, cut to {@value
 * #MAX_ERROR_MESSAGE_CODE_POINTS} code points ending in {@link #TRUNCATION_MARKER} when longer.
 */
public final class AttemptParser implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Default limit on the raw record size. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024;

    /** Ids and error codes: non-empty, at most 64 characters of a conservative alphabet. */
    public static final int MAX_ID_LENGTH = 64;

    /** Destination and event types: {@code [a-z0-9][a-z0-9_-]{0,63}}. */
    public static final int MAX_SLUG_LENGTH = 64;

    /** Longest event name, in Unicode code points (a surrogate pair is one). */
    public static final int MAX_EVENT_NAME_CODE_POINTS = 128;

    /** Longest error message kept, in code points, truncation marker included. */
    public static final int MAX_ERROR_MESSAGE_CODE_POINTS = 1024;

    /** Ends an error message that was cut to {@link #MAX_ERROR_MESSAGE_CODE_POINTS}. */
    public static final String TRUNCATION_MARKER = "…[truncated]";

    /** Code points of an error message kept before the marker when it is truncated. */
    private static final int TRUNCATED_PREFIX_CODE_POINTS =
            MAX_ERROR_MESSAGE_CODE_POINTS
                    - TRUNCATION_MARKER.codePointCount(0, TRUNCATION_MARKER.length());

    /** Highest attempt number accepted; anything above is a producer bug, not a real retry. */
    public static final int MAX_ATTEMPT = 1_000_000;

    /** Timestamps must fall in [2000-01-01, 2100-01-01). */
    public static final Instant MIN_TIMESTAMP = Instant.parse("2000-01-01T00:00:00Z");

    public static final Instant MAX_TIMESTAMP = Instant.parse("2100-01-01T00:00:00Z");

    /**
     * Longest accepted receipt-to-completion latency; longer means a broken clock or field mix-up.
     */
    public static final Duration MAX_LATENCY = Duration.ofDays(31);

    private static final long MAX_LATENCY_SECONDS = MAX_LATENCY.getSeconds();

    private static final int MAX_DETAIL_ECHO = 40;

    private static final JsonFactory JSON =
            // No STRICT_DUPLICATE_DETECTION: it keeps a hash set of every name of every record,
            // about a sixth of the parse; Fields detects duplicates with a bit per known field.
            JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder()
                                    .maxNestingDepth(16)
                                    .maxStringLength(DEFAULT_MAX_RECORD_BYTES)
                                    .maxNumberLength(32)
                                    .build())
                    .build();

    private final int maxRecordBytes;

    public AttemptParser() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    public AttemptParser(int maxRecordBytes) {
        if (maxRecordBytes < 256) {
            throw new IllegalArgumentException(
                    "maxRecordBytes must be at least 256, was " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** Parses one raw record (the Kafka message value, UTF-8 JSON). */
    public ParseResult parse(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return reject(RejectReason.EMPTY, null, "record is empty");
        }
        if (raw.length > maxRecordBytes) {
            return reject(
                    RejectReason.TOO_LARGE,
                    null,
                    "record is " + raw.length + " bytes, limit is " + maxRecordBytes);
        }
        DeliveryAttempt common = FlatRecordReader.read(raw);
        if (common != null) {
            return new ParseResult.Valid(common);
        }
        return parseGeneral(raw);
    }

    /**
     * The general path with Jackson, for every record the {@link FlatRecordReader} leaves to it; it
     * alone decides rejections. Size limits are checked by the caller.
     */
    ParseResult parseGeneral(byte[] raw) {
        try (JsonParser p = JSON.createParser(raw)) {
            return parseObject(p);
        } catch (JsonParseException e) {
            return reject(RejectReason.MALFORMED_JSON, null, firstLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            // Jackson signals constraint violations and number overflows with runtime exceptions.
            return reject(RejectReason.MALFORMED_JSON, null, firstLine(e.getMessage()));
        }
    }

    private ParseResult parseObject(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return reject(RejectReason.NOT_AN_OBJECT, null, "top-level value is not a JSON object");
        }
        Fields f = new Fields();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!f.firstTime(name)) {
                return reject(
                        RejectReason.DUPLICATE_FIELD,
                        name,
                        "field '" + echo(name) + "' appears more than once");
            }
            JsonToken v = p.nextToken();
            ParseResult problem = f.read(name, v, p);
            if (problem != null) {
                return problem;
            }
        }
        if (t != JsonToken.END_OBJECT) {
            return reject(RejectReason.MALFORMED_JSON, null, "object not closed");
        }
        if (p.nextToken() != null) {
            return reject(RejectReason.MALFORMED_JSON, null, "trailing content after the object");
        }
        return f.validate();
    }

    /** Mutable scratch space for one record's fields. */
    private static final class Fields {
        /** One bit per field of the contract already seen. */
        private int seen;

        /** Names of unknown fields already seen; most records have none. */
        private Set<String> others;

        String workspaceId;
        String sourceId;
        String destinationId;
        String eventId;
        Integer attempt;
        String outcome;
        String errorCode;
        Instant receivedAt;
        Instant completedAt;
        String destinationType;
        String eventType;
        String eventName;
        String errorMessage;
        boolean errorMessageTruncated;

        /** Records that {@code name} was seen; false if it had been seen before. */
        boolean firstTime(String name) {
            int bit =
                    switch (name) {
                        case "workspace_id" -> 1;
                        case "source_id" -> 1 << 1;
                        case "destination_id" -> 1 << 2;
                        case "event_id" -> 1 << 3;
                        case "attempt" -> 1 << 4;
                        case "outcome" -> 1 << 5;
                        case "error_code" -> 1 << 6;
                        case "received_at" -> 1 << 7;
                        case "completed_at" -> 1 << 8;
                        case "destination_type" -> 1 << 9;
                        case "event_type" -> 1 << 10;
                        case "event_name" -> 1 << 11;
                        case "error_message" -> 1 << 12;
                        default -> 0;
                    };
            if (bit == 0) {
                if (others == null) {
                    others = new HashSet<>();
                }
                return others.add(name);
            }
            boolean first = (seen & bit) == 0;
            seen |= bit;
            return first;
        }

        ParseResult read(String name, JsonToken v, JsonParser p) throws IOException {
            switch (name) {
                case "workspace_id" -> workspaceId = text(p, v);
                case "source_id" -> sourceId = text(p, v);
                case "destination_id" -> destinationId = text(p, v);
                case "event_id" -> eventId = text(p, v);
                case "outcome" -> outcome = text(p, v);
                case "error_code" -> {
                    if (v == JsonToken.VALUE_NULL) {
                        errorCode = null;
                    } else if (v == JsonToken.VALUE_STRING) {
                        errorCode = p.getText();
                        if (!isErrorCode(errorCode)) {
                            return reject(
                                    RejectReason.INVALID_ERROR_CODE,
                                    name,
                                    "must match [A-Za-z0-9_.:/-]{1,64}, was " + echo(errorCode));
                        }
                    } else {
                        return wrongType(name, "a string or null");
                    }
                }
                case "destination_type", "event_type", "event_name", "error_message" -> {
                    return optional(name, v, p);
                }
                case "attempt" -> {
                    if (v != JsonToken.VALUE_NUMBER_INT) {
                        return wrongType(name, "an integer");
                    }
                    if (p.getNumberType() != JsonParser.NumberType.INT
                            || p.getIntValue() < 1
                            || p.getIntValue() > MAX_ATTEMPT) {
                        return reject(
                                RejectReason.INVALID_ATTEMPT,
                                name,
                                "must be between 1 and " + MAX_ATTEMPT + ", was " + p.getText());
                    }
                    attempt = p.getIntValue();
                }
                case "received_at", "completed_at" -> {
                    Object ts = timestamp(p, v);
                    if (ts instanceof ParseResult r) {
                        return withField(r, name);
                    }
                    if (name.equals("received_at")) {
                        receivedAt = (Instant) ts;
                    } else {
                        completedAt = (Instant) ts;
                    }
                }
                default -> p.skipChildren();
            }
            if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL && isTextField(name)) {
                return wrongType(name, "a string");
            }
            return null;
        }

        /** Reads one of the optional fields: null, or a string by its rule. */
        private ParseResult optional(String name, JsonToken v, JsonParser p) throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return null;
            }
            if (v != JsonToken.VALUE_STRING) {
                return wrongType(name, "a string or null");
            }
            String text = p.getText();
            switch (name) {
                case "destination_type", "event_type" -> {
                    boolean event = name.equals("event_type");
                    if (!isSlug(text)) {
                        return reject(
                                event
                                        ? RejectReason.INVALID_EVENT_TYPE
                                        : RejectReason.INVALID_DESTINATION_TYPE,
                                name,
                                "must match [a-z0-9][a-z0-9_-]{0,63}, was " + echo(text));
                    }
                    if (event) {
                        eventType = text;
                    } else {
                        destinationType = text;
                    }
                }
                case "event_name" -> {
                    String problem = eventNameProblem(text);
                    if (problem != null) {
                        return reject(RejectReason.INVALID_EVENT_NAME, name, problem);
                    }
                    eventName = text;
                }
                default -> {
                    String problem = loneSurrogate(text);
                    if (problem != null) {
                        return reject(RejectReason.INVALID_ERROR_MESSAGE, name, problem);
                    }
                    errorMessage = truncateErrorMessage(text);
                    errorMessageTruncated = errorMessage.length() != text.length();
                }
            }
            return null;
        }

        ParseResult validate() {
            ParseResult r;
            if ((r = id("workspace_id", workspaceId)) != null
                    || (r = id("source_id", sourceId)) != null
                    || (r = id("destination_id", destinationId)) != null
                    || (r = id("event_id", eventId)) != null) {
                return r;
            }
            if (attempt == null) {
                return missing("attempt");
            }
            if (outcome == null) {
                return missing("outcome");
            }
            Outcome o = Outcome.fromWireName(outcome).orElse(null);
            if (o == null) {
                return reject(
                        RejectReason.UNKNOWN_OUTCOME,
                        "outcome",
                        "must be one of delivered, retrying, discarded, expired, filtered; was "
                                + echo(outcome));
            }
            if (receivedAt == null) {
                return missing("received_at");
            }
            if (completedAt == null) {
                return missing("completed_at");
            }
            if (completedAt.isBefore(receivedAt)) {
                return reject(
                        RejectReason.COMPLETED_BEFORE_RECEIVED,
                        "completed_at",
                        "completed_at " + completedAt + " is before received_at " + receivedAt);
            }
            if (!latencyInRange(receivedAt, completedAt)) {
                return reject(
                        RejectReason.LATENCY_OUT_OF_RANGE,
                        "completed_at",
                        "completed_at is more than "
                                + MAX_LATENCY.toDays()
                                + " days after received_at");
            }
            return new ParseResult.Valid(
                    new DeliveryAttempt(
                            workspaceId,
                            sourceId,
                            destinationId,
                            eventId,
                            attempt,
                            o,
                            errorCode,
                            receivedAt,
                            completedAt,
                            destinationType == null
                                    ? DeliveryAttempt.UNKNOWN_TYPE
                                    : destinationType,
                            eventType == null ? DeliveryAttempt.UNKNOWN_TYPE : eventType,
                            eventName,
                            errorMessage),
                    errorMessageTruncated);
        }

        private static boolean isTextField(String name) {
            return switch (name) {
                case "workspace_id", "source_id", "destination_id", "event_id", "outcome" -> true;
                default -> false;
            };
        }

        private static String text(JsonParser p, JsonToken v) throws IOException {
            return v == JsonToken.VALUE_STRING ? p.getText() : null;
        }

        private static ParseResult id(String field, String value) {
            if (value == null) {
                return missing(field);
            }
            if (!isId(value)) {
                return reject(
                        RejectReason.INVALID_ID,
                        field,
                        "must be 1 to "
                                + MAX_ID_LENGTH
                                + " characters of [A-Za-z0-9_.:-], was "
                                + echo(value));
            }
            if ((field.equals("source_id") || field.equals("destination_id"))
                    && value.equals(PairKey.OVERFLOW_ID)) {
                return reject(
                        RejectReason.INVALID_ID,
                        field,
                        PairKey.OVERFLOW_ID + " is reserved: it names a workspace's overflow pair");
            }
            return null;
        }
    }

    /** Returns an {@link Instant} or a {@link ParseResult.Rejected} (field filled in by caller). */
    private static Object timestamp(JsonParser p, JsonToken v) throws IOException {
        Instant ts;
        if (v == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return reject(
                        RejectReason.TIMESTAMP_OUT_OF_RANGE, null, "epoch millis out of range");
            }
            ts = Instant.ofEpochMilli(p.getLongValue());
        } else if (v == JsonToken.VALUE_STRING) {
            String s = p.getText();
            ts = IsoInstants.parse(s);
            if (ts == null) {
                return reject(
                        RejectReason.INVALID_TIMESTAMP,
                        null,
                        "must be ISO-8601 with an offset (e.g. 2026-11-26T04:00:01.456Z) or epoch"
                                + " milliseconds, was "
                                + echo(s));
            }
        } else {
            return reject(
                    RejectReason.WRONG_TYPE,
                    null,
                    "must be an ISO-8601 string or epoch milliseconds");
        }
        if (!inRange(ts)) {
            return reject(
                    RejectReason.TIMESTAMP_OUT_OF_RANGE,
                    null,
                    "must be in [" + MIN_TIMESTAMP + ", " + MAX_TIMESTAMP + "), was " + ts);
        }
        return ts;
    }

    /** Whether {@code t} is in [{@link #MIN_TIMESTAMP}, {@link #MAX_TIMESTAMP}). */
    static boolean inRange(Instant t) {
        return !t.isBefore(MIN_TIMESTAMP) && t.isBefore(MAX_TIMESTAMP);
    }

    /**
     * Whether {@code completed} is at most {@link #MAX_LATENCY} after {@code received}: {@code
     * Duration.between(received, completed).compareTo(MAX_LATENCY) <= 0}, in seconds and nanos
     * without the Duration, which every record paid for.
     */
    static boolean latencyInRange(Instant received, Instant completed) {
        long seconds = completed.getEpochSecond() - received.getEpochSecond();
        int nanos = completed.getNano() - received.getNano();
        if (nanos < 0) {
            seconds--;
            nanos += 1_000_000_000;
        }
        return seconds < MAX_LATENCY_SECONDS || (seconds == MAX_LATENCY_SECONDS && nanos == 0);
    }

    /** {@code [A-Za-z0-9_.:-]{1,64}}, without a regex: this runs several times per record. */
    static boolean isId(String s) {
        return matches(s, false);
    }

    /** Whether {@code s} is a valid {@code error_code}: {@code [A-Za-z0-9_.:/-]{1,64}}. */
    public static boolean isErrorCode(String s) {
        return matches(s, true);
    }

    /** What {@link #isSlug} accepts, in words. */
    public static final String SLUG_RULE =
            "must be a lower-case slug: a letter or digit, then up to 63 of [a-z0-9_-]";

    /** Whether {@code s} is a destination or event type: {@code [a-z0-9][a-z0-9_-]{0,63}}. */
    public static boolean isSlug(String s) {
        int n = s.length();
        if (n < 1 || n > MAX_SLUG_LENGTH || !isSlugChar(s.charAt(0), true)) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            if (!isSlugChar(s.charAt(i), false)) {
                return false;
            }
        }
        return true;
    }

    /** {@code [a-z0-9]}, and also {@code _} and {@code -} unless {@code first}. */
    static boolean isSlugChar(int c, boolean first) {
        return (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || (!first && (c == '_' || c == '-'));
    }

    /**
     * Why {@code s} is not a valid event name (empty, a lone surrogate, a control character, more
     * than {@link #MAX_EVENT_NAME_CODE_POINTS} code points), or {@code null} when it is one.
     */
    static String eventNameProblem(String s) {
        if (s.isEmpty()) {
            return "must not be empty";
        }
        String lone = loneSurrogate(s);
        if (lone != null) {
            return lone;
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (isControl(c)) {
                return "control character " + hex(c) + " at index " + i;
            }
        }
        int codePoints = s.codePointCount(0, n);
        if (codePoints > MAX_EVENT_NAME_CODE_POINTS) {
            return "has "
                    + codePoints
                    + " code points, limit is "
                    + MAX_EVENT_NAME_CODE_POINTS
                    + ": "
                    + echo(s);
        }
        return null;
    }

    /** C0 and C1 control characters and DEL: U+0000–U+001F and U+007F–U+009F. */
    static boolean isControl(int c) {
        return c <= 0x1f || (c >= 0x7f && c <= 0x9f);
    }

    /**
     * Where {@code s} has a lone surrogate, e.g. {@code lone surrogate U+D800 at index 3}, or null.
     */
    private static String loneSurrogate(String s) {
        int lone = loneSurrogateAt(s);
        return lone < 0 ? null : "lone surrogate " + hex(s.charAt(lone)) + " at index " + lone;
    }

    /** Index of the first surrogate that is not part of a pair, or -1. */
    static int loneSurrogateAt(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code s} itself when it has at most {@link #MAX_ERROR_MESSAGE_CODE_POINTS} code points, else
     * its longest prefix that leaves room for {@link #TRUNCATION_MARKER} followed by the marker:
     * exactly the limit in code points, no surrogate pair split.
     */
    static String truncateErrorMessage(String s) {
        int n = s.length();
        // A string of at most the limit in chars has at most the limit in code points.
        if (n <= MAX_ERROR_MESSAGE_CODE_POINTS
                || s.codePointCount(0, n) <= MAX_ERROR_MESSAGE_CODE_POINTS) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, TRUNCATED_PREFIX_CODE_POINTS))
                + TRUNCATION_MARKER;
    }

    private static String hex(char c) {
        return String.format("U+%04X", (int) c);
    }

    /** Characters of ids ({@code [A-Za-z0-9_.:-]}), indexed by char; error codes add '/'. */
    private static final boolean[] ID_CHARS = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            ID_CHARS[c] = true;
            ID_CHARS[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            ID_CHARS[c] = true;
        }
        for (char c : new char[] {'_', '.', ':', '-'}) {
            ID_CHARS[c] = true;
        }
    }

    private static boolean matches(String s, boolean slashAllowed) {
        int n = s.length();
        if (n < 1 || n > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= ID_CHARS.length || !(ID_CHARS[c] || (slashAllowed && c == '/'))) {
                return false;
            }
        }
        return true;
    }

    private static ParseResult withField(ParseResult r, String field) {
        ParseResult.Rejected rej = (ParseResult.Rejected) r;
        return new ParseResult.Rejected(rej.reason(), field, rej.detail());
    }

    private static ParseResult missing(String field) {
        return reject(RejectReason.MISSING_FIELD, field, "required field is missing or null");
    }

    private static ParseResult wrongType(String field, String expected) {
        return reject(RejectReason.WRONG_TYPE, field, "must be " + expected);
    }

    private static ParseResult.Rejected reject(RejectReason reason, String field, String detail) {
        return new ParseResult.Rejected(reason, field, detail);
    }

    /**
     * The first {@link #MAX_DETAIL_ECHO} code points of {@code s} in quotes, control characters and
     * lone surrogates shown as {@code ?}, never a surrogate pair split.
     */
    private static String echo(String s) {
        StringBuilder sb = new StringBuilder(MAX_DETAIL_ECHO + 3).append('"');
        int n = s.length();
        int shown = 0;
        for (int i = 0; i < n; shown++) {
            if (shown == MAX_DETAIL_ECHO) {
                sb.append('…');
                break;
            }
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            sb.appendCodePoint(isControl(cp) || (cp >= 0xd800 && cp <= 0xdfff) ? '?' : cp);
        }
        return sb.append('"').toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable JSON";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
