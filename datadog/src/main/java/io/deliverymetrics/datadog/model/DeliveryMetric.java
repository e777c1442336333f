package io.deliverymetrics.datadog.model;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** One metric the forwarder submits: its name in the REST API, its Datadog name and type. */
public enum DeliveryMetric {
    SUCCESSES("successes", "event_delivery.successes", Kind.COUNT),
    RETRIED("retried", "event_delivery.retried", Kind.COUNT),
    DISCARDED("discarded", "event_delivery.discarded", Kind.COUNT),
    EXPIRED("expired", "event_delivery.expired", Kind.COUNT),
    FILTERED("filtered", "event_delivery.filtered", Kind.COUNT),
    LATENCY_P50("latency_p50", "event_delivery.latency.p50", Kind.GAUGE),
    LATENCY_P95("latency_p95", "event_delivery.latency.p95", Kind.GAUGE),
    LATENCY_P99("latency_p99", "event_delivery.latency.p99", Kind.GAUGE);

    /** How Datadog stores the metric. */
    public enum Kind {
        /** Events in the bucket; submitted as a count with interval 60 s. */
        COUNT,
        /** A latency percentile of the bucket in milliseconds. */
        GAUGE
    }

    private final String apiName;
    private final String datadogName;
    private final Kind kind;

    DeliveryMetric(String apiName, String datadogName, Kind kind) {
        this.apiName = apiName;
        this.datadogName = datadogName;
        this.kind = kind;
    }

    /** The field of a point in the REST API, and the value of its {@code metrics} parameter. */
    public String apiName() {
        return apiName;
    }

    public String datadogName() {
        return datadogName;
    }

    public Kind kind() {
        return kind;
    }

    /** The {@code metrics} query parameter that asks the API for every forwarded metric. */
    public static String apiParameter() {
        return Arrays.stream(values())
                .map(DeliveryMetric::apiName)
                .collect(Collectors.joining(","));
    }

    /** Every Datadog metric name this project submits. */
    public static List<String> datadogNames() {
        return Arrays.stream(values()).map(DeliveryMetric::datadogName).toList();
    }
}
