package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.flink.model.MinutePartial;
import io.deliverymetrics.flink.model.TypeRollup;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Incremental aggregation of a destination type's minute from the pair partials: the metrics
 * exactly as the pair windows merge them ({@link BucketAggregator}), plus each partial's pair and
 * workspace in the distinct-contributor sketches (as affected when it has a retrying, discarded or
 * expired attempt). The destination-type tables keep no event breakdown and no error samples, so
 * the roll-up drops them (the job sends it partials without either: {@link
 * MinutePartial#forTypeRollup}; a lone attempt's event and sample are dropped here).
 */
public final class TypeRollupAggregator
        implements AggregateFunction<MinutePartial, TypeRollup, TypeRollup> {

    private static final long serialVersionUID = 1L;

    private final BucketAggregator buckets = new BucketAggregator();

    @Override
    public TypeRollup createAccumulator() {
        return new TypeRollup(buckets.createAccumulator(), new DistinctContributors());
    }

    @Override
    public TypeRollup add(MinutePartial value, TypeRollup acc) {
        buckets.add(value, acc.bucket());
        acc.bucket().withoutSamples().withoutEvents();
        acc.contributors().add(value.pair(), value.affected());
        return acc;
    }

    @Override
    public TypeRollup getResult(TypeRollup acc) {
        return acc;
    }

    @Override
    public TypeRollup merge(TypeRollup a, TypeRollup b) {
        buckets.merge(a.bucket(), b.bucket());
        a.contributors().merge(b.contributors());
        return a;
    }
}
