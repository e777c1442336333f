package io.deliverymetrics.datadog.model;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One metric the forwarder submits: its name in the REST API, its Datadog name, type, unit and what
 * one series of it describes.
 */
public enum DeliveryMetric {
    SUCCESSES("successes", "event_delivery.successes", Kind.COUNT),
    RETRIED("retried", "event_delivery.retried", Kind.COUNT),
    DISCARDED("discarded", "event_delivery.discarded", Kind.COUNT),
    EXPIRED("expired", "event_delivery.expired", Kind.COUNT),
    FILTERED("filtered", "event_delivery.filtered", Kind.COUNT),
    LATENCY_P50("latency_p50", "event_delivery.latency.p50", Kind.GAUGE, "millisecond"),
    LATENCY_P95("latency_p95", "event_delivery.latency.p95", Kind.GAUGE, "millisecond"),
    LATENCY_P99("latency_p99", "event_delivery.latency.p99", Kind.GAUGE, "millisecond"),

    DESTINATION_STATUS("status", "event_delivery.destination.status", Scope.DESTINATION_TYPE, null),
    DESTINATION_ATTEMPTS(
            "attempts", "event_delivery.destination.attempts", Scope.DESTINATION_TYPE, null),
    DESTINATION_SUCCESS_RATE(
            "success_rate",
            "event_delivery.destination.success_rate",
            Scope.DESTINATION_TYPE,
            "fraction"),
    DESTINATION_LATENCY_P95(
            "latency_p95_ms",
            "event_delivery.destination.latency_p95_ms",
            Scope.DESTINATION_TYPE,
            "millisecond"),
    DESTINATION_WORKSPACES(
            "workspaces", "event_delivery.destination.workspaces", Scope.DESTINATION_TYPE, null),
    DESTINATION_AFFECTED_WORKSPACES(
            "affected_workspaces",
            "event_delivery.destination.affected_workspaces",
            Scope.DESTINATION_TYPE,
            null);

    /** How Datadog stores the metric. */
    public enum Kind {
        /** Events in the bucket; submitted as a count with interval 60 s. */
        COUNT,
        /** A value at the point's minute: a latency percentile, or a destination type's figure. */
        GAUGE
    }

    /** What one series describes, and so which tags it carries. */
    public enum Scope {
        /**
         * A (source → destination) pair of a workspace per minute bucket, from {@code GET
         * /v1/workspaces/{ws}/delivery-metrics}; tags {@code workspace}, {@code source}, {@code
         * destination}.
         */
        PAIR,
        /**
         * A destination type over all workspaces, from {@code GET /v1/destinations} (operator
         * tokens); tag {@code destination_type}, and {@code status} on the status gauge.
         */
        DESTINATION_TYPE
    }

    private final String apiName;
    private final String datadogName;
    private final Kind kind;
    private final Scope scope;
    private final String unit;

    DeliveryMetric(String apiName, String datadogName, Kind kind) {
        this(apiName, datadogName, kind, Scope.PAIR, null);
    }

    DeliveryMetric(String apiName, String datadogName, Kind kind, String unit) {
        this(apiName, datadogName, kind, Scope.PAIR, unit);
    }

    DeliveryMetric(String apiName, String datadogName, Scope scope, String unit) {
        this(apiName, datadogName, Kind.GAUGE, scope, unit);
    }

    DeliveryMetric(String apiName, String datadogName, Kind kind, Scope scope, String unit) {
        this.apiName = apiName;
        this.datadogName = datadogName;
        this.kind = kind;
        this.scope = scope;
        this.unit = unit;
    }

    /** The field of a point (or of a destination type) in the REST API. */
    public String apiName() {
        return apiName;
    }

    public String datadogName() {
        return datadogName;
    }

    public Kind kind() {
        return kind;
    }

    public Scope scope() {
        return scope;
    }

    /** Datadog's unit of the values; null when they have none. */
    public String unit() {
        return unit;
    }

    /** The metrics of {@code scope}, in declaration order. */
    public static List<DeliveryMetric> of(Scope scope) {
        return Arrays.stream(values()).filter(m -> m.scope == scope).toList();
    }

    /** The {@code metrics} query parameter that asks the API for every forwarded pair metric. */
    public static String apiParameter() {
        return of(Scope.PAIR).stream()
                .map(DeliveryMetric::apiName)
                .collect(Collectors.joining(","));
    }

    /** Every Datadog metric name this project submits. */
    public static List<String> datadogNames() {
        return Arrays.stream(values()).map(DeliveryMetric::datadogName).toList();
    }

    /** The Datadog metric names of {@code scope}. */
    public static List<String> datadogNames(Scope scope) {
        return of(scope).stream().map(DeliveryMetric::datadogName).toList();
    }
}
