package io.deliverymetrics.api.model;

import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated metrics request: what to read and how to shape it.
 *
 * @param sourceId source filter, {@code null} for any
 * @param destinationId destination filter, {@code null} for any
 * @param start inclusive, as requested (aligned later to the chosen granularity)
 * @param end exclusive, as requested
 * @param granularity the requested tier; empty means {@code auto}
 * @param metrics the metrics to return, in a stable order, at least one
 * @param limit page size over series (or pairs, or error rows)
 * @param after the cursor: only series after this key
 * @param comparePrevious also read the previous range of the same length (immediately before the
 *     resolved start, same tier) and report each series' values over it and the change
 */
public record MetricsQuery(
        String workspaceId,
        String sourceId,
        String destinationId,
        Instant start,
        Instant end,
        Optional<Granularity> granularity,
        List<Metric> metrics,
        GroupBy groupBy,
        int limit,
        Optional<SeriesKey> after,
        boolean comparePrevious) {

    /** A query without the previous range. */
    public MetricsQuery(
            String workspaceId,
            String sourceId,
            String destinationId,
            Instant start,
            Instant end,
            Optional<Granularity> granularity,
            List<Metric> metrics,
            GroupBy groupBy,
            int limit,
            Optional<SeriesKey> after) {
        this(
                workspaceId,
                sourceId,
                destinationId,
                start,
                end,
                granularity,
                metrics,
                groupBy,
                limit,
                after,
                false);
    }

    public MetricsQuery {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(granularity, "granularity");
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(groupBy, "groupBy");
        Objects.requireNonNull(after, "after");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("start must be before end");
        }
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("at least one metric");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }
}
