package io.deliverymetrics.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.deliverymetrics.core.model.PairKey;
import java.util.List;
import java.util.Map;

/**
 * One series of a timeseries response: its grouped-by ids (absent when not grouped by them) and one
 * point per bucket of the range, gaps included as zeros.
 *
 * <p>Each point is {@code start}, {@code partial} and the requested metrics by wire name.
 *
 * @param overflow {@code true} for the workspace's overflow pair (or a group of it), which counts
 *     the attempts of the pairs beyond the job's cap on distinct active pairs; absent otherwise
 */
public record Series(
        @JsonInclude(JsonInclude.Include.NON_NULL) String sourceId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String destinationId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean overflow,
        List<Map<String, Object>> points) {

    /** A series; {@code overflow} is set when its ids are the overflow pair's. */
    public static Series of(
            String sourceId, String destinationId, List<Map<String, Object>> points) {
        boolean overflow =
                PairKey.OVERFLOW_ID.equals(sourceId) || PairKey.OVERFLOW_ID.equals(destinationId);
        return new Series(sourceId, destinationId, overflow ? Boolean.TRUE : null, points);
    }
}
