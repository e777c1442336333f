package io.deliverymetrics.datadog.model;

import java.time.Instant;
import java.util.Objects;

/** One value of one series at a bucket's original start, as it is submitted to Datadog. */
public record OutgoingPoint(SeriesKey series, Instant timestamp, double value) {

    public OutgoingPoint {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
