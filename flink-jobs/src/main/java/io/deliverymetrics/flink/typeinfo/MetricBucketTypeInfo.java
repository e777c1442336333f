package io.deliverymetrics.flink.typeinfo;

import io.deliverymetrics.core.metrics.MetricBucket;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information for {@link MetricBucket}, so window state never falls back to Kryo. */
public final class MetricBucketTypeInfo extends TypeInformation<MetricBucket> {

    private static final long serialVersionUID = 1L;

    public static final MetricBucketTypeInfo INSTANCE = new MetricBucketTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<MetricBucket> getTypeClass() {
        return MetricBucket.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<MetricBucket> createSerializer(SerializerConfig config) {
        return MetricBucketSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "MetricBucket";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof MetricBucketTypeInfo;
    }

    @Override
    public int hashCode() {
        return MetricBucketTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof MetricBucketTypeInfo;
    }
}
