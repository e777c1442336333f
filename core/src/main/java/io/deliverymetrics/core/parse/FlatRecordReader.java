package io.deliverymetrics.core.parse;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The common case of {@link AttemptParser} read straight from the bytes, without a JSON library:
 * one flat object whose strings are printable ASCII without escapes, every contract field valid.
 *
 * <p>It only ever accepts: {@link #read} returns the attempt, or {@code null} for anything else
 * (escapes, non-ASCII bytes, nested or unusual values, a duplicate, a missing or invalid field,
 * malformed JSON), and the general Jackson path then decides, every rejection and its reason
 * included. Whatever it accepts, the general path accepts with an equal attempt ({@code
 * FlatRecordReaderTest} checks this differentially on valid, edited and random records); it exists
 * because Jackson's parser set-up, symbol table and char buffers were half the cost of reading a
 * record.
 *
 * <p>The optional fields follow the general path's rules within that common case: a type is {@code
 * null} or a slug, an event name {@code null} or 1 to {@value
 * AttemptParser#MAX_EVENT_NAME_CODE_POINTS} such characters, an error message {@code null} or at
 * most {@value AttemptParser#MAX_ERROR_MESSAGE_CODE_POINTS} of them (a longer one is truncated by
 * the general path, which alone reports truncation).
 *
 * <p>Unknown fields with scalar values (strings as above, plain numbers, {@code true}, {@code
 * false}, {@code null}) are skipped, up to {@value #MAX_UNKNOWN_FIELDS} of them; more, or a nested
 * value, goes to the general path.
 */
final class FlatRecordReader {

    private FlatRecordReader() {}

    static final int MAX_UNKNOWN_FIELDS = 4;

    /** Longest skipped string or number; longer ones go to the general path and its limits. */
    private static final int MAX_SKIPPED_LENGTH = 1_000;

    private static final int WORKSPACE = 0;
    private static final int SOURCE = 1;
    private static final int DESTINATION = 2;
    private static final int EVENT = 3;
    private static final int ATTEMPT = 4;
    private static final int OUTCOME = 5;
    private static final int ERROR_CODE = 6;
    private static final int RECEIVED = 7;
    private static final int COMPLETED = 8;
    private static final int DESTINATION_TYPE = 9;
    private static final int EVENT_TYPE = 10;
    private static final int EVENT_NAME = 11;
    private static final int ERROR_MESSAGE = 12;
    private static final int UNKNOWN = -1;

    private static final byte[][] NAMES = {
        ascii("workspace_id"),
        ascii("source_id"),
        ascii("destination_id"),
        ascii("event_id"),
        ascii("attempt"),
        ascii("outcome"),
        ascii("error_code"),
        ascii("received_at"),
        ascii("completed_at"),
        ascii("destination_type"),
        ascii("event_type"),
        ascii("event_name"),
        ascii("error_message")
    };

    /**
     * {@code "name":} of each field, in the order of {@link #NAMES}: the order producers, {@code
     * AttemptWriter} included, write them in, which {@link Cursor#inOrder} tries first.
     */
    private static final byte[][] QUOTED_NAMES = new byte[NAMES.length][];

    static {
        for (int f = 0; f < NAMES.length; f++) {
            QUOTED_NAMES[f] = ascii('"' + new String(NAMES[f], StandardCharsets.US_ASCII) + "\":");
        }
    }

    private static final int REQUIRED =
            (1 << WORKSPACE)
                    | (1 << SOURCE)
                    | (1 << DESTINATION)
                    | (1 << EVENT)
                    | (1 << ATTEMPT)
                    | (1 << OUTCOME)
                    | (1 << RECEIVED)
                    | (1 << COMPLETED);

    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final byte[][] OUTCOME_NAMES = new byte[OUTCOMES.length][];

    static {
        for (Outcome o : OUTCOMES) {
            OUTCOME_NAMES[o.ordinal()] = ascii(o.wireName());
        }
    }

    /** Id bytes ({@code [A-Za-z0-9_.:-]}) are 1, the extra error-code byte '/' is 2. */
    private static final byte[] ID_BYTES = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            if (AttemptParser.isId(String.valueOf(c))) {
                ID_BYTES[c] = 1;
            } else if (AttemptParser.isErrorCode(String.valueOf(c))) {
                ID_BYTES[c] = 2;
            }
        }
    }

    /** Bytes of destination and event types: 1 anywhere, 2 anywhere but first. */
    private static final byte[] SLUG_BYTES = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            if (AttemptParser.isSlugChar(c, true)) {
                SLUG_BYTES[c] = 1;
            } else if (AttemptParser.isSlugChar(c, false)) {
                SLUG_BYTES[c] = 2;
            }
        }
    }

    /**
     * Recently read workspace, source, destination and error-code ids, types and event names by
     * hash: a stream repeats the same few thousand, and one instance each spares the allocation
     * and, because a String caches its hash, the hashing of every pair key built from them. Slots
     * are written without locks by every reading thread; a reader sees either null or a complete
     * String (its fields are final), and checks the bytes before it uses one.
     */
    private static final CachedId[] ID_CACHE = new CachedId[1 << 13];

    /** An id of {@link #ID_CACHE} with its bytes, to compare without decoding; immutable. */
    private record CachedId(String id, byte[] bytes) {}

    /** The attempt {@code b} holds, or {@code null} when the general path must decide. */
    static DeliveryAttempt read(byte[] b) {
        return new Cursor(b).record();
    }

    /** Reading state of one record. */
    private static final class Cursor {
        private final byte[] b;
        private int i;

        /** Unknown field names seen so far, as offsets and lengths into {@code b}. */
        private int[] unknownNames;

        private int unknownCount;

        String workspaceId;
        String sourceId;
        String destinationId;
        String eventId;
        int attempt;
        Outcome outcome;
        String errorCode;
        Instant receivedAt;
        Instant completedAt;
        String destinationType = DeliveryAttempt.UNKNOWN_TYPE;
        String eventType = DeliveryAttempt.UNKNOWN_TYPE;
        String eventName;
        String errorMessage;

        Cursor(byte[] b) {
            this.b = b;
        }

        DeliveryAttempt record() {
            skipWhitespace();
            if (!take('{')) {
                return null;
            }
            int seen = 0;
            int next = 0;
            do {
                skipWhitespace();
                int field = next < QUOTED_NAMES.length && inOrder(next) ? next : name();
                if (field == UNKNOWN) {
                    if (!skipScalar()) {
                        return null;
                    }
                } else {
                    if (field < UNKNOWN || (seen & (1 << field)) != 0 || !value(field)) {
                        return null;
                    }
                    seen |= 1 << field;
                    next = field + 1;
                }
                skipWhitespace();
            } while (take(','));
            if (!take('}')) {
                return null;
            }
            skipWhitespace();
            if (i != b.length || (seen & REQUIRED) != REQUIRED) {
                return null;
            }
            return attempt();
        }

        /**
         * Reads {@code "name":} and returns the field's index, {@link #UNKNOWN} for a new unknown
         * name, or a value below it for anything else.
         */
        private int name() {
            int start = i + 1;
            int end = plainString();
            if (end < 0) {
                return UNKNOWN - 1;
            }
            skipWhitespace();
            if (!take(':')) {
                return UNKNOWN - 1;
            }
            skipWhitespace();
            int len = end - start;
            int f = knownField(start, len);
            if (f != UNKNOWN) {
                return f;
            }
            return newUnknownName(start, len) ? UNKNOWN : UNKNOWN - 1;
        }

        /**
         * Reads {@code "name":} of field {@code f} written exactly so, and the whitespace after it,
         * as {@link #name} would; false, with nothing read, for anything else, {@link #name} then
         * decides. A name is printable ASCII without quotes or escapes, so {@link #name} would end
         * the string at the same quote and single out the same field.
         */
        private boolean inOrder(int f) {
            byte[] quoted = QUOTED_NAMES[f];
            int end = i + quoted.length;
            if (end > b.length || !Arrays.equals(b, i, end, quoted, 0, quoted.length)) {
                return false;
            }
            i += quoted.length;
            skipWhitespace();
            return true;
        }

        /** The contract field named by {@code b[start, start + len)}, else {@link #UNKNOWN}. */
        private int knownField(int start, int len) {
            // The length and first byte single out the one candidate; then compare it whole.
            int f =
                    switch (len) {
                        case 7 -> b[start] == 'a' ? ATTEMPT : OUTCOME;
                        case 8 -> EVENT;
                        case 9 -> SOURCE;
                        case 10 ->
                                b[start + 1] == 'r'
                                        ? ERROR_CODE
                                        : b[start + 6] == 't' ? EVENT_TYPE : EVENT_NAME;
                        case 11 -> RECEIVED;
                        case 12 -> b[start] == 'w' ? WORKSPACE : COMPLETED;
                        case 13 -> ERROR_MESSAGE;
                        case 14 -> DESTINATION;
                        case 16 -> DESTINATION_TYPE;
                        default -> UNKNOWN;
                    };
            return f != UNKNOWN && equalsAt(start, len, NAMES[f]) ? f : UNKNOWN;
        }

        private boolean newUnknownName(int start, int len) {
            if (unknownNames == null) {
                unknownNames = new int[2 * MAX_UNKNOWN_FIELDS];
            }
            for (int k = 0; k < unknownCount; k++) {
                int s = unknownNames[2 * k];
                int l = unknownNames[2 * k + 1];
                if (l == len && Arrays.equals(b, s, s + l, b, start, start + len)) {
                    return false;
                }
            }
            if (unknownCount == MAX_UNKNOWN_FIELDS) {
                return false;
            }
            unknownNames[2 * unknownCount] = start;
            unknownNames[2 * unknownCount + 1] = len;
            unknownCount++;
            return true;
        }

        private boolean value(int field) {
            switch (field) {
                case WORKSPACE -> {
                    workspaceId = id(false, true);
                    return workspaceId != null;
                }
                case SOURCE -> {
                    sourceId = id(false, true);
                    return sourceId != null;
                }
                case DESTINATION -> {
                    destinationId = id(false, true);
                    return destinationId != null;
                }
                case EVENT -> {
                    eventId = id(false, false);
                    return eventId != null;
                }
                case ERROR_CODE -> {
                    if (literal("null")) {
                        return true;
                    }
                    errorCode = id(true, true);
                    return errorCode != null;
                }
                case OUTCOME -> {
                    return outcome();
                }
                case DESTINATION_TYPE -> {
                    if (literal("null")) {
                        return true;
                    }
                    destinationType = slug();
                    return destinationType != null;
                }
                case EVENT_TYPE -> {
                    if (literal("null")) {
                        return true;
                    }
                    eventType = slug();
                    return eventType != null;
                }
                case EVENT_NAME -> {
                    if (literal("null")) {
                        return true;
                    }
                    eventName = text(1, AttemptParser.MAX_EVENT_NAME_CODE_POINTS, true);
                    return eventName != null;
                }
                case ERROR_MESSAGE -> {
                    if (literal("null")) {
                        return true;
                    }
                    errorMessage = text(0, AttemptParser.MAX_ERROR_MESSAGE_CODE_POINTS, false);
                    return errorMessage != null;
                }
                case ATTEMPT -> {
                    long n = plainNonNegativeInteger(7);
                    if (n < 1 || n > AttemptParser.MAX_ATTEMPT) {
                        return false;
                    }
                    attempt = (int) n;
                    return true;
                }
                case RECEIVED -> {
                    receivedAt = timestamp();
                    return receivedAt != null;
                }
                case COMPLETED -> {
                    completedAt = timestamp();
                    return completedAt != null;
                }
                default -> {
                    return false;
                }
            }
        }

        /**
         * A string of 1 to 64 id bytes (plus '/' for error codes), else {@code null}; {@code
         * shared} ids come from {@link #ID_CACHE} when they are there.
         */
        private String id(boolean slashAllowed, boolean shared) {
            int max = slashAllowed ? 2 : 1;
            return token(ID_BYTES, AttemptParser.MAX_ID_LENGTH, max, max, shared);
        }

        /** A string of 1 to 64 slug bytes, the first a letter or digit, else {@code null}. */
        private String slug() {
            return token(SLUG_BYTES, AttemptParser.MAX_SLUG_LENGTH, 2, 1, true);
        }

        /**
         * A string of 1 to {@code maxLength} bytes whose class in {@code classes} is from 1 to
         * {@code max} ({@code firstMax} for the first byte), else {@code null}.
         */
        private String token(byte[] classes, int maxLength, int max, int firstMax, boolean shared) {
            if (i >= b.length || b[i] != '"') {
                return null;
            }
            int start = i + 1;
            int limit = Math.min(b.length, start + maxLength + 1);
            int j = start;
            int hash = 0;
            while (j < limit) {
                byte c = b[j];
                if (c == '"') {
                    break;
                }
                if (c < 0 || classes[c] == 0 || classes[c] > (j == start ? firstMax : max)) {
                    return null;
                }
                hash = 31 * hash + c;
                j++;
            }
            if (j == start || j >= limit || b[j] != '"') {
                return null;
            }
            i = j + 1;
            if (!shared) {
                return new String(b, start, j - start, StandardCharsets.ISO_8859_1);
            }
            return shared(start, j, hash);
        }

        /**
         * A string of {@code min} to {@code max} printable ASCII characters without escapes (so as
         * many code points, none a control character), else {@code null}; {@code shared} ones come
         * from {@link #ID_CACHE}.
         */
        private String text(int min, int max, boolean shared) {
            int start = i + 1;
            int end = plainString();
            int len = end - start;
            if (end < 0 || len < min || len > max) {
                return null;
            }
            if (!shared) {
                return new String(b, start, len, StandardCharsets.ISO_8859_1);
            }
            int hash = 0;
            for (int k = start; k < end; k++) {
                hash = 31 * hash + b[k];
            }
            return shared(start, end, hash);
        }

        /**
         * The string of the ASCII bytes {@code b[start, end)}, whose {@code String.hashCode} is
         * {@code hash}, from {@link #ID_CACHE} when it is there.
         */
        private String shared(int start, int end, int hash) {
            // hash is String.hashCode of the id (Latin-1): it picks the slot.
            int slot = (hash ^ (hash >>> 13)) & (ID_CACHE.length - 1);
            CachedId cached = ID_CACHE[slot];
            if (cached != null
                    && Arrays.equals(cached.bytes(), 0, cached.bytes().length, b, start, end)) {
                return cached.id();
            }
            byte[] bytes = Arrays.copyOfRange(b, start, end);
            String id = new String(bytes, StandardCharsets.ISO_8859_1);
            ID_CACHE[slot] = new CachedId(id, bytes);
            return id;
        }

        private boolean outcome() {
            int start = i + 1;
            int end = plainString();
            if (end < 0) {
                return false;
            }
            for (int k = 0; k < OUTCOMES.length; k++) {
                if (equalsAt(start, end - start, OUTCOME_NAMES[k])) {
                    outcome = OUTCOMES[k];
                    return true;
                }
            }
            return false;
        }

        /** An ISO-8601 string or epoch milliseconds within the contract's range, else null. */
        private Instant timestamp() {
            Instant t;
            if (i < b.length && b[i] == '"') {
                int start = i + 1;
                int end = plainString();
                if (end < 0) {
                    return null;
                }
                t = IsoInstants.parseUtcFast(b, start, end - start);
                if (t == null) {
                    t =
                            IsoInstants.parseGeneral(
                                    new String(b, start, end - start, StandardCharsets.ISO_8859_1));
                }
            } else {
                long ms = plainNonNegativeInteger(15);
                t = ms < 0 ? null : Instant.ofEpochMilli(ms);
            }
            return t != null && AttemptParser.inRange(t) ? t : null;
        }

        /**
         * A JSON integer of at most {@code maxDigits} digits without sign or leading zero, followed
         * by a delimiter; -1 for anything else.
         */
        private long plainNonNegativeInteger(int maxDigits) {
            int start = i;
            long v = 0;
            while (i < b.length && b[i] >= '0' && b[i] <= '9' && i - start < maxDigits) {
                v = v * 10 + (b[i] - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || (b[start] == '0' && digits > 1) || !atDelimiter()) {
                return -1;
            }
            return v;
        }

        /** Skips an unknown field's value if it is a plain scalar. */
        private boolean skipScalar() {
            if (i >= b.length) {
                return false;
            }
            byte c = b[i];
            if (c == '"') {
                int start = i;
                return plainString() >= 0 && i - start <= MAX_SKIPPED_LENGTH;
            }
            if (c == 't') {
                return literal("true");
            }
            if (c == 'f') {
                return literal("false");
            }
            if (c == 'n') {
                return literal("null");
            }
            return skipNumber();
        }

        /** {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?} followed by a delimiter. */
        private boolean skipNumber() {
            int start = i;
            take('-');
            int intStart = i;
            int intDigits = digits();
            if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
                return false;
            }
            if (take('.') && digits() == 0) {
                return false;
            }
            if (take('e') || take('E')) {
                if (!take('+')) {
                    take('-');
                }
                if (digits() == 0) {
                    return false;
                }
            }
            return i - start <= 30 && atDelimiter();
        }

        private int digits() {
            int start = i;
            while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            return i - start;
        }

        /** Reads {@code word} (true, false, null) followed by a delimiter. */
        private boolean literal(String word) {
            int n = word.length();
            if (i + n > b.length) {
                return false;
            }
            for (int k = 0; k < n; k++) {
                if (b[i + k] != word.charAt(k)) {
                    return false;
                }
            }
            int saved = i;
            i += n;
            if (!atDelimiter()) {
                i = saved;
                return false;
            }
            return true;
        }

        /**
         * Reads a string of printable ASCII without escapes and returns the index of its closing
         * quote, or -1 (position unspecified) for anything else.
         */
        private int plainString() {
            if (i >= b.length || b[i] != '"') {
                return -1;
            }
            int j = i + 1;
            while (j < b.length) {
                byte c = b[j];
                if (c == '"') {
                    i = j + 1;
                    return j;
                }
                if (c < 0x20 || c == '\\' || c == 0x7f) {
                    return -1;
                }
                j++;
            }
            return -1;
        }

        private boolean atDelimiter() {
            if (i >= b.length) {
                return false;
            }
            byte c = b[i];
            return c == ',' || c == '}' || isWhitespace(c);
        }

        private void skipWhitespace() {
            while (i < b.length && isWhitespace(b[i])) {
                i++;
            }
        }

        private boolean take(char c) {
            if (i < b.length && b[i] == c) {
                i++;
                return true;
            }
            return false;
        }

        /** A plain loop: for words this short it beats {@code Arrays.equals}'s set-up. */
        private boolean equalsAt(int start, int len, byte[] word) {
            if (len != word.length) {
                return false;
            }
            for (int k = 0; k < len; k++) {
                if (b[start + k] != word[k]) {
                    return false;
                }
            }
            return true;
        }

        private DeliveryAttempt attempt() {
            // The general path's rules; it gives the reasons when they fail.
            if (completedAt.isBefore(receivedAt)
                    || !AttemptParser.latencyInRange(receivedAt, completedAt)
                    || PairKey.OVERFLOW_ID.equals(sourceId)
                    || PairKey.OVERFLOW_ID.equals(destinationId)) {
                return null;
            }
            return new DeliveryAttempt(
                    workspaceId,
                    sourceId,
                    destinationId,
                    eventId,
                    attempt,
                    outcome,
                    errorCode,
                    receivedAt,
                    completedAt,
                    destinationType,
                    eventType,
                    eventName,
                    errorMessage);
        }
    }

    private static boolean isWhitespace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
