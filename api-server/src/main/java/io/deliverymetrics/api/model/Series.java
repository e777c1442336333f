package io.deliverymetrics.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One series of a timeseries response: its grouped-by ids (absent when not grouped by them) and one
 * point per bucket of the range, gaps included as zeros.
 *
 * <p>Each point is {@code start}, {@code partial} and the requested metrics by wire name ({@link
 * SeriesPoints}).
 *
 * @param overflow {@code true} for the workspace's overflow pair (or a group of it), which counts
 *     the attempts of the pairs beyond the job's cap on distinct active pairs; absent otherwise
 */
public record Series(
        @JsonInclude(JsonInclude.Include.NON_NULL) String sourceId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String destinationId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean overflow,
        SeriesPoints points) {

    /** The series of {@code key}, marked when it is the overflow pair's. */
    public static Series of(SeriesKey key, SeriesPoints points) {
        return new Series(
                key.sourceId(),
                key.destinationId(),
                key.isOverflow() ? Boolean.TRUE : null,
                points);
    }
}
