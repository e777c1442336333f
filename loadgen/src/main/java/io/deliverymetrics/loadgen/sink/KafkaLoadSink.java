package io.deliverymetrics.loadgen.sink;

import io.deliverymetrics.loadgen.config.KafkaSinkConfig;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to a Kafka topic with an idempotent {@code acks=all} producer and feeds the {@link
 * AckListener} from the send callbacks, so only records the broker acknowledged count.
 *
 * <p>The first failed send is remembered and rethrown by the next {@link #send} or {@link #flush}:
 * a run with a lost record must not produce a truth file.
 */
public final class KafkaLoadSink implements LoadSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLoadSink.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final AckListener listener;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicReference<LoadSinkException> failure = new AtomicReference<>();

    /** Wraps an existing producer; the sink closes it. */
    public KafkaLoadSink(Producer<byte[], byte[]> producer, String topic, AckListener listener) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** A sink with a new producer configured by {@link #producerProperties}. */
    public static KafkaLoadSink create(KafkaSinkConfig config, AckListener listener) {
        LOG.info(
                "producing to topic {} at {} (compression {})",
                config.topic(),
                config.bootstrapServers(),
                config.compression());
        return new KafkaLoadSink(
                new KafkaProducer<>(producerProperties(config)), config.topic(), listener);
    }

    /** acks=all, idempotence on, linger 5 ms, 256 KiB batches, byte-array serializers. */
    public static Properties producerProperties(KafkaSinkConfig config) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "delivery-metrics-loadgen");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(config.producerOverrides());
        return p;
    }

    @Override
    public void send(GeneratedRecord record) {
        throwIfFailed();
        ProducerRecord<byte[], byte[]> message =
                new ProducerRecord<>(
                        topic, record.key().getBytes(StandardCharsets.UTF_8), record.value());
        try {
            producer.send(
                    message,
                    (metadata, exception) -> {
                        if (exception == null) {
                            listener.acknowledged(record);
                            acked.incrementAndGet();
                        } else {
                            failure.compareAndSet(
                                    null,
                                    new LoadSinkException(
                                            "send of record #"
                                                    + record.emitSeq()
                                                    + " to "
                                                    + topic
                                                    + " failed",
                                            exception));
                        }
                    });
        } catch (KafkaException e) {
            throw new LoadSinkException(
                    "cannot send record #" + record.emitSeq() + " to " + topic, e);
        }
    }

    @Override
    public void flush() {
        try {
            producer.flush();
        } catch (KafkaException e) {
            throw new LoadSinkException("flush of producer for " + topic + " failed", e);
        }
        throwIfFailed();
    }

    private void throwIfFailed() {
        LoadSinkException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    @Override
    public long acked() {
        return acked.get();
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
