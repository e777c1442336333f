package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.datadog.model.SeriesBatch;
import java.util.List;

/** Submits one batch of series in one request: Datadog's metrics intake. */
public interface MetricsSink {

    /** What the intake answered to an accepted request. */
    record Accepted(int status, List<String> errors) {
        public Accepted {
            errors = List.copyOf(errors);
        }
    }

    Accepted submit(SeriesBatch batch) throws SubmitException;
}
