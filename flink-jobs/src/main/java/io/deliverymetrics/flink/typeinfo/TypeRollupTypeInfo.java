package io.deliverymetrics.flink.typeinfo;

import io.deliverymetrics.flink.model.TypeRollup;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Type information for the destination-type windows' {@link TypeRollup} state. */
public final class TypeRollupTypeInfo {

    public static final TypeInformation<TypeRollup> INSTANCE =
            new SerializerTypeInfo<>(TypeRollup.class, TypeRollupSerializer.INSTANCE);

    private TypeRollupTypeInfo() {}
}
