package io.deliverymetrics.flink.typeinfo;

import io.deliverymetrics.flink.model.MinutePartial;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information for {@link MinutePartial}, so the shuffle never falls back to Kryo. */
public final class MinutePartialTypeInfo extends TypeInformation<MinutePartial> {

    private static final long serialVersionUID = 1L;

    public static final MinutePartialTypeInfo INSTANCE = new MinutePartialTypeInfo();

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
    public Class<MinutePartial> getTypeClass() {
        return MinutePartial.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<MinutePartial> createSerializer(SerializerConfig config) {
        return MinutePartialSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "MinutePartial";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof MinutePartialTypeInfo;
    }

    @Override
    public int hashCode() {
        return MinutePartialTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof MinutePartialTypeInfo;
    }
}
