package io.deliverymetrics.api.model;

import java.util.List;

/**
 * Body of {@code GET …/delivery-metrics}.
 *
 * @param completeThrough minutes before this instant are final on the workspace's shard; {@code
 *     null} until the pipeline has reported progress
 * @param nextCursor pass as {@code cursor} for the next page of series; {@code null} on the last
 */
public record TimeseriesResponse(
        String workspaceId,
        ResolvedQuery query,
        String completeThrough,
        List<Series> series,
        String nextCursor) {}
