package io.deliverymetrics.api.model;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code GET /v1/destinations/{destination_type}/delivery-metrics}: one destination type's
 * points over all workspaces.
 *
 * @param completeThrough minutes before this instant are complete in the global tables; {@code
 *     null} until the pipeline has reported progress there
 * @param finalThrough minutes before this instant are final; {@code null} with {@code
 *     completeThrough}
 * @param points one per bucket of the range: {@code start}, {@code partial}, the requested metrics
 *     and the distinct {@code workspaces}, {@code affected_workspaces}, {@code pairs} and {@code
 *     affected_pairs} of the bucket
 */
public record DestinationSeriesResponse(
        String destinationType,
        ResolvedQuery query,
        String completeThrough,
        String finalThrough,
        List<Map<String, Object>> points) {}
