package io.deliverymetrics.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One series of a timeseries response: its grouped-by ids (absent when not grouped by them) and one
 * point per bucket of the range, gaps included as zeros.
 *
 * <p>Each point is {@code start}, {@code partial} and the requested metrics by wire name.
 */
public record Series(
        @JsonInclude(JsonInclude.Include.NON_NULL) String sourceId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String destinationId,
        List<Map<String, Object>> points) {}
