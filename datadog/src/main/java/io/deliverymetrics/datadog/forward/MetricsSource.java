package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.datadog.config.ForwarderConfig.Workspace;
import io.deliverymetrics.datadog.model.DestinationReport;
import io.deliverymetrics.datadog.model.MetricsPage;
import java.time.Instant;
import java.util.Optional;

/** Reads delivery metrics: the Delivery Metrics REST API. */
public interface MetricsSource {

    /** One page of {@code [start, end)}; {@code cursor} is the previous page's next cursor. */
    MetricsPage fetch(Workspace workspace, Instant start, Instant end, Optional<String> cursor)
            throws SourceException, InterruptedException;

    /**
     * The destination status of every destination type; needs an operator token (a workspace token
     * is answered 403).
     */
    DestinationReport destinations(String operatorToken)
            throws SourceException, InterruptedException;
}
