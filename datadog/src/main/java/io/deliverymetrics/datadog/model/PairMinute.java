package io.deliverymetrics.datadog.model;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One minute bucket of one (source, destination) pair as the REST API returned it; metrics the API
 * reported as {@code null} (latencies without successes) are absent from {@code values}.
 */
public record PairMinute(
        String source,
        String destination,
        Instant start,
        boolean partial,
        Map<DeliveryMetric, Double> values) {

    public PairMinute {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(start, "start");
        values = values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(values));
    }
}
