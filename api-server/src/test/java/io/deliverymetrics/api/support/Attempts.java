package io.deliverymetrics.api.support;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Generates realistic attempts from a seed and turns them into tier rows with MetricBucket.add. */
public final class Attempts {

    private static final String[] CODES = {"http_500", "http_429", "timeout", "http_400", null};

    private Attempts() {}

    /** {@code count} attempts of {@code pair} with completed_at uniform in [from, to). */
    public static List<DeliveryAttempt> generate(
            Random rnd, PairKey pair, Instant from, Instant to, int count) {
        List<DeliveryAttempt> out = new ArrayList<>(count);
        long span = to.toEpochMilli() - from.toEpochMilli();
        for (int i = 0; i < count; i++) {
            Instant at = from.plusMillis((long) (rnd.nextDouble() * span));
            double u = rnd.nextDouble();
            Outcome o =
                    u < 0.70
                            ? Outcome.DELIVERED
                            : u < 0.82
                                    ? Outcome.RETRYING
                                    : u < 0.90
                                            ? Outcome.DISCARDED
                                            : u < 0.95 ? Outcome.EXPIRED : Outcome.FILTERED;
            int attempt = 1;
            while (attempt < 12 && rnd.nextDouble() < 0.3) {
                attempt++;
            }
            long latency =
                    Math.max(1, Math.min(600_000, (long) Math.exp(rnd.nextGaussian() * 1.2 + 5.5)));
            out.add(
                    AttemptBuilder.anAttempt()
                            .pair(pair.workspaceId(), pair.sourceId(), pair.destinationId())
                            .at(at)
                            .attempt(attempt)
                            .latencyMs(latency)
                            .errorCode(CODES[rnd.nextInt(CODES.length)])
                            .outcome(o));
        }
        return out;
    }

    /** One row per (pair, bucket of {@code g}), each built by adding its attempts. */
    public static List<PairBucket> rows(Granularity g, Collection<DeliveryAttempt> attempts) {
        Map<PairKey, TreeMap<Instant, MetricBucket>> byPair = new TreeMap<>();
        for (DeliveryAttempt a : attempts) {
            byPair.computeIfAbsent(a.pair(), k -> new TreeMap<>())
                    .computeIfAbsent(g.floor(a.completedAt()), k -> new MetricBucket())
                    .add(a);
        }
        List<PairBucket> out = new ArrayList<>();
        byPair.forEach(
                (pair, buckets) -> buckets.forEach((t, b) -> out.add(new PairBucket(pair, t, b))));
        return out;
    }

    /** Attempts completed in [from, to) that match {@code filter}. */
    public static List<DeliveryAttempt> select(
            Collection<DeliveryAttempt> attempts,
            Instant from,
            Instant to,
            Predicate<DeliveryAttempt> filter) {
        return attempts.stream()
                .filter(a -> !a.completedAt().isBefore(from) && a.completedAt().isBefore(to))
                .filter(filter)
                .toList();
    }
}
