package io.deliverymetrics.api.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * One series of a timeseries response: its grouped-by parts and one point per bucket of the range,
 * gaps included as zeros.
 *
 * <p>As JSON: {@code source_id} and {@code destination_id} when grouped by them; {@code event_type}
 * when grouped by event, and {@code event_name} when grouped by event name ({@code null} for the
 * events without a name); {@code "overflow": true} for the workspace's overflow pair (or a group of
 * it), which counts the attempts of the pairs beyond the job's cap on distinct active pairs; {@code
 * "other": true} for the event breakdown's other row (event type {@code *}), which counts the
 * events beyond the per-bucket cap on event keys; with a comparison, {@code total}, {@code
 * previous} and {@code change} ({@link Comparison}); then {@code points} ({@link SeriesPoints}).
 *
 * @param comparison the range's totals against the previous range's; {@code null} when not asked
 */
@JsonSerialize(using = Series.Writer.class)
public record Series(
        GroupBy groupBy, SeriesKey key, SeriesPoints points, Comparison.Values comparison) {

    public Series {
        Objects.requireNonNull(groupBy, "groupBy");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(points, "points");
    }

    /** The series of {@code key} without a comparison. */
    public static Series of(GroupBy groupBy, SeriesKey key, SeriesPoints points) {
        return new Series(groupBy, key, points, null);
    }

    /** The source of the series, {@code null} when not grouped by it. */
    public String sourceId() {
        return key.sourceId();
    }

    /** The destination of the series, {@code null} when not grouped by it. */
    public String destinationId() {
        return key.destinationId();
    }

    /** Writes the fields in the order documented above. */
    static final class Writer extends StdSerializer<Series> {
        Writer() {
            super(Series.class);
        }

        @Override
        public void serialize(Series s, JsonGenerator g, SerializerProvider provider)
                throws IOException {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : keyFields(s.groupBy, s.key).entrySet()) {
                provider.defaultSerializeField(e.getKey(), e.getValue(), g);
            }
            if (s.comparison != null) {
                provider.defaultSerializeField("total", s.comparison.total(), g);
                provider.defaultSerializeField("previous", s.comparison.previous(), g);
                provider.defaultSerializeField("change", s.comparison.change(), g);
            }
            provider.defaultSerializeField("points", s.points, g);
            g.writeEndObject();
        }
    }

    /**
     * The fields that identify a series (or a summary's pair or event) of {@code groupBy}, in
     * order, with the {@code overflow} and {@code other} marks.
     */
    public static Map<String, Object> keyFields(GroupBy groupBy, SeriesKey key) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (key.sourceId() != null) {
            out.put("source_id", key.sourceId());
        }
        if (key.destinationId() != null) {
            out.put("destination_id", key.destinationId());
        }
        if (groupBy.byEvent()) {
            out.put("event_type", key.eventType());
            if (groupBy == GroupBy.EVENT_NAME) {
                out.put("event_name", key.eventName());
            }
        }
        if (key.isOverflow()) {
            out.put("overflow", true);
        }
        if (groupBy.byEvent() && key.isOther()) {
            out.put("other", true);
        }
        return out;
    }
}
