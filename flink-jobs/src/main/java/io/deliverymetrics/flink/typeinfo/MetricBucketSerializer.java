package io.deliverymetrics.flink.typeinfo;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.MetricBucket;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer for {@link MetricBucket} window state, delegating to the versioned {@link
 * BucketCodec}.
 */
public final class MetricBucketSerializer extends TypeSerializerSingleton<MetricBucket> {

    private static final long serialVersionUID = 1L;

    public static final MetricBucketSerializer INSTANCE = new MetricBucketSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public MetricBucket createInstance() {
        return new MetricBucket();
    }

    @Override
    public MetricBucket copy(MetricBucket from) {
        return from.copy();
    }

    @Override
    public MetricBucket copy(MetricBucket from, MetricBucket reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(MetricBucket record, DataOutputView target) throws IOException {
        byte[] bytes = BucketCodec.encode(record);
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public MetricBucket deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        try {
            return BucketCodec.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt metric bucket state", e);
        }
    }

    @Override
    public MetricBucket deserialize(MetricBucket reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int len = source.readInt();
        target.writeInt(len);
        target.write(source, len);
    }

    @Override
    public TypeSerializerSnapshot<MetricBucket> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; the codec's own version byte handles format evolution. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MetricBucket> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
