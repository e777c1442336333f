package io.deliverymetrics.api.model;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code GET …/delivery-metrics/summary}: totals per pair over the range.
 *
 * @param partial whether the range reaches past {@code complete_through} (totals may still grow)
 * @param finalThrough see {@link TimeseriesResponse}
 * @param pairs one object per pair: {@code source_id}, {@code destination_id} and the requested
 *     metrics over the whole range
 */
public record SummaryResponse(
        String workspaceId,
        ResolvedQuery query,
        String completeThrough,
        String finalThrough,
        boolean partial,
        List<Map<String, Object>> pairs,
        String nextCursor) {}
