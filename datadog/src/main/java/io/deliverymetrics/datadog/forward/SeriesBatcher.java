package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.datadog.model.OutgoingPoint;
import io.deliverymetrics.datadog.model.SeriesBatch;
import io.deliverymetrics.datadog.model.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Groups points into series and series into requests that stay within a series count and an upper
 * bound of the uncompressed JSON body (Datadog accepts at most 512,000 bytes per submission).
 */
public final class SeriesBatcher {

    /** {@code {"series":[...]}} around the series. */
    static final int ENVELOPE_BYTES = 16;

    /**
     * One series without its name, tags and points, with margin: {@code
     * {"interval":60,"metric":"","points":[],"tags":[],"type":1,"unit":"millisecond"},}.
     */
    static final int SERIES_BYTES = 128;

    /** One point at most: {@code {"timestamp":<20 digits>,"value":<24 characters>},}. */
    static final int POINT_BYTES = 72;

    private final int maxSeries;
    private final int maxBytes;

    public SeriesBatcher(int maxSeries, int maxBytes) {
        if (maxSeries < 1) {
            throw new IllegalArgumentException("maxSeries must be positive");
        }
        if (maxBytes < ENVELOPE_BYTES + SERIES_BYTES + 1024 + POINT_BYTES) {
            throw new IllegalArgumentException(
                    "maxBytes is too small for one point, was " + maxBytes);
        }
        this.maxSeries = maxSeries;
        this.maxBytes = maxBytes;
    }

    public List<SeriesBatch> batch(Collection<OutgoingPoint> points) {
        TreeMap<SeriesKey, SortedMap<Long, Double>> series = new TreeMap<>();
        for (OutgoingPoint p : points) {
            series.computeIfAbsent(p.series(), k -> new TreeMap<>())
                    .put(p.timestamp().getEpochSecond(), p.value());
        }
        List<SeriesBatch> batches = new ArrayList<>();
        TreeMap<SeriesKey, SortedMap<Long, Double>> current = new TreeMap<>();
        int bytes = ENVELOPE_BYTES;
        for (Map.Entry<SeriesKey, SortedMap<Long, Double>> s : series.entrySet()) {
            for (SortedMap<Long, Double> chunk : chunks(s.getKey(), s.getValue())) {
                int size = estimate(s.getKey(), chunk.size());
                if (!current.isEmpty()
                        && (current.size() >= maxSeries || bytes + size > maxBytes)) {
                    batches.add(new SeriesBatch(current, bytes));
                    current = new TreeMap<>();
                    bytes = ENVELOPE_BYTES;
                }
                if (current.containsKey(s.getKey())) {
                    // Only possible for a series split in chunks: keep each chunk in its own
                    // request.
                    batches.add(new SeriesBatch(current, bytes));
                    current = new TreeMap<>();
                    bytes = ENVELOPE_BYTES;
                }
                current.put(s.getKey(), chunk);
                bytes += size;
            }
        }
        if (!current.isEmpty()) {
            batches.add(new SeriesBatch(current, bytes));
        }
        return batches;
    }

    /** A series' points split so that each part alone fits into one request. */
    private List<SortedMap<Long, Double>> chunks(SeriesKey key, SortedMap<Long, Double> points) {
        int fixed = ENVELOPE_BYTES + estimate(key, 0);
        int perChunk = Math.max(1, (maxBytes - fixed) / POINT_BYTES);
        if (points.size() <= perChunk) {
            return List.of(points);
        }
        List<SortedMap<Long, Double>> out = new ArrayList<>();
        TreeMap<Long, Double> chunk = new TreeMap<>();
        for (Map.Entry<Long, Double> p : points.entrySet()) {
            chunk.put(p.getKey(), p.getValue());
            if (chunk.size() == perChunk) {
                out.add(chunk);
                chunk = new TreeMap<>();
            }
        }
        if (!chunk.isEmpty()) {
            out.add(chunk);
        }
        return out;
    }

    /** An upper bound of the JSON of one series with {@code points} points. */
    static int estimate(SeriesKey key, int points) {
        int bytes = SERIES_BYTES + jsonLength(key.metric().datadogName());
        for (String tag : key.tags()) {
            bytes += jsonLength(tag) + 3; // quotes and comma
        }
        return bytes + points * POINT_BYTES;
    }

    /** Bytes of {@code s} inside a JSON string: UTF-8, with escapes for quotes and controls. */
    static int jsonLength(String s) {
        int bytes = s.getBytes(StandardCharsets.UTF_8).length;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                bytes += 1;
            } else if (c < 0x20) {
                bytes += 5;
            }
        }
        return bytes;
    }
}
