package io.deliverymetrics.flink.sink;

import io.deliverymetrics.flink.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a dead letter with its original key and value bytes unchanged; the reason, field,
 * detail, origin and time travel as headers ({@code dm-reject-reason}, …).
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    public static final String REASON = "dm-reject-reason";
    public static final String FIELD = "dm-reject-field";
    public static final String DETAIL = "dm-reject-detail";
    public static final String SOURCE_TOPIC = "dm-source-topic";
    public static final String SOURCE_PARTITION = "dm-source-partition";
    public static final String SOURCE_OFFSET = "dm-source-offset";
    public static final String REJECTED_AT = "dm-rejected-at";

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter d, KafkaSinkContext context, Long timestamp) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, d.key(), d.value());
        r.headers()
                .add(REASON, utf8(d.reason()))
                .add(FIELD, utf8(d.field()))
                .add(DETAIL, utf8(d.detail()))
                .add(SOURCE_TOPIC, utf8(d.sourceTopic()))
                .add(SOURCE_PARTITION, utf8(Integer.toString(d.sourcePartition())))
                .add(SOURCE_OFFSET, utf8(Long.toString(d.sourceOffset())))
                .add(REJECTED_AT, utf8(Long.toString(d.rejectedAtMs())));
        return r;
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
