package io.deliverymetrics.api.query;

import java.util.List;

/** The metrics endpoints and the query parameters each accepts. */
public enum QueryKind {
    /** {@code GET /v1/workspaces/{workspace_id}/delivery-metrics}. */
    TIMESERIES(
            List.of(
                    "start",
                    "end",
                    "source",
                    "destination",
                    "granularity",
                    "metrics",
                    "group_by",
                    "limit",
                    "cursor",
                    "compare")),
    /** {@code GET …/sources/{source_id}/destinations/{destination_id}/delivery-metrics}. */
    PAIR_TIMESERIES(
            List.of(
                    "start",
                    "end",
                    "granularity",
                    "metrics",
                    "group_by",
                    "limit",
                    "cursor",
                    "compare")),
    /** {@code GET …/delivery-metrics/summary}: totals per pair. */
    SUMMARY(
            List.of(
                    "start",
                    "end",
                    "source",
                    "destination",
                    "granularity",
                    "metrics",
                    "group_by",
                    "limit",
                    "cursor",
                    "compare")),
    /** {@code GET …/delivery-errors}. */
    ERRORS(List.of("start", "end", "source", "destination", "granularity", "limit")),
    /** {@code GET …/sources/{source_id}/destinations/{destination_id}/errors/samples}. */
    SAMPLES(List.of("start", "end", "granularity", "code", "outcome")),
    /**
     * {@code GET /v1/destinations/{destination_type}/delivery-metrics}: one type, all workspaces.
     */
    DESTINATION_TYPE(List.of("start", "end", "granularity", "metrics"));

    private final List<String> parameters;

    QueryKind(List<String> parameters) {
        this.parameters = parameters;
    }

    /** The accepted query parameter names, in documentation order. */
    public List<String> parameters() {
        return parameters;
    }
}
