package io.deliverymetrics.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code GET …/delivery-metrics/summary}: totals per pair (or per event type or event name
 * with {@code group_by=event_type|event_name}) over the range.
 *
 * @param partial whether the range reaches past {@code complete_through} (totals may still grow)
 * @param finalThrough see {@link TimeseriesResponse}
 * @param previousRange the previous comparable range with {@code compare=previous}; absent
 *     otherwise
 * @param pairs one object per pair: {@code source_id}, {@code destination_id} and the requested
 *     metrics over the whole range (with {@code previous} and {@code change} when compared); absent
 *     when grouped by event
 * @param events one object per event type ({@code event_type}) or event name ({@code event_type},
 *     {@code event_name}), shaped like a pair; present only when grouped by event
 */
public record SummaryResponse(
        String workspaceId,
        ResolvedQuery query,
        String completeThrough,
        String finalThrough,
        boolean partial,
        @JsonInclude(JsonInclude.Include.NON_NULL) PreviousRange previousRange,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Map<String, Object>> pairs,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Map<String, Object>> events,
        String nextCursor) {}
