package io.deliverymetrics.datadog.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One page of a minute-granularity, per-pair time series answer of the REST API.
 *
 * @param completeThrough minutes before this instant are complete; empty until the pipeline
 *     reported
 * @param nextCursor the cursor of the next page; empty on the last page
 */
public record MetricsPage(
        Optional<Instant> completeThrough, List<PairMinute> minutes, Optional<String> nextCursor) {

    public MetricsPage {
        minutes = List.copyOf(minutes);
    }
}
