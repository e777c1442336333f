package io.deliverymetrics.flink.model;

import io.deliverymetrics.core.model.DeliveryAttempt;

/**
 * What the source emits per Kafka record: exactly one of a valid attempt or a dead letter.
 *
 * <p>Parsing happens in the source's deserializer so that watermarks are generated per Kafka
 * partition from the attempts' event time.
 */
public record ParsedRecord(DeliveryAttempt attempt, DeadLetter rejected) {

    public static ParsedRecord valid(DeliveryAttempt attempt) {
        return new ParsedRecord(attempt, null);
    }

    public static ParsedRecord rejected(DeadLetter d) {
        return new ParsedRecord(null, d);
    }

    public boolean isValid() {
        return attempt != null;
    }
}
