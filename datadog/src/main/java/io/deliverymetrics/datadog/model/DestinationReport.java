package io.deliverymetrics.datadog.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The API's destination status ({@code GET /v1/destinations}) as far as the forwarder sends it.
 *
 * @param completeThrough the minutes the figures describe end here; empty until the pipeline
 *     reported
 */
public record DestinationReport(
        Optional<Instant> completeThrough, List<DestinationTypeStatus> types) {

    public DestinationReport {
        Objects.requireNonNull(completeThrough, "completeThrough");
        types = List.copyOf(types);
    }
}
