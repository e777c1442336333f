package io.deliverymetrics.loadgen.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.loadgen.config.KafkaSinkConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaLoadSinkTest {

    @Test
    void shouldConfigureAnIdempotentAcksAllProducerWithShortLinger() {
        Properties p =
                KafkaLoadSink.producerProperties(
                        KafkaSinkConfig.of("localhost:9092", "delivery-attempts"));

        assertThat(p)
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("linger.ms", "5")
                .containsEntry("compression.type", "lz4");
    }

    @Test
    void shouldLetProducerOverridesWinOverTheDefaults() {
        Properties p =
                KafkaLoadSink.producerProperties(
                        new KafkaSinkConfig(
                                "localhost:9092", "t", "none", Map.of("linger.ms", "50")));

        assertThat(p).containsEntry("linger.ms", "50").containsEntry("compression.type", "none");
    }

    @Test
    void shouldRejectAnUnknownCompressionWithTheAcceptedValues() {
        assertThatThrownBy(() -> new KafkaSinkConfig("localhost:9092", "t", "brotli", Map.of()))
                .hasMessageContaining("compression must be one of [none, lz4, zstd, snappy, gzip]");
    }
}
