package io.deliverymetrics.flink.typeinfo;

import io.deliverymetrics.core.metrics.MetricBucket;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Type information for {@link MetricBucket} window state (the versioned {@code BucketCodec}). */
public final class MetricBucketTypeInfo {

    public static final TypeInformation<MetricBucket> INSTANCE =
            new SerializerTypeInfo<>(MetricBucket.class, MetricBucketSerializer.INSTANCE);

    private MetricBucketTypeInfo() {}
}
