package io.deliverymetrics.api.model;

import java.util.List;

/**
 * The query as the server resolved it, echoed in every response: the chosen granularity and the
 * range aligned to it (start floored, end ceiled), ISO-8601 UTC.
 *
 * @param requestedGranularity {@code auto} or the explicit tier asked for
 * @param source the source filter or {@code null}
 * @param destination the destination filter or {@code null}
 * @param groupBy {@code none}, {@code pair}, {@code source} or {@code destination}
 */
public record ResolvedQuery(
        String start,
        String end,
        String granularity,
        String requestedGranularity,
        String source,
        String destination,
        String groupBy,
        List<String> metrics) {}
