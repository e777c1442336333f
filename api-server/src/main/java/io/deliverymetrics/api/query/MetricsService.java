package io.deliverymetrics.api.query;

import io.deliverymetrics.api.model.Comparison;
import io.deliverymetrics.api.model.ErrorsResponse;
import io.deliverymetrics.api.model.ErrorsResponse.ErrorCount;
import io.deliverymetrics.api.model.ErrorsResponse.OutcomeCount;
import io.deliverymetrics.api.model.GroupBy;
import io.deliverymetrics.api.model.Metric;
import io.deliverymetrics.api.model.MetricValues;
import io.deliverymetrics.api.model.MetricsQuery;
import io.deliverymetrics.api.model.PreviousRange;
import io.deliverymetrics.api.model.ResolvedQuery;
import io.deliverymetrics.api.model.SamplesResponse;
import io.deliverymetrics.api.model.Series;
import io.deliverymetrics.api.model.SeriesKey;
import io.deliverymetrics.api.model.SeriesPoints;
import io.deliverymetrics.api.model.SummaryResponse;
import io.deliverymetrics.api.model.TimeseriesResponse;
import io.deliverymetrics.core.metrics.ErrorKey;
import io.deliverymetrics.core.metrics.ErrorSample;
import io.deliverymetrics.core.metrics.ErrorSamples;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Completeness;
import io.deliverymetrics.core.time.Granularity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Answers metrics queries: resolves the tier, plans the real-time union, streams the shard's rows
 * into a page of series and renders them. Framework-free; the HTTP layer only adapts.
 */
public final class MetricsService {

    private final MetricStore store;
    private final TierResolver tiers;
    private final int maxPagePoints;

    /**
     * @param maxPagePoints most series × buckets per page of series
     */
    public MetricsService(MetricStore store, TierResolver tiers, int maxPagePoints) {
        this.store = Objects.requireNonNull(store, "store");
        this.tiers = Objects.requireNonNull(tiers, "tiers");
        if (maxPagePoints < 1) {
            throw new IllegalArgumentException("maxPagePoints must be positive");
        }
        this.maxPagePoints = maxPagePoints;
    }

    /**
     * One point per bucket of the range for each series of the page. The points are rendered when
     * the answer is written, which {@code meter} is told about too.
     */
    public TimeseriesResponse timeseries(MetricsQuery q, Instant now) {
        return timeseries(q, now, RowMeter.NONE);
    }

    /** {@link #timeseries(MetricsQuery, Instant)}, telling {@code meter} the rows it reads. */
    public TimeseriesResponse timeseries(MetricsQuery q, Instant now, RowMeter meter) {
        Resolution r = tiers.resolve(q.granularity(), q.start(), q.end(), now);
        int limit = Math.max(1, Math.min(q.limit(), maxPagePoints / r.points()));
        RowContent content = content(q);
        Read read = read(q, r, false, limit, content, meter, null);
        List<Series> series = new ArrayList<>();
        MetricValues values = new MetricValues(q.metrics());
        Instant completeThrough = read.completeness.map(Completeness::completeThrough).orElse(null);
        List<Map.Entry<SeriesKey, MetricBucket[]>> page = read.acc.page();
        Previous previous = q.comparePrevious() ? previous(q, r, page, content, now, meter) : null;
        for (Map.Entry<SeriesKey, MetricBucket[]> e : page) {
            SeriesPoints points =
                    new SeriesPoints(
                            e.getValue(),
                            r.start(),
                            r.granularity().size(),
                            completeThrough,
                            values,
                            meter::rendered);
            Comparison.Values comparison = null;
            if (previous != null) {
                MetricBucket total = new MetricBucket();
                for (MetricBucket b : e.getValue()) {
                    if (b != null) {
                        total.merge(b);
                    }
                }
                comparison = previous.compare(e.getKey(), total, q.metrics(), values);
            }
            series.add(new Series(q.groupBy(), e.getKey(), points, comparison));
        }
        return new TimeseriesResponse(
                q.workspaceId(),
                echo(q, r, q.metrics()),
                completeThrough(read.completeness),
                finalThrough(read.completeness),
                null,
                previous == null ? null : previous.range(),
                series,
                read.acc.nextCursor().orElse(null));
    }

    /** Totals over the whole range for each pair (or event) of the page. */
    public SummaryResponse summary(MetricsQuery q, Instant now) {
        return summary(q, now, RowMeter.NONE);
    }

