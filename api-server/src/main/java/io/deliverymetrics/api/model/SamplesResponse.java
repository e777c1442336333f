package io.deliverymetrics.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code GET …/sources/{source_id}/destinations/{destination_id}/errors/samples}: per error
 * key of the pair over the range, its count and up to ten of its failed attempts.
 *
 * @param finalThrough see {@link TimeseriesResponse}
 * @param destinationStatus see {@link TimeseriesResponse}
 * @param errors the error keys asked for, most frequent first
 */
public record SamplesResponse(
        String workspaceId,
        String sourceId,
        String destinationId,
        ResolvedQuery query,
        String completeThrough,
        String finalThrough,
        boolean partial,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> destinationStatus,
        List<KeySamples> errors) {

    /** This response with {@code destination_status} set ({@code null}: absent). */
    public SamplesResponse withDestinationStatus(Map<String, Object> status) {
        return new SamplesResponse(
                workspaceId,
                sourceId,
                destinationId,
                query,
                completeThrough,
                finalThrough,
                partial,
                status,
                errors);
    }

    /**
     * One (outcome, error code) over the range: how many failures it counted and its samples, the
     * failed attempts with the smallest hash of (event id, attempt) among all of the range's.
     */
    public record KeySamples(String outcome, String errorCode, long count, List<Sample> samples) {}

    /**
     * One failed attempt as the stream reported it; {@code errorCode} is the attempt's own, which
     * differs from the key's only in the {@code other} row of codes beyond the cap.
     */
    public record Sample(
            String eventId,
            int attempt,
            String outcome,
            String errorCode,
            String completedAt,
            String eventType,
            String eventName,
            String errorMessage) {}
}
