package io.deliverymetrics.api.status;

import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.status.StatusClassifier;
import io.deliverymetrics.core.status.StatusClassifier.Assessment;
import io.deliverymetrics.core.time.Completeness;
import io.deliverymetrics.core.time.Granularity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The status of every destination type, computed with core's {@link StatusClassifier} from the
 * global database and cached.
 *
 * <p>The horizon is the {@code status.horizon} minutes before the global {@code complete_through}
 * (the start of the current minute until the job has reported). Each of its minutes is judged on
 * the {@code status.window} of minute rows ending with it, against a baseline merged from the
 * {@code status.baseline} hours before the horizon's first hour: hour rows up to the global hour
 * tier's {@code compacted_through}, minute rows after it (as the workspace endpoints union the
 * tiers). One more minute before the horizon is judged too, so that a status run that began exactly
 * at the horizon's start is told from one that began earlier.
 *
 * <p>The answer depends only on {@code complete_through} (and rows that are complete), so it is
 * computed once per value: it is served for {@code status.cache-max-age} without reading anything,
 * then one request reads the progress and, when it has moved, computes the answer again. Requests
 * that arrive meanwhile get the answer being replaced (its {@code complete_through} says which
 * minute it covers) instead of waiting; only before the first answer exists do they wait for it. So
 * the status is at most one computation behind, and a move of the progress costs one request the
 * computation's time instead of stalling every request that arrives during it.
 */
public final class DestinationStatusService {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private record Key(Instant completeThrough, Instant end) {}

    private record Cached(Key key, DestinationStatusReport report, long checkedAtNanos) {}

    private final GlobalReader reader;
    private final StatusClassifier classifier;
    private final ApiConfig.Status config;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Cached cached;

    /**
     * @param clock gives the current minute while the global database has no progress
     * @param nanoTime a monotonic clock for the cache's age ({@code System::nanoTime})
     */
    public DestinationStatusService(
            GlobalReader reader, ApiConfig.Status config, Clock clock, LongSupplier nanoTime) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.config = Objects.requireNonNull(config, "config");
        this.classifier = new StatusClassifier(config.thresholds());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** The current report: cached, or computed when {@code complete_through} has moved. */
    public DestinationStatusReport current() {
        Cached c = cached;
        if (fresh(c)) {
            return c.report();
        }
        if (!lock.tryLock()) {
            if (c != null) {
                // Another request is reading the progress or computing: the answer it replaces.
                return c.report();
            }
            lock.lock();
        }
        try {
            c = cached;
            if (fresh(c)) {
                return c.report();
            }
            long checkedAt = nanoTime.getAsLong();
            Optional<Completeness> progress = reader.completeness();
            Instant completeThrough = progress.map(Completeness::completeThrough).orElse(null);
            Key key =
                    new Key(
                            completeThrough,
                            completeThrough != null
                                    ? completeThrough
                                    : Granularity.MINUTE.floor(clock.instant()));
            DestinationStatusReport report =
                    c != null && c.key().equals(key) ? c.report() : compute(key);
            cached = new Cached(key, report, checkedAt);
            return report;
        } finally {
            lock.unlock();
        }
    }

    private boolean fresh(Cached c) {
        return c != null
                && nanoTime.getAsLong() - c.checkedAtNanos() < config.cacheMaxAge().toNanos();
    }

    private DestinationStatusReport compute(Key key) {
        int window = config.thresholds().windowMinutes();
        Instant end = key.end();
        Instant horizonStart = end.minus(config.horizon());
        Instant judgedFrom = horizonStart.minus(MINUTE);
        Instant minutesFrom = judgedFrom.minus(MINUTE.multipliedBy(window - 1L));
        Instant baselineEnd = Granularity.HOUR.floor(horizonStart);
        Instant baselineStart = baselineEnd.minus(config.baseline());
        Instant split =
                reader.compactedThrough(Granularity.HOUR)
                        .map(Granularity.HOUR::floor)
                        .map(t -> t.isBefore(baselineStart) ? baselineStart : t)
                        .map(t -> t.isAfter(baselineEnd) ? baselineEnd : t)
                        .orElse(baselineStart);

        Map<String, MetricBucket> baselines = new TreeMap<>();
        Map<String, List<TypeBucket>> minutes = new TreeMap<>();
        if (split.isAfter(baselineStart)) {
            for (TypeBucket row : reader.rows(Granularity.HOUR, null, baselineStart, split)) {
                baselines
                        .computeIfAbsent(row.destinationType(), k -> new MetricBucket())
                        .merge(row.bucket());
            }
        }
        Instant minuteRowsFrom = split.isBefore(minutesFrom) ? split : minutesFrom;
        for (TypeBucket row : reader.rows(Granularity.MINUTE, null, minuteRowsFrom, end)) {
            Instant t = row.bucketStart();
            if (!t.isBefore(split) && t.isBefore(baselineEnd)) {
                baselines
                        .computeIfAbsent(row.destinationType(), k -> new MetricBucket())
                        .merge(row.bucket());
            }
            if (!t.isBefore(minutesFrom)) {
                minutes.computeIfAbsent(row.destinationType(), k -> new ArrayList<>()).add(row);
            }
        }

        TreeMap<String, Boolean> types = new TreeMap<>();
        baselines.keySet().forEach(t -> types.put(t, true));
        minutes.keySet().forEach(t -> types.put(t, true));
        List<DestinationStatusReport.TypeStatus> out = new ArrayList<>();
        for (String type : types.keySet()) {
            MetricBucket baseline = baselines.getOrDefault(type, new MetricBucket());
            List<Assessment> judged =
                    classifier.classify(
                            baseline, minutes.getOrDefault(type, List.of()), judgedFrom, end);
            Assessment now = judged.get(judged.size() - 1);
            MetricBucket last = new MetricBucket();
            Instant windowStart = end.minus(MINUTE.multipliedBy(window));
            for (TypeBucket row : minutes.getOrDefault(type, List.of())) {
                if (!row.bucketStart().isBefore(windowStart)) {
                    last.merge(row.bucket());
                }
            }
            Instant since = StatusClassifier.since(judged);
            boolean exact = since.isAfter(judgedFrom);
            out.add(
                    new DestinationStatusReport.TypeStatus(
                            type,
                            now.status().wireName(),
                            exact ? since : horizonStart,
                            exact,
                            now.attempts(),
                            last.successRate(),
                            now.p95Ms(),
                            baseline.successRate(),
                            now.baselineP95Ms(),
                            now.workspaces(),
                            now.affectedWorkspaces(),
                            now.reason()));
        }
        return new DestinationStatusReport(
                key.completeThrough(),
                horizonStart,
                end,
                baselineStart,
                baselineEnd,
                window,
                List.copyOf(out));
    }
}