    /** {@link #summary(MetricsQuery, Instant)}, telling {@code meter} the rows it reads. */
    public SummaryResponse summary(MetricsQuery q, Instant now, RowMeter meter) {
        Resolution r = tiers.resolve(q.granularity(), q.start(), q.end(), now);
        RowContent content = content(q);
        Read read = read(q, r, true, q.limit(), content, meter, null);
        List<Map<String, Object>> items = new ArrayList<>();
        MetricValues values = new MetricValues(q.metrics());
        List<Map.Entry<SeriesKey, MetricBucket[]>> page = read.acc.page();
        Previous previous = q.comparePrevious() ? previous(q, r, page, content, now, meter) : null;
        for (Map.Entry<SeriesKey, MetricBucket[]> e : page) {
            Map<String, Object> p = Series.keyFields(q.groupBy(), e.getKey());
            MetricBucket total = e.getValue()[0] == null ? new MetricBucket() : e.getValue()[0];
            values.putAll(p, total);
            if (previous != null) {
                Comparison.Values c = previous.compare(e.getKey(), total, q.metrics(), values);
                p.put("previous", c.previous());
                p.put("change", c.change());
            }
            items.add(p);
        }
        boolean byEvent = q.groupBy().byEvent();
        return new SummaryResponse(
                q.workspaceId(),
                echo(q, r, q.metrics()),
                completeThrough(read.completeness),
                finalThrough(read.completeness),
                isPartial(r.end(), read.completeness),
                previous == null ? null : previous.range(),
                byEvent ? null : items,
                byEvent ? items : null,
                read.acc.nextCursor().orElse(null));
    }

    /** What a query reads besides the counters. */
    private static RowContent content(MetricsQuery q) {
        RowContent content = RowContent.forMetrics(q.metrics());
        return q.groupBy().byEvent() ? content.withEvents() : content;
    }

    /**
     * Reads the range of the same length immediately before {@code r}, on the same tier (with its
     * real-time union), for exactly the series of {@code page}: one total per series.
     */
    private Previous previous(
            MetricsQuery q,
            Resolution r,
            List<Map.Entry<SeriesKey, MetricBucket[]>> page,
            RowContent content,
            Instant now,
            RowMeter meter) {
        Instant start = r.start().minus(Duration.between(r.start(), r.end()));
        Resolution pr = tiers.resolve(Optional.of(r.granularity()), start, r.start(), now);
        Map<SeriesKey, MetricBucket> totals = new HashMap<>();
        if (!page.isEmpty()) {
            Set<SeriesKey> keys = new HashSet<>();
            for (Map.Entry<SeriesKey, MetricBucket[]> e : page) {
                keys.add(e.getKey());
            }
            Read read = read(q, pr, true, keys.size(), content, meter, keys);
            for (Map.Entry<SeriesKey, MetricBucket[]> e : read.acc.page()) {
                totals.put(e.getKey(), e.getValue()[0]);
            }
        }
        return new Previous(new PreviousRange(pr.start().toString(), pr.end().toString()), totals);
    }

    /** The previous range read and its total per series ({@code null}: nothing fell in it). */
    private record Previous(PreviousRange range, Map<SeriesKey, MetricBucket> totals) {
        Comparison.Values compare(
                SeriesKey key, MetricBucket total, List<Metric> metrics, MetricValues values) {
            MetricBucket before = totals.get(key);
            Map<String, Object> current = new LinkedHashMap<>();
            values.putAll(current, total);
            Map<String, Object> previous = new LinkedHashMap<>();
            values.putAll(previous, before == null ? new MetricBucket() : before);
            return Comparison.of(metrics, current, previous);
        }
    }

    /**
     * One scope's attempts over a range merged into one bucket, read as the summary reads them (the
     * given tier or the automatic one, real-time union): the workspace's when {@code sourceId} and
     * {@code destinationId} are null, a destination's, or a pair's.
     */
    public Totals totals(
            String workspaceId,
            String sourceId,
            String destinationId,
            Instant start,
            Instant end,
            Optional<Granularity> granularity,
            Instant now,
            RowContent content,
            RowMeter meter) {
        MetricsQuery q =
                new MetricsQuery(
                        workspaceId,
                        sourceId,
                        destinationId,
                        start,
                        end,
                        granularity,
                        List.of(Metric.SUCCESSES),
                        GroupBy.NONE,
                        1,
                        Optional.empty());
        Resolution r = tiers.resolve(q.granularity(), q.start(), q.end(), now);
        Read read = read(q, r, true, 1, content, meter, null);
        List<Map.Entry<SeriesKey, MetricBucket[]>> page = read.acc.page();
        MetricBucket total =
                page.isEmpty() || page.get(0).getValue()[0] == null
                        ? new MetricBucket()
                        : page.get(0).getValue()[0];
        return new Totals(total, r, read.completeness);
    }

