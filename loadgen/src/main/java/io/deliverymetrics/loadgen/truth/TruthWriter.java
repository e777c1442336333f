package io.deliverymetrics.loadgen.truth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.deliverymetrics.loadgen.model.Malformation;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;

/**
 * Writes truth totals as JSON Lines: minute lines, late lines, type_minute lines, event_minute
 * lines, then one summary line.
 */
final class TruthWriter {

    private static final JsonFactory FACTORY =
            JsonFactory.builder()
                    .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                    .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
                    .build();

    private TruthWriter() {}

    /** A consistent snapshot of everything a truth file holds. */
    record Contents(
            SortedMap<BucketKey, BucketTotals> minutes,
            SortedMap<BucketKey, BucketTotals> late,
            SortedMap<TypeMinuteKey, TypeMinuteTotals> typeMinutes,
            SortedMap<EventMinuteKey, EventCounts> eventMinutes,
            SortedMap<Malformation, Long> malformed,
            long validRecords,
            long lateRecords,
            long malformedRecords,
            long truncatedErrorMessages) {}

    static void write(OutputStream out, Contents c) throws IOException {
        SortedMap<BucketKey, BucketTotals> minutes = c.minutes();
        SortedMap<BucketKey, BucketTotals> late = c.late();
        long validRecords = c.validRecords();
        long lateRecords = c.lateRecords();
        long malformedRecords = c.malformedRecords();
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        long successes = 0;
        long retried = 0;
        long discarded = 0;
        long expired = 0;
        long filtered = 0;
        for (Map.Entry<BucketKey, BucketTotals> e : minutes.entrySet()) {
            BucketTotals t = e.getValue();
            successes += t.successes();
            retried += t.retried();
            discarded += t.discarded();
            expired += t.expired();
            filtered += t.filtered();
            line(w, "minute", e.getKey(), t, null);
        }
        for (Map.Entry<BucketKey, BucketTotals> e : late.entrySet()) {
            line(w, "late", e.getKey(), e.getValue(), e.getValue().records());
        }
        for (Map.Entry<TypeMinuteKey, TypeMinuteTotals> e : c.typeMinutes().entrySet()) {
            typeLine(w, e.getKey(), e.getValue());
        }
        for (Map.Entry<EventMinuteKey, EventCounts> e : c.eventMinutes().entrySet()) {
            eventLine(w, e.getKey(), e.getValue());
        }
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("type", "summary");
            g.writeNumberField("records", validRecords + lateRecords + malformedRecords);
            g.writeNumberField("valid_records", validRecords);
            g.writeNumberField("late_records", lateRecords);
            g.writeNumberField("malformed_records", malformedRecords);
            g.writeObjectFieldStart("malformed_by_kind");
            for (Map.Entry<Malformation, Long> e : c.malformed().entrySet()) {
                g.writeNumberField(e.getKey().label(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("minute_lines", minutes.size());
            g.writeNumberField("late_lines", late.size());
            g.writeNumberField("type_minute_lines", c.typeMinutes().size());
            g.writeNumberField("event_minute_lines", c.eventMinutes().size());
            g.writeNumberField("truncated_error_messages", c.truncatedErrorMessages());
            g.writeNumberField("successes", successes);
            g.writeNumberField("retried", retried);
            g.writeNumberField("discarded", discarded);
            g.writeNumberField("expired", expired);
            g.writeNumberField("filtered", filtered);
            g.writeEndObject();
        }
        w.write('\n');
        w.flush();
    }

    private static void line(Writer w, String type, BucketKey k, BucketTotals t, Long lateCount)
            throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeStringField("workspace_id", k.workspaceId());
            g.writeStringField("source_id", k.sourceId());
            g.writeStringField("destination_id", k.destinationId());
            g.writeStringField("minute", k.bucketStart().toString());
            if (lateCount != null) {
                g.writeNumberField("late", lateCount);
            }
            counters(g, t);
            g.writeEndObject();
        }
        w.write('\n');
    }

    private static void typeLine(Writer w, TypeMinuteKey k, TypeMinuteTotals t) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("type", "type_minute");
            g.writeStringField("destination_type", k.destinationType());
            g.writeStringField("minute", k.minute().toString());
            g.writeNumberField("workspaces", t.workspaces());
            g.writeNumberField("pairs", t.pairs());
            g.writeNumberField("affected_workspaces", t.affectedWorkspaces());
            g.writeNumberField("affected_pairs", t.affectedPairs());
            counters(g, t.totals());
            g.writeEndObject();
        }
        w.write('\n');
    }

    private static void eventLine(Writer w, EventMinuteKey k, EventCounts c) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("type", "event_minute");
            g.writeStringField("workspace_id", k.workspaceId());
            g.writeStringField("source_id", k.sourceId());
            g.writeStringField("destination_id", k.destinationId());
            g.writeStringField("minute", k.minute().toString());
            g.writeStringField("event_type", k.eventType());
            if (k.eventName() == null) {
                g.writeNullField("event_name");
            } else {
                g.writeStringField("event_name", k.eventName());
            }
            g.writeNumberField("records", c.records());
            g.writeNumberField("successes", c.successes());
            g.writeNumberField("retried", c.retried());
            g.writeNumberField("discarded", c.discarded());
            g.writeNumberField("expired", c.expired());
            g.writeNumberField("filtered", c.filtered());
            g.writeEndObject();
        }
        w.write('\n');
    }

    /** The counters of a minute line, from {@code records} to {@code errors}. */
    private static void counters(JsonGenerator g, BucketTotals t) throws IOException {
        g.writeNumberField("records", t.records());
        g.writeNumberField("successes", t.successes());
        g.writeArrayFieldStart("successes_by_attempt");
        for (Long c : t.successesByAttempt()) {
            g.writeNumber(c);
        }
        g.writeEndArray();
        g.writeNumberField("retried", t.retried());
        g.writeNumberField("discarded", t.discarded());
        g.writeNumberField("expired", t.expired());
        g.writeNumberField("filtered", t.filtered());
        g.writeNumberField("latency_count", t.latencyCount());
        g.writeNumberField("latency_sum_ms", t.latencySumMs());
        g.writeNumberField("latency_max_ms", t.latencyMaxMs());
        nullableNumber(g, "latency_p50_ms", t.latencyP50Ms());
        nullableNumber(g, "latency_p90_ms", t.latencyP90Ms());
        nullableNumber(g, "latency_p95_ms", t.latencyP95Ms());
        nullableNumber(g, "latency_p99_ms", t.latencyP99Ms());
        g.writeObjectFieldStart("errors");
        for (Map.Entry<String, Long> e : t.errors().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void nullableNumber(JsonGenerator g, String name, Long value)
            throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }
}
