package io.deliverymetrics.api.model;

import java.util.List;

/**
 * Body of {@code GET …/delivery-errors}: failure counts over the range by outcome and by (outcome,
 * error code), each with its share of all failures.
 *
 * @param finalThrough see {@link TimeseriesResponse}
 * @param totalFailures retried attempts plus discarded and expired events in the range
 * @param truncated whether {@code errors} was cut at the requested limit
 */
public record ErrorsResponse(
        String workspaceId,
        ResolvedQuery query,
        String completeThrough,
        String finalThrough,
        boolean partial,
        long totalFailures,
        List<OutcomeCount> byOutcome,
        List<ErrorCount> errors,
        boolean truncated) {

    /** Failures of one outcome; {@code share} is {@code null} when there were no failures. */
    public record OutcomeCount(String outcome, long count, Double share) {}

    /** Failures of one (outcome, error code); {@code other} collects codes beyond the cap. */
    public record ErrorCount(String outcome, String errorCode, long count, Double share) {}
}
