package io.deliverymetrics.loadgen.generator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.deliverymetrics.loadgen.model.Attempt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes attempts as the JSON object of the record contract, field order fixed. Not thread-safe.
 */
final class RecordEncoder {

    static final String WORKSPACE_ID = "workspace_id";
    static final String SOURCE_ID = "source_id";
    static final String DESTINATION_ID = "destination_id";
    static final String EVENT_ID = "event_id";
    static final String ATTEMPT = "attempt";
    static final String OUTCOME = "outcome";
    static final String ERROR_CODE = "error_code";
    static final String RECEIVED_AT = "received_at";
    static final String COMPLETED_AT = "completed_at";
    static final String DESTINATION_TYPE = "destination_type";
    static final String EVENT_TYPE = "event_type";
    static final String EVENT_NAME = "event_name";
    static final String ERROR_MESSAGE = "error_message";

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final JsonFactory factory = new JsonFactory();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private final IsoTimestamps iso = new IsoTimestamps();
    private byte[] bytes = new byte[512];
    private int pos;

    /**
     * The contract JSON of {@code a}; timestamps as integers when {@code epochMillis}; the optional
     * fields after {@code completed_at}, left out when null.
     *
     * <p>This is the hot path, so it writes bytes directly instead of going through a {@link
     * JsonGenerator}: ids, error codes, types and timestamps are checked to need no JSON escaping,
     * which holds by construction; event names and error messages are escaped and encoded by {@link
     * #text}.
     */
    byte[] encode(Attempt a, boolean epochMillis) {
        pos = 0;
        ascii("{\"workspace_id\":\"");
        safe(a.pair().workspaceId());
        ascii("\",\"source_id\":\"");
        safe(a.pair().sourceId());
        ascii("\",\"destination_id\":\"");
        safe(a.pair().destinationId());
        ascii("\",\"event_id\":\"");
        safe(a.eventId());
        ascii("\",\"attempt\":");
        number(a.attempt());
        ascii(",\"outcome\":\"");
        ascii(a.outcome().wireName());
        if (a.errorCode() == null) {
            ascii("\",\"error_code\":null,\"received_at\":");
        } else {
            ascii("\",\"error_code\":\"");
            safe(a.errorCode());
            ascii("\",\"received_at\":");
        }
        timestamp(a.receivedAtMs(), epochMillis);
        ascii(",\"completed_at\":");
        timestamp(a.completedAtMs(), epochMillis);
        if (a.destinationType() != null) {
            ascii(",\"destination_type\":\"");
            safe(a.destinationType());
            ascii("\"");
        }
        if (a.eventType() != null) {
            ascii(",\"event_type\":\"");
            safe(a.eventType());
            ascii("\"");
        }
        if (a.eventName() != null) {
            ascii(",\"event_name\":");
            text(a.eventName());
        }
        if (a.errorMessage() != null) {
            ascii(",\"error_message\":");
            text(a.errorMessage());
        }
        ascii("}");
        return Arrays.copyOf(bytes, pos);
    }

    private void timestamp(long epochMs, boolean epochMillis) {
        if (epochMillis) {
            number(epochMs);
        } else {
            ascii("\"");
            ascii(iso.format(epochMs));
            ascii("\"");
        }
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[pos++] = (byte) s.charAt(i);
        }
    }

    /** Appends an id or code, refusing any character that would need escaping in JSON. */
    private void safe(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                throw new IllegalStateException("value needs JSON escaping: " + s);
            }
            bytes[pos++] = (byte) c;
        }
    }

    /**
     * Appends {@code s} as a JSON string in UTF-8: quote, backslash and characters below U+0020
     * escaped (as backslash n, r, t, else as backslash u 00XX), a surrogate pair as its four bytes;
     * a lone surrogate is refused, as no UTF-8 can carry it.
     */
    private void text(String s) {
        int n = s.length();
        ensure(2 + 6 * n);
        bytes[pos++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                bytes[pos++] = '\\';
                bytes[pos++] = (byte) c;
            } else if (c < 0x20) {
                bytes[pos++] = '\\';
                switch (c) {
                    case '\n' -> bytes[pos++] = 'n';
                    case '\r' -> bytes[pos++] = 'r';
                    case '\t' -> bytes[pos++] = 't';
                    default -> {
                        bytes[pos++] = 'u';
                        bytes[pos++] = '0';
                        bytes[pos++] = '0';
                        bytes[pos++] = HEX[c >> 4];
                        bytes[pos++] = HEX[c & 0xf];
                    }
                }
            } else if (c < 0x80) {
                bytes[pos++] = (byte) c;
            } else if (c < 0x800) {
                bytes[pos++] = (byte) (0xc0 | (c >> 6));
                bytes[pos++] = (byte) (0x80 | (c & 0x3f));
            } else if (!Character.isSurrogate(c)) {
                bytes[pos++] = (byte) (0xe0 | (c >> 12));
                bytes[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                bytes[pos++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                bytes[pos++] = (byte) (0xf0 | (cp >> 18));
                bytes[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                bytes[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                bytes[pos++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                throw new IllegalStateException("lone surrogate at index " + i + " of a text");
            }
        }
        bytes[pos++] = '"';
    }

    private void number(long v) {
        ascii(Long.toString(v));
    }

    private void ensure(int extra) {
        if (pos + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, pos + extra));
        }
    }

    /**
     * The contract fields of {@code a} in contract order, the optional ones only when present, as a
     * mutable map for corruption.
     */
    Map<String, Object> fields(Attempt a) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(WORKSPACE_ID, a.pair().workspaceId());
        f.put(SOURCE_ID, a.pair().sourceId());
        f.put(DESTINATION_ID, a.pair().destinationId());
        f.put(EVENT_ID, a.eventId());
        f.put(ATTEMPT, a.attempt());
        f.put(OUTCOME, a.outcome().wireName());
        f.put(ERROR_CODE, a.errorCode());
        f.put(RECEIVED_AT, iso.format(a.receivedAtMs()));
        f.put(COMPLETED_AT, iso.format(a.completedAtMs()));
        putIfPresent(f, DESTINATION_TYPE, a.destinationType());
        putIfPresent(f, EVENT_TYPE, a.eventType());
        putIfPresent(f, EVENT_NAME, a.eventName());
        putIfPresent(f, ERROR_MESSAGE, a.errorMessage());
        return f;
    }

    private static void putIfPresent(Map<String, Object> f, String name, String value) {
        if (value != null) {
            f.put(name, value);
        }
    }

    /** ISO-8601 text of an epoch-ms instant, millisecond precision. */
    String iso(long epochMs) {
        return iso.format(epochMs);
    }

    /** A JSON object of arbitrary fields; values may be String, Number or null. */
    byte[] encode(Map<String, Object> fields) {
        buffer.reset();
        try (JsonGenerator g = factory.createGenerator(buffer, JsonEncoding.UTF8)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                Object v = e.getValue();
                if (v == null) {
                    g.writeNullField(e.getKey());
                } else if (v instanceof Integer i) {
                    g.writeNumberField(e.getKey(), i);
                } else if (v instanceof Long l) {
                    g.writeNumberField(e.getKey(), l);
                } else {
                    g.writeStringField(e.getKey(), v.toString());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + fields.keySet(), e);
        }
        return buffer.toByteArray();
    }
}
