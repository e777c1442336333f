package io.deliverymetrics.api.status;

import io.deliverymetrics.api.model.DestinationSeriesResponse;
import io.deliverymetrics.api.model.MetricValues;
import io.deliverymetrics.api.model.ResolvedQuery;
import io.deliverymetrics.api.query.QueryParser.DestinationTypeQuery;
import io.deliverymetrics.api.query.ReadPlan;
import io.deliverymetrics.api.query.ReadSegment;
import io.deliverymetrics.api.query.Resolution;
import io.deliverymetrics.api.query.TierResolver;
import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.time.Completeness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One destination type's series over all workspaces, from the global tables: the tier chosen like a
 * workspace's series ({@link TierResolver}), buckets not compacted yet rolled up from the finer
 * tier ({@link ReadPlan}, the real-time union) with the one {@link MetricBucket#merge}, and the
 * distinct contributing and affected workspaces and pairs merged as sketch unions, so an hour read
 * from minute rows counts a workspace seen in several minutes once.
 */
public final class DestinationMetricsService {

    private final GlobalReader reader;
    private final TierResolver tiers;

    public DestinationMetricsService(GlobalReader reader, TierResolver tiers) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.tiers = Objects.requireNonNull(tiers, "tiers");
    }

    /**
     * The type's points over the query's range; a type without rows in the range has zeros.
     *
     * @throws io.deliverymetrics.api.query.RangeNotServableException when no tier can serve it
     */
    public DestinationSeriesResponse series(DestinationTypeQuery q, Instant now) {
        Resolution r = tiers.resolve(q.granularity(), q.start(), q.end(), now);
        // Progress before the rows it describes: never newer than what is read.
        Optional<Completeness> completeness = reader.completeness();
        MetricBucket[] buckets = new MetricBucket[r.points()];
        DistinctContributors[] contributors = new DistinctContributors[r.points()];
        for (ReadSegment s :
                ReadPlan.plan(r.granularity(), r.start(), r.end(), reader::compactedThrough)) {
            for (TypeBucket row : reader.rows(s.tier(), q.destinationType(), s.start(), s.end())) {
                int i = r.indexOf(row.bucketStart());
                if (buckets[i] == null) {
                    buckets[i] = row.bucket().copy();
                    contributors[i] = row.contributors().copy();
                } else {
                    buckets[i].merge(row.bucket());
                    contributors[i].merge(row.contributors());
                }
            }
        }
        Instant completeThrough = completeness.map(Completeness::completeThrough).orElse(null);
        MetricValues values = new MetricValues(q.metrics());
        List<Map<String, Object>> points = new ArrayList<>(r.points());
        for (int i = 0; i < r.points(); i++) {
            Instant start = r.bucketStart(i);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("start", start.toString());
            p.put(
                    "partial",
                    completeThrough == null
                            || start.plus(r.granularity().size()).isAfter(completeThrough));
            values.putAll(p, buckets[i] == null ? new MetricBucket() : buckets[i]);
            DistinctContributors d = contributors[i];
            p.put("workspaces", d == null ? 0 : d.workspaces());
            p.put("affected_workspaces", d == null ? 0 : d.affectedWorkspaces());
            p.put("pairs", d == null ? 0 : d.pairs());
            p.put("affected_pairs", d == null ? 0 : d.affectedPairs());
            points.add(p);
        }
        return new DestinationSeriesResponse(
                q.destinationType(),
                new ResolvedQuery(
                        r.start().toString(),
                        r.end().toString(),
                        r.granularity().wireName(),
                        q.granularity().map(g -> g.wireName()).orElse("auto"),
                        null,
                        null,
                        "none",
                        q.metrics().stream().map(m -> m.wireName()).toList()),
                completeThrough == null ? null : completeThrough.toString(),
                completeness.map(c -> c.finalThrough().toString()).orElse(null),
                points);
    }
}
