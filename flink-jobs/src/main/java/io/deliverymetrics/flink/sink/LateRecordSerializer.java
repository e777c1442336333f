package io.deliverymetrics.flink.sink;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.parse.AttemptWriter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a record that arrived after the allowed lateness, in the input contract, keyed by pair.
 */
public final class LateRecordSerializer implements KafkaRecordSerializationSchema<DeliveryAttempt> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public LateRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeliveryAttempt a, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                a.pair().kafkaKey().getBytes(StandardCharsets.UTF_8),
                AttemptWriter.toJson(a));
    }
}
