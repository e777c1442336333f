package io.deliverymetrics.core.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.deliverymetrics.core.model.DeliveryAttempt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a {@link DeliveryAttempt} in the topic's JSON contract; {@link AttemptParser} reads it
 * back.
 */
public final class AttemptWriter {

    private static final JsonFactory JSON = new JsonFactory();

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
            if (a.errorCode() == null) {
                g.writeNullField("error_code");
            } else {
                g.writeStringField("error_code", a.errorCode());
            }
            g.writeStringField("received_at", a.receivedAt().toString());
            g.writeStringField("completed_at", a.completedAt().toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }
}
