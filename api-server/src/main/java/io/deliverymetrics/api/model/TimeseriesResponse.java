package io.deliverymetrics.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code GET …/delivery-metrics}.
 *
 * @param completeThrough minutes before this instant are complete on the workspace's shard (the
 *     job's watermark passed them; records up to the allowed lateness behind it may still correct
 *     them); {@code null} until the pipeline has reported progress
 * @param finalThrough minutes before this instant are final: nothing changes their counts any more;
 *     never after {@code completeThrough}, {@code null} with it
 * @param previousRange the previous comparable range with {@code compare=previous} (each series
 *     then carries {@code total}, {@code previous} and {@code change}); absent otherwise
 * @param destinationStatus the pair endpoint's {@code destination_status} (its destination's type
 *     and, when the public status lists the type, the type's public entry); absent on the workspace
 *     endpoint and when the type is not known
 * @param nextCursor pass as {@code cursor} for the next page of series; {@code null} on the last
 */
public record TimeseriesResponse(
        String workspaceId,
        ResolvedQuery query,
        String completeThrough,
        String finalThrough,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> destinationStatus,
        @JsonInclude(JsonInclude.Include.NON_NULL) PreviousRange previousRange,
        List<Series> series,
        String nextCursor) {

    /** This response with {@code destination_status} set ({@code null}: absent). */
    public TimeseriesResponse withDestinationStatus(Map<String, Object> status) {
        return new TimeseriesResponse(
                workspaceId,
                query,
                completeThrough,
                finalThrough,
                status,
                previousRange,
                series,
                nextCursor);
    }
}
