package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.datadog.model.DeliveryMetric;
import io.deliverymetrics.datadog.model.OutgoingPoint;
import io.deliverymetrics.datadog.model.PairMinute;
import io.deliverymetrics.datadog.model.SeriesKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns the API's complete minute buckets into Datadog points: one per metric, at the bucket's
 * start, tagged {@code workspace:}, {@code source:}, {@code destination:} and the configured extra
 * tags. Partial buckets and undefined latencies produce nothing.
 */
public final class PointMapper {

    private final List<String> extraTags;

    public PointMapper(List<String> extraTags) {
        this.extraTags = List.copyOf(extraTags);
    }

    public List<OutgoingPoint> points(String workspace, Collection<PairMinute> minutes) {
        List<OutgoingPoint> out = new ArrayList<>();
        for (PairMinute m : minutes) {
            if (m.partial()) {
                continue;
            }
            List<String> tags = tags(workspace, m.source(), m.destination());
            for (Map.Entry<DeliveryMetric, Double> v : m.values().entrySet()) {
                if (v.getValue() != null && Double.isFinite(v.getValue())) {
                    out.add(
                            new OutgoingPoint(
                                    new SeriesKey(v.getKey(), tags), m.start(), v.getValue()));
                }
            }
        }
        return out;
    }

    List<String> tags(String workspace, String source, String destination) {
        List<String> tags = new ArrayList<>(3 + extraTags.size());
        tags.add("workspace:" + workspace);
        tags.add("source:" + source);
        tags.add("destination:" + destination);
        tags.addAll(extraTags);
        return tags;
    }
}