    /**
     * What {@link #totals} read: the merged bucket, the range as served (aligned to its tier) and
     * the shard's completeness.
     */
    public record Totals(
            MetricBucket bucket, Resolution resolution, Optional<Completeness> completeness) {}

    /** Failures over the range by outcome and by (outcome, error code), most frequent first. */
    public ErrorsResponse errors(MetricsQuery q, Instant now) {
        return errors(q, now, RowMeter.NONE);
    }

    /** {@link #errors(MetricsQuery, Instant)}, telling {@code meter} the rows it reads. */
    public ErrorsResponse errors(MetricsQuery q, Instant now, RowMeter meter) {
        Resolution r = tiers.resolve(q.granularity(), q.start(), q.end(), now);
        Read read = read(q, r, true, 1, RowContent.forErrors(), meter, null);
        MetricBucket[] slots = read.acc.page().get(0).getValue();
        MetricBucket total = slots[0] == null ? new MetricBucket() : slots[0];
        long failures = total.retried() + total.discarded() + total.expired();
        List<OutcomeCount> byOutcome = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            if (o.isFailure()) {
                long n =
                        switch (o) {
                            case RETRYING -> total.retried();
                            case DISCARDED -> total.discarded();
                            default -> total.expired();
                        };
                byOutcome.add(new OutcomeCount(o.wireName(), n, share(n, failures)));
            }
        }
        List<Map.Entry<ErrorKey, Long>> rows = new ArrayList<>(total.errors().entrySet());
        rows.sort(
                Map.Entry.<ErrorKey, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()));
        List<ErrorCount> errors = new ArrayList<>();
        for (Map.Entry<ErrorKey, Long> e : rows.subList(0, Math.min(q.limit(), rows.size()))) {
            errors.add(
                    new ErrorCount(
                            e.getKey().outcome().wireName(),
                            e.getKey().errorCode(),
                            e.getValue(),
                            share(e.getValue(), failures)));
        }
        return new ErrorsResponse(
                q.workspaceId(),
                echo(q, r, List.of()),
                completeThrough(read.completeness),
                finalThrough(read.completeness),
                isPartial(r.end(), read.completeness),
                failures,
                byOutcome,
                errors,
                rows.size() > q.limit());
    }

    /**
     * The pair's error samples over the range ({@code q} names the pair): per error key, optionally
     * only those of {@code errorCode} and {@code outcome}, its count and its samples merged over
     * every bucket of the range with {@link MetricBucket#merge}, which keeps the bottom-k of the
     * union.
     */
    public SamplesResponse samples(
            MetricsQuery q,
            Optional<String> errorCode,
            Optional<Outcome> outcome,
            Instant now,
            RowMeter meter) {
        Resolution r = tiers.resolve(q.granularity(), q.start(), q.end(), now);
        Read read = read(q, r, true, 1, RowContent.forSamples(), meter, null);
        MetricBucket[] slots = read.acc.page().get(0).getValue();
        MetricBucket total = slots[0] == null ? new MetricBucket() : slots[0];
        List<Map.Entry<ErrorKey, Long>> rows = new ArrayList<>();
        for (Map.Entry<ErrorKey, Long> e : total.errors().entrySet()) {
            if (errorCode.map(c -> c.equals(e.getKey().errorCode())).orElse(true)
                    && outcome.map(o -> o == e.getKey().outcome()).orElse(true)) {
                rows.add(e);
            }
        }
        rows.sort(
                Map.Entry.<ErrorKey, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()));
        List<SamplesResponse.KeySamples> keys = new ArrayList<>();
        for (Map.Entry<ErrorKey, Long> e : rows) {
            ErrorSamples samples = total.samples().get(e.getKey());
            List<SamplesResponse.Sample> out = new ArrayList<>();
            if (samples != null) {
                for (ErrorSample s : samples.samples()) {
                    out.add(
                            new SamplesResponse.Sample(
                                    s.eventId(),
                                    s.attempt(),
                                    s.outcome().wireName(),
                                    s.errorCode(),
                                    s.completedAt().toString(),
                                    s.eventType(),
                                    s.eventName(),
                                    s.errorMessage()));
                }
            }
            keys.add(
                    new SamplesResponse.KeySamples(
                            e.getKey().outcome().wireName(),
                            e.getKey().errorCode(),
                            e.getValue(),
                            out));
        }
        return new SamplesResponse(
                q.workspaceId(),
                q.sourceId(),
                q.destinationId(),
                echo(q, r, List.of()),
                completeThrough(read.completeness),
                finalThrough(read.completeness),
                isPartial(r.end(), read.completeness),
                null,
                keys);
    }

    /**
     * The destination type the streaming job last saw {@code destinationId} of {@code workspaceId}
     * named by: one primary-key read on the workspace's shard; empty when none of its records named
     * one.
     */
    public Optional<String> destinationType(String workspaceId, String destinationId) {
        try (ShardView view = store.open(workspaceId)) {
            return view.destinationType(workspaceId, destinationId);
        }
    }

    private Read read(
            MetricsQuery q,
            Resolution r,
            boolean totals,
            int limit,
            RowContent content,
            RowMeter meter,
            Set<SeriesKey> only) {
        SeriesAccumulator acc =
                new SeriesAccumulator(r, totals, q.groupBy(), q.after(), limit, only);
        MeteredSink sink = new MeteredSink(acc, meter, content.events());
        try (ShardView view = store.open(q.workspaceId())) {
            // Progress before the rows it describes (ShardView): never newer than what is read.
            Optional<Completeness> completeness = view.completeness();
            // A total over a range with no tier asked for reads each whole hour or day of it from
            // that tier (the overview's 24 h summary of 1,000 pairs: 24,000 hour rows, not 1.44 M
            // minute rows); a series needs every bucket of its own tier.
            List<ReadSegment> plan =
                    totals && q.granularity().isEmpty()
                            ? ReadPlan.planTotal(
                                    r.granularity(), r.start(), r.end(), view::compactedThrough)
                            : ReadPlan.plan(
                                    r.granularity(), r.start(), r.end(), view::compactedThrough);
            for (ReadSegment segment : plan) {
                view.scan(segment, q.workspaceId(), q.sourceId(), q.destinationId(), content, sink);
            }
            return new Read(acc, completeness);
        } finally {
            sink.flush();
        }
    }

    /**
     * Feeds rows to the page and tells the meter about them every {@code CHUNK} rows. With the
     * event breakdown each of a bucket's event rows counts as a row too: a read of a busy pair's
     * breakdown fetches up to {@code MetricBucket.MAX_EVENT_KEYS} of them per bucket.
     */
    private static final class MeteredSink implements RowSink {
        private static final int CHUNK = 1024;
        private final SeriesAccumulator acc;
        private final RowMeter meter;
        private final boolean events;
        private int pending;

        MeteredSink(SeriesAccumulator acc, RowMeter meter, boolean events) {
            this.acc = acc;
            this.meter = meter;
            this.events = events;
        }

        @Override
        public void accept(PairBucket row) {
            acc.accept(row);
            count(events ? 1 + row.bucket().eventKeyCount() : 1);
        }

        @Override
        public boolean wants(PairKey pair) {
            return acc.wants(pair);
        }

        /** A row passed over undecoded still was read: it counts as one. */
        @Override
        public void skipped(PairKey pair) {
            count(1);
        }

        private void count(int rows) {
            pending += rows;
            if (pending >= CHUNK) {
                flush();
            }
        }

        void flush() {
            if (pending > 0) {
                int rows = pending;
                pending = 0;
                meter.read(rows);
            }
        }
    }

    private static boolean isPartial(Instant bucketEnd, Optional<Completeness> completeness) {
        return completeness.isEmpty() || bucketEnd.isAfter(completeness.get().completeThrough());
    }

    private static String completeThrough(Optional<Completeness> completeness) {
        return completeness.map(c -> c.completeThrough().toString()).orElse(null);
    }

    private static String finalThrough(Optional<Completeness> completeness) {
        return completeness.map(c -> c.finalThrough().toString()).orElse(null);
    }

    private static Double share(long n, long of) {
        return of == 0 ? null : (double) n / of;
    }

    private static ResolvedQuery echo(MetricsQuery q, Resolution r, List<Metric> metrics) {
        return new ResolvedQuery(
                r.start().toString(),
                r.end().toString(),
                r.granularity().wireName(),
                q.granularity().map(g -> g.wireName()).orElse("auto"),
                q.sourceId(),
                q.destinationId(),
                q.groupBy() == GroupBy.NONE ? "none" : q.groupBy().wireName(),
                metrics.stream().map(Metric::wireName).toList());
    }

    private record Read(SeriesAccumulator acc, Optional<Completeness> completeness) {}
}
