package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.datadog.config.ForwarderConfig.Workspace;
import io.deliverymetrics.datadog.model.MetricsPage;
import java.time.Instant;
import java.util.Optional;

/** Reads per-pair minute buckets of one workspace: the Delivery Metrics REST API. */
public interface MetricsSource {

    /** One page of {@code [start, end)}; {@code cursor} is the previous page's next cursor. */
    MetricsPage fetch(Workspace workspace, Instant start, Instant end, Optional<String> cursor)
            throws SourceException, InterruptedException;
}
