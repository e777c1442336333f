package io.deliverymetrics.api.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.deliverymetrics.core.metrics.MetricBucket;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.LongConsumer;

/**
 * The points of one series, rendered from its buckets only when read: one per bucket of the range,
 * gaps as zeros, each {@code start}, {@code partial} and the requested metrics by wire name.
 *
 * <p>As a list each {@link #get} builds that point's map. As JSON the points are written straight
 * from the buckets, one after the other, so a page of many thousand points never exists as maps at
 * once; every {@value #CHUNK} points written are reported to {@code rendered}, which may make the
 * writing thread wait (the workspace's query budget counts rendering like reading).
 */
@JsonSerialize(using = SeriesPoints.Writer.class)
public final class SeriesPoints extends AbstractList<Map<String, Object>> implements RandomAccess {

    /** Points written between two reports to {@code rendered}. */
    static final int CHUNK = 1024;

    private static final MetricBucket EMPTY = new MetricBucket();

    private final MetricBucket[] slots;
    private final Instant firstStart;
    private final Duration size;
    private final Instant completeThrough;
    private final MetricValues values;
    private final LongConsumer rendered;

    /**
     * @param slots one bucket per point, {@code null} for a gap; not copied
     * @param firstStart start of the first bucket
     * @param size length of a bucket
     * @param completeThrough buckets ending after this are partial; {@code null}: all are
     * @param rendered told how many points were written as JSON, in chunks
     */
    public SeriesPoints(
            MetricBucket[] slots,
            Instant firstStart,
            Duration size,
            Instant completeThrough,
            MetricValues values,
            LongConsumer rendered) {
        this.slots = Objects.requireNonNull(slots, "slots");
        this.firstStart = Objects.requireNonNull(firstStart, "firstStart");
        this.size = Objects.requireNonNull(size, "size");
        this.completeThrough = completeThrough;
        this.values = Objects.requireNonNull(values, "values");
        this.rendered = Objects.requireNonNull(rendered, "rendered");
    }

    @Override
    public int size() {
        return slots.length;
    }

    @Override
    public Map<String, Object> get(int i) {
        Objects.checkIndex(i, slots.length);
        Map<String, Object> p = new LinkedHashMap<>();
        Instant start = start(i);
        p.put("start", start.toString());
        p.put("partial", isPartial(start));
        values.putAll(p, bucket(i));
        return p;
    }

    private Instant start(int i) {
        return firstStart.plus(size.multipliedBy(i));
    }

    private boolean isPartial(Instant start) {
        return completeThrough == null || start.plus(size).isAfter(completeThrough);
    }

    private MetricBucket bucket(int i) {
        return slots[i] == null ? EMPTY : slots[i];
    }

    /** Writes the points without building their maps. */
    static final class Writer extends StdSerializer<SeriesPoints> {
        Writer() {
            super(SeriesPoints.class);
        }

        @Override
        public void serialize(SeriesPoints points, JsonGenerator g, SerializerProvider provider)
                throws IOException {
            g.writeStartArray(points, points.slots.length);
            int pending = 0;
            for (int i = 0; i < points.slots.length; i++) {
                Instant start = points.start(i);
                g.writeStartObject();
                g.writeStringField("start", start.toString());
                g.writeBooleanField("partial", points.isPartial(start));
                points.values.writeAll(g, points.bucket(i));
                g.writeEndObject();
                if (++pending == CHUNK) {
                    points.rendered.accept(pending);
                    pending = 0;
                }
            }
            g.writeEndArray();
            if (pending > 0) {
                points.rendered.accept(pending);
            }
        }
    }
}
