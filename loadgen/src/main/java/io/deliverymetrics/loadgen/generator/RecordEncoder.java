package io.deliverymetrics.loadgen.generator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.deliverymetrics.loadgen.model.Attempt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private final JsonFactory factory = new JsonFactory();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private final IsoTimestamps iso = new IsoTimestamps();
    private byte[] bytes = new byte[512];
    private int pos;

    /**
     * The contract JSON of {@code a}; timestamps as integers when {@code epochMillis}.
     *
     * <p>This is the hot path, so it writes bytes directly instead of going through a {@link
     * JsonGenerator}: every string it writes is checked to need no JSON escaping, which holds for
     * catalog ids, event ids, error codes and timestamps by construction.
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

    private void number(long v) {
        ascii(Long.toString(v));
    }

    private void ensure(int extra) {
        if (pos + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, pos + extra));
        }
    }

    /** The contract fields of {@code a} in contract order, as a mutable map for corruption. */
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
        return f;
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
