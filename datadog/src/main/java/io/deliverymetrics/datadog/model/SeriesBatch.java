package io.deliverymetrics.datadog.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One request's worth of series, each with its points by timestamp (epoch seconds), kept under
 * Datadog's payload limits by {@code SeriesBatcher}. Series and points are sorted, so a payload is
 * deterministic.
 *
 * @param estimatedBytes an upper bound of the uncompressed JSON body
 */
public record SeriesBatch(
        SortedMap<SeriesKey, SortedMap<Long, Double>> series, int estimatedBytes) {

    public SeriesBatch {
        TreeMap<SeriesKey, SortedMap<Long, Double>> copy = new TreeMap<>();
        series.forEach((k, v) -> copy.put(k, Collections.unmodifiableSortedMap(new TreeMap<>(v))));
        series = Collections.unmodifiableSortedMap(copy);
    }

    /** Every point of the batch. */
    public List<OutgoingPoint> points() {
        List<OutgoingPoint> out = new ArrayList<>();
        for (Map.Entry<SeriesKey, SortedMap<Long, Double>> s : series.entrySet()) {
            for (Map.Entry<Long, Double> p : s.getValue().entrySet()) {
                out.add(
                        new OutgoingPoint(
                                s.getKey(), Instant.ofEpochSecond(p.getKey()), p.getValue()));
            }
        }
        return out;
    }

    public int pointCount() {
        return series.values().stream().mapToInt(Map::size).sum();
    }
}
