package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental window aggregation; all logic is the core {@link MetricBucket}. */
public final class BucketAggregator
        implements AggregateFunction<DeliveryAttempt, MetricBucket, MetricBucket> {

    private static final long serialVersionUID = 1L;

    @Override
    public MetricBucket createAccumulator() {
        return new MetricBucket();
    }

    @Override
    public MetricBucket add(DeliveryAttempt value, MetricBucket acc) {
        return acc.add(value);
    }

    @Override
    public MetricBucket getResult(MetricBucket acc) {
        return acc;
    }

    @Override
    public MetricBucket merge(MetricBucket a, MetricBucket b) {
        return a.merge(b);
    }
}
