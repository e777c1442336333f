package io.deliverymetrics.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedInfraExtension.class)
class EmbeddedKafkaITCase {

    private static final int RECORDS = 500;
    private static final int KEYS = 25;
    private static final Duration CONSUME_DEADLINE = Duration.ofSeconds(60);

    private final EmbeddedKafka kafka;
    private final UniqueNames names;

    EmbeddedKafkaITCase(EmbeddedKafka kafka, UniqueNames names) {
        this.kafka = kafka;
        this.names = names;
    }

    @Test
    void shouldConsumeEveryRecordThatWasProduced() throws Exception {
        String topic = names.topic("attempts");
        kafka.createTopic(topic, 3);

        produce(topic);
        List<ConsumerRecord<String, String>> consumed = consumeAll(topic, RECORDS);

        assertThat(consumed).hasSize(RECORDS);
        assertThat(consumed.stream().map(ConsumerRecord::partition).distinct()).hasSize(3);
        Map<String, List<String>> valuesByKey = groupValuesByKey(consumed);
        assertThat(valuesByKey).hasSize(KEYS);
        for (int k = 0; k < KEYS; k++) {
            // One key lives in one partition, so its values come back in the order they were sent.
            assertThat(valuesByKey.get(key(k))).containsExactlyElementsOf(expectedValues(k));
        }
        assertThat(
                        consumed.stream()
                                .collect(
                                        Collectors.groupingBy(
                                                ConsumerRecord::key,
                                                Collectors.mapping(
                                                        ConsumerRecord::partition,
                                                        Collectors.toSet())))
                                .values())
                .allSatisfy(partitions -> assertThat(partitions).hasSize(1));
    }

    @Test
    void shouldCreateTopicWithTheRequestedPartitionCount() throws Exception {
        String topic = names.topic("partitions");

        kafka.createTopic(topic, 3);

        try (Admin admin = kafka.createAdmin()) {
            assertThat(
                            admin.describeTopics(List.of(topic))
                                    .allTopicNames()
                                    .get()
                                    .get(topic)
                                    .partitions())
                    .hasSize(3);
        }
    }

    @Test
    void shouldRejectATopicThatAlreadyExists() {
        String topic = names.topic("twice");
        kafka.createTopic(topic, 1);

        assertThatThrownBy(() -> kafka.createTopic(topic, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(topic);
    }

    private void produce(String topic) throws InterruptedException, ExecutionException {
        Map<String, Object> config =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, key(i % KEYS), value(i)));
            }
            // The last send's future completes after all earlier sends to its partition; flush
            // covers the other partitions.
            producer.flush();
        }
    }

    private List<ConsumerRecord<String, String>> consumeAll(String topic, int expected) {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        names.topic("group"),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false);
        List<ConsumerRecord<String, String>> consumed = new ArrayList<>();
        long deadline = System.nanoTime() + CONSUME_DEADLINE.toNanos();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (consumed.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(consumed::add);
            }
        }
        return consumed;
    }

    private static Map<String, List<String>> groupValuesByKey(
            List<ConsumerRecord<String, String>> records) {
        return records.stream()
                .collect(
                        Collectors.groupingBy(
                                ConsumerRecord::key,
                                LinkedHashMap::new,
                                Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
    }

    private static List<String> expectedValues(int keyIndex) {
        List<String> values = new ArrayList<>();
        for (int i = keyIndex; i < RECORDS; i += KEYS) {
            values.add(value(i));
        }
        return values;
    }

    private static String key(int k) {
        return "ws_" + k + "/src_web/dst_amplitude";
    }

    private static String value(int i) {
        return "attempt-" + i;
    }
}
