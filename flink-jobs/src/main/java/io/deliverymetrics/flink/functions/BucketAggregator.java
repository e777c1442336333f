package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.flink.model.MinutePartial;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Incremental window aggregation of pre-aggregated partials; all logic is the core {@link
 * MetricBucket} ({@code add} for a lone attempt, {@code merge} for a bucket).
 */
public final class BucketAggregator
        implements AggregateFunction<MinutePartial, MetricBucket, MetricBucket> {

    private static final long serialVersionUID = 1L;

    @Override
    public MetricBucket createAccumulator() {
        return new MetricBucket();
    }

    @Override
    public MetricBucket add(MinutePartial value, MetricBucket acc) {
        return value.addTo(acc);
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
