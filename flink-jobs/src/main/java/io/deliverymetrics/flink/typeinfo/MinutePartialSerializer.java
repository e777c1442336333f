package io.deliverymetrics.flink.typeinfo;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.flink.model.MinutePartial;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer for {@link MinutePartial} on the wire between the pre-aggregation step and the
 * minute windows: the pair, the minute, then either the one attempt field by field (instants to the
 * nanosecond) or the merged bucket through {@link MetricBucketSerializer} and its destination type.
 */
public final class MinutePartialSerializer extends TypeSerializerSingleton<MinutePartial> {

    private static final long serialVersionUID = 1L;

    public static final MinutePartialSerializer INSTANCE = new MinutePartialSerializer();

    private static final byte SINGLE = 1;
    private static final byte BUCKET = 2;
    private static final Outcome[] OUTCOMES = Outcome.values();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public MinutePartial createInstance() {
        return null;
    }

    @Override
    public MinutePartial copy(MinutePartial from) {
        return from.bucket() == null
                ? from
                : new MinutePartial(
                        from.pair(),
                        from.minuteStartMs(),
                        from.bucket().copy(),
                        null,
                        from.destinationType());
    }

    @Override
    public MinutePartial copy(MinutePartial from, MinutePartial reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(MinutePartial p, DataOutputView out) throws IOException {
        writeId(p.pair().workspaceId(), out);
        writeId(p.pair().sourceId(), out);
        writeId(p.pair().destinationId(), out);
        out.writeLong(p.minuteStartMs());
        DeliveryAttempt a = p.single();
        if (a == null) {
            out.writeByte(BUCKET);
            MetricBucketSerializer.INSTANCE.serialize(p.bucket(), out);
            writeId(p.destinationType(), out);
            return;
        }
        out.writeByte(SINGLE);
        writeId(a.eventId(), out);
        out.writeInt(a.attempt());
        out.writeByte(a.outcome().ordinal());
        out.writeBoolean(a.errorCode() != null);
        if (a.errorCode() != null) {
            writeId(a.errorCode(), out);
        }
        writeInstant(a.receivedAt(), out);
        writeInstant(a.completedAt(), out);
        writeId(a.destinationType(), out);
        writeId(a.eventType(), out);
        writeOptional(a.eventName(), out);
        writeOptional(a.errorMessage(), out);
    }

    private static void writeOptional(String text, DataOutputView out) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            writeId(text, out);
        }
    }

    private static String readOptional(DataInputView in) throws IOException {
        return in.readBoolean() ? readId(in) : null;
    }

    @Override
    public MinutePartial deserialize(DataInputView in) throws IOException {
        PairKey pair = new PairKey(readId(in), readId(in), readId(in));
        long minute = in.readLong();
        byte kind = in.readByte();
        if (kind == BUCKET) {
            MetricBucket bucket = MetricBucketSerializer.INSTANCE.deserialize(in);
            return new MinutePartial(pair, minute, bucket, null, readId(in));
        }
        if (kind != SINGLE) {
            throw new IOException("corrupt minute partial: kind " + kind);
        }
        String eventId = readId(in);
        int attempt = in.readInt();
        Outcome outcome = OUTCOMES[in.readByte()];
        String errorCode = in.readBoolean() ? readId(in) : null;
        Instant received = readInstant(in);
        Instant completed = readInstant(in);
        String destinationType = readId(in);
        String eventType = readId(in);
        String eventName = readOptional(in);
        String errorMessage = readOptional(in);
        DeliveryAttempt a =
                new DeliveryAttempt(
                        pair.workspaceId(),
                        pair.sourceId(),
                        pair.destinationId(),
                        eventId,
                        attempt,
                        outcome,
                        errorCode,
                        received,
                        completed,
                        destinationType,
                        eventType,
                        eventName,
                        errorMessage);
        return new MinutePartial(pair, minute, null, a, destinationType);
    }

    @Override
    public MinutePartial deserialize(MinutePartial reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    /**
     * Ids and error codes are ASCII by the contract: a length and the bytes, read back without
     * Flink's char-by-char string codec; anything else (never from the parser) as a Flink string
     * after the length -1.
     */
    private static void writeId(String s, DataOutputView out) throws IOException {
        int n = s.length();
        boolean ascii = n <= Short.MAX_VALUE;
        for (int i = 0; ascii && i < n; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (!ascii) {
            out.writeShort(-1);
            StringValue.writeString(s, out);
            return;
        }
        out.writeShort(n);
        // Not writeBytes(String): DataOutputSerializer's advances its position twice.
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String readId(DataInputView in) throws IOException {
        int n = in.readShort();
        if (n < 0) {
            return StringValue.readString(in);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static void writeInstant(Instant t, DataOutputView out) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant readInstant(DataInputView in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    @Override
    public TypeSerializerSnapshot<MinutePartial> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot (the type only travels on the wire and is never kept in state). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MinutePartial> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
