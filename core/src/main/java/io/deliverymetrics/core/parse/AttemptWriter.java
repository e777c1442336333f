package io.deliverymetrics.core.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.deliverymetrics.core.model.DeliveryAttempt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a {@link DeliveryAttempt} in the topic's JSON contract; {@link AttemptParser} reads it
 * back to an equal attempt. An absent error code is written as {@code null}; unknown types and
 * absent names and messages are left out; text is UTF-8 with JSON escapes only where JSON requires
 * them (quotes, backslashes, control characters below U+0020).
 */
public final class AttemptWriter {

    /** Characters beyond U+FFFF as their 4 UTF-8 bytes, not as two escaped surrogates. */
    private static final JsonFactory JSON =
            JsonFactory.builder()
                    .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                    .build();

    private AttemptWriter() {}

    /** The attempt as UTF-8 JSON with ISO-8601 UTC timestamps. */
    public static byte[] toJson(DeliveryAttempt a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("workspace_id", a.workspaceId());
            g.writeStringField("source_id", a.sourceId());
            g.writeStringField("destination_id", a.destinationId());
            g.writeStringField("event_id", a.eventId());
            g.writeNumberField("attempt", a.attempt());
            g.writeStringField("outcome", a.outcome().wireName());
            nullableString(g, "error_code", a.errorCode());
            g.writeStringField("received_at", a.receivedAt().toString());
            g.writeStringField("completed_at", a.completedAt().toString());
            optionalString(g, "destination_type", known(a.destinationType()));
            optionalString(g, "event_type", known(a.eventType()));
            optionalString(g, "event_name", a.eventName());
            optionalString(g, "error_message", a.errorMessage());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static String known(String type) {
        return DeliveryAttempt.UNKNOWN_TYPE.equals(type) ? null : type;
    }

    /** The optional fields are left out when absent, so older records are written as before. */
    private static void optionalString(JsonGenerator g, String name, String value)
            throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void nullableString(JsonGenerator g, String name, String value)
            throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }
}
