package io.deliverymetrics.flink.typeinfo;

import io.deliverymetrics.flink.model.MinutePartial;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Type information for {@link MinutePartial} on the wire between pre-aggregation and windows. */
public final class MinutePartialTypeInfo {

    public static final TypeInformation<MinutePartial> INSTANCE =
            new SerializerTypeInfo<>(MinutePartial.class, MinutePartialSerializer.INSTANCE);

    private MinutePartialTypeInfo() {}
}
