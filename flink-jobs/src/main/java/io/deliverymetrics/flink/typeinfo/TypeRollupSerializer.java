package io.deliverymetrics.flink.typeinfo;

import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.flink.model.TypeRollup;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer for the destination-type windows' state: the bucket through {@link
 * MetricBucketSerializer}, then the length and bytes of {@link DistinctContributors#encode()}.
 */
public final class TypeRollupSerializer extends TypeSerializerSingleton<TypeRollup> {

    private static final long serialVersionUID = 1L;

    public static final TypeRollupSerializer INSTANCE = new TypeRollupSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeRollup createInstance() {
        return new TypeRollup(
                MetricBucketSerializer.INSTANCE.createInstance(), new DistinctContributors());
    }

    @Override
    public TypeRollup copy(TypeRollup from) {
        return from.copy();
    }

    @Override
    public TypeRollup copy(TypeRollup from, TypeRollup reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(TypeRollup r, DataOutputView out) throws IOException {
        MetricBucketSerializer.INSTANCE.serialize(r.bucket(), out);
        byte[] contributors = r.contributors().encode();
        out.writeInt(contributors.length);
        out.write(contributors);
    }

    @Override
    public TypeRollup deserialize(DataInputView in) throws IOException {
        var bucket = MetricBucketSerializer.INSTANCE.deserialize(in);
        byte[] contributors = new byte[in.readInt()];
        in.readFully(contributors);
        try {
            return new TypeRollup(bucket, DistinctContributors.decode(contributors));
        } catch (RuntimeException e) {
            throw new IOException("corrupt destination-type roll-up state", e);
        }
    }

    @Override
    public TypeRollup deserialize(TypeRollup reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<TypeRollup> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; the bucket codec and the sketches carry their own versions. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TypeRollup> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
