package io.deliverymetrics.flink.model;

/**
 * A record the job refused, with the original bytes and why; published to the dead-letter topic.
 *
 * @param key original Kafka key (may be {@code null})
 * @param value original Kafka value, unchanged (may be {@code null})
 * @param reason machine-readable reason code, e.g. {@code invalid_id}
 * @param field the offending field, or empty
 * @param detail human-readable explanation
 */
public record DeadLetter(
        byte[] key,
        byte[] value,
        String reason,
        String field,
        String detail,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        long rejectedAtMs) {}
