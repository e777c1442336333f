package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.parse.AttemptParser;
import io.deliverymetrics.core.parse.ParseResult;
import io.deliverymetrics.flink.model.DeadLetter;
import io.deliverymetrics.flink.model.ParsedRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses each Kafka record with the core parser inside the source, so that watermarks are generated
 * per partition from event time; never throws for bad input.
 */
public final class AttemptDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {

    private static final long serialVersionUID = 1L;

    private final AttemptParser parser;

    public AttemptDeserializer(int maxRecordBytes) {
        this.parser = new AttemptParser(maxRecordBytes);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
        out.collect(
                parse(
                        record.key(),
                        record.value(),
                        record.topic(),
                        record.partition(),
                        record.offset()));
    }

    /** The parsing step on its own, for tests and for other sources. */
    public ParsedRecord parse(byte[] key, byte[] value, String topic, int partition, long offset) {
        ParseResult r = parser.parse(value);
        if (r instanceof ParseResult.Valid v) {
            return ParsedRecord.valid(v.attempt(), v.errorMessageTruncated());
        }
        ParseResult.Rejected rej = (ParseResult.Rejected) r;
        return ParsedRecord.rejected(
                new DeadLetter(
                        key,
                        value,
                        rej.reason().code(),
                        rej.field() == null ? "" : rej.field(),
                        rej.detail(),
                        topic,
                        partition,
                        offset,
                        System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
