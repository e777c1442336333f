package io.deliverymetrics.flink.model;

import io.deliverymetrics.core.model.DeliveryAttempt;

/**
 * What the source emits per Kafka record: exactly one of a valid attempt or a dead letter.
 *
 * <p>Parsing happens in the source's deserializer so that watermarks are generated per Kafka
 * partition from the attempts' event time.
 *
 * @param errorMessageTruncated whether the valid attempt's error message was cut to the contract's
 *     limit
 */
public record ParsedRecord(
        DeliveryAttempt attempt, DeadLetter rejected, boolean errorMessageTruncated) {

    public static ParsedRecord valid(DeliveryAttempt attempt) {
        return valid(attempt, false);
    }

    public static ParsedRecord valid(DeliveryAttempt attempt, boolean errorMessageTruncated) {
        return new ParsedRecord(attempt, null, errorMessageTruncated);
    }

    public static ParsedRecord rejected(DeadLetter d) {
        return new ParsedRecord(null, d, false);
    }

    public boolean isValid() {
        return attempt != null;
    }
}
