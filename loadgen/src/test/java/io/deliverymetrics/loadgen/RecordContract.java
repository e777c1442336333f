package io.deliverymetrics.loadgen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The input record contract of DESIGN.md, checked with plain Jackson databind and no loadgen code,
 * so that tests judge the generator's bytes independently.
 */
final class RecordContract {

    static final int MAX_RECORD_BYTES = 16 * 1024;
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.:/-]{1,64}");
    static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f-\\x9f]");
    static final int MAX_EVENT_NAME_CODE_POINTS = 128;
    static final Pattern ISO_MILLIS =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    static final Set<String> OUTCOMES =
            Set.of("delivered", "retrying", "discarded", "expired", "filtered");
    static final Set<String> NEEDS_ERROR_CODE = Set.of("retrying", "discarded", "expired");
    static final List<String> ID_FIELDS =
            List.of("workspace_id", "source_id", "destination_id", "event_id");

    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /** A record that satisfied the contract. */
    record Parsed(
            String workspaceId,
            String sourceId,
            String destinationId,
            String eventId,
            int attempt,
            String outcome,
            String errorCode,
            long receivedAtMs,
            long completedAtMs,
            boolean epochMillis,
            String destinationType,
            String eventType,
            String eventName,
            String errorMessage) {

        String key() {
            return workspaceId + "/" + sourceId + "/" + destinationId;
        }
    }

    /** Thrown when a record breaks the contract; the message says which rule. */
    static final class Violation extends Exception {
        Violation(String message) {
            super(message);
        }
    }

    private RecordContract() {}

    static Parsed parse(byte[] value) throws Violation {
        if (value.length > MAX_RECORD_BYTES) {
            throw new Violation("record has " + value.length + " bytes");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new Violation("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Violation("unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new Violation("not a JSON object");
        }
        for (String f : ID_FIELDS) {
            JsonNode n = root.get(f);
            if (n == null || !n.isTextual() || !ID.matcher(n.textValue()).matches()) {
                throw new Violation("bad " + f + ": " + n);
            }
        }
        JsonNode attempt = root.get("attempt");
        if (attempt == null || !attempt.isIntegralNumber() || attempt.asLong() < 1) {
            throw new Violation("bad attempt: " + attempt);
        }
        JsonNode outcome = root.get("outcome");
        if (outcome == null || !outcome.isTextual() || !OUTCOMES.contains(outcome.textValue())) {
            throw new Violation("bad outcome: " + outcome);
        }
        JsonNode code = root.get("error_code");
        String errorCode = null;
        if (NEEDS_ERROR_CODE.contains(outcome.textValue())) {
            if (code == null
                    || !code.isTextual()
                    || !ERROR_CODE.matcher(code.textValue()).matches()) {
                throw new Violation("bad error_code for " + outcome + ": " + code);
            }
            errorCode = code.textValue();
        } else if (code == null || !code.isNull()) {
            throw new Violation("error_code must be null for " + outcome + ": " + code);
        }
        JsonNode receivedNode = root.get("received_at");
        JsonNode completedNode = root.get("completed_at");
        long received = timestamp("received_at", receivedNode);
        long completed = timestamp("completed_at", completedNode);
        if (completed < received) {
            throw new Violation("completed_at before received_at");
        }
        String destinationType = optionalText(root, "destination_type");
        String eventType = optionalText(root, "event_type");
        for (String type : new String[] {destinationType, eventType}) {
            if (type != null && !TYPE.matcher(type).matches()) {
                throw new Violation("bad type: " + type);
            }
        }
        String eventName = optionalText(root, "event_name");
        if (eventName != null) {
            int codePoints = eventName.codePointCount(0, eventName.length());
            if (codePoints < 1
                    || codePoints > MAX_EVENT_NAME_CODE_POINTS
                    || CONTROL.matcher(eventName).find()
                    || !survivesUtf8(eventName)) {
                throw new Violation("bad event_name: " + eventName);
            }
        }
        String errorMessage = optionalText(root, "error_message");
        if (errorMessage != null && !survivesUtf8(errorMessage)) {
            throw new Violation("error_message with a lone surrogate");
        }
        return new Parsed(
                root.get("workspace_id").textValue(),
                root.get("source_id").textValue(),
                root.get("destination_id").textValue(),
                root.get("event_id").textValue(),
                attempt.intValue(),
                outcome.textValue(),
                errorCode,
                received,
                completed,
                receivedNode.isNumber(),
                destinationType,
                eventType,
                eventName,
                errorMessage);
    }

    /** The text of an optional string field, null when absent or null. */
    private static String optionalText(JsonNode root, String name) throws Violation {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new Violation("bad " + name + ": " + n);
        }
        return n.textValue();
    }

    /** False for text with a lone surrogate, which UTF-8 cannot carry (it becomes '?'). */
    private static boolean survivesUtf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    }

    private static long timestamp(String name, JsonNode n) throws Violation {
        if (n != null && n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n != null && n.isTextual() && ISO_MILLIS.matcher(n.textValue()).matches()) {
            try {
                return Instant.parse(n.textValue()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new Violation("bad " + name + ": " + n + " (" + e.getMessage() + ")");
            }
        }
        throw new Violation("bad " + name + ": " + n);
    }
}
