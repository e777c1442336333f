package io.deliverymetrics.datadog.model;

import java.util.List;
import java.util.Objects;

/** A Datadog time series: metric name plus its tags, in a fixed order. */
public record SeriesKey(DeliveryMetric metric, List<String> tags) implements Comparable<SeriesKey> {

    public SeriesKey {
        Objects.requireNonNull(metric, "metric");
        tags = List.copyOf(tags);
    }

    @Override
    public int compareTo(SeriesKey o) {
        int c = metric.compareTo(o.metric);
        if (c != 0) {
            return c;
        }
        for (int i = 0; i < Math.min(tags.size(), o.tags.size()); i++) {
            c = tags.get(i).compareTo(o.tags.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(tags.size(), o.tags.size());
    }
}
