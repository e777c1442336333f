package io.deliverymetrics.loadgen.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the Kafka sink writes.
 *
 * @param bootstrapServers Kafka bootstrap servers, e.g. {@code localhost:9092}
 * @param topic topic the delivery attempts go to
 * @param compression producer compression type: none, lz4, zstd, snappy or gzip
 * @param producerOverrides extra producer properties; they win over the defaults
 */
public record KafkaSinkConfig(
        String bootstrapServers,
        String topic,
        String compression,
        Map<String, String> producerOverrides) {

    public static final String DEFAULT_TOPIC = "delivery-attempts";
    public static final String DEFAULT_COMPRESSION = "lz4";
    private static final List<String> COMPRESSIONS =
            List.of("none", "lz4", "zstd", "snappy", "gzip");

    public KafkaSinkConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must be set, e.g. localhost:9092");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must be set, e.g. " + DEFAULT_TOPIC);
        }
        if (!COMPRESSIONS.contains(compression)) {
            throw new IllegalArgumentException(
                    "compression must be one of " + COMPRESSIONS + ", was " + compression);
        }
        producerOverrides = Map.copyOf(Objects.requireNonNull(producerOverrides));
    }

    /** Config with lz4 compression and no overrides. */
    public static KafkaSinkConfig of(String bootstrapServers, String topic) {
        return new KafkaSinkConfig(bootstrapServers, topic, DEFAULT_COMPRESSION, Map.of());
    }
}
