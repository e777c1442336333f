package io.deliverymetrics.loadgen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
    static final Pattern ISO_MILLIS =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    static final Set<String> OUTCOMES =
            Set.of("delivered", "retrying", "discarded", "expired", "filtered");
    static final Set<String> NEEDS_ERROR_CODE = Set.of("retrying", "discarded", "expired");
    static final List<String> ID_FIELDS =
            List.of("workspace_id", "source_id", "destination_id", "event_id");

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
            boolean epochMillis) {

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
                receivedNode.isNumber());
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
