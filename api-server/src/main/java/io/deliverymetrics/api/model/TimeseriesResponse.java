package io.deliverymetrics.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

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
 * @param nextCursor pass as {@code cursor} for the next page of series; {@code null} on the last
 */
public record TimeseriesResponse(
        String workspaceId,
        ResolvedQuery query,
        String completeThrough,
        String finalThrough,
        @JsonInclude(JsonInclude.Include.NON_NULL) PreviousRange previousRange,
        List<Series> series,
        String nextCursor) {}
