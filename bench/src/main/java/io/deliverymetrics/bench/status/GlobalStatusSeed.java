package io.deliverymetrics.bench.status;

import io.deliverymetrics.bench.config.StatusSettings;
import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.loadgen.generator.Zipf;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Who sends to which destination type in the destination status benchmark's global database, and
 * the type rows built from their synthetic attempts with core's {@link MetricBucket} and {@link
 * DistinctContributors}, as the job rolls pairs up per type.
 *
 * <p>Types have Zipf popularity (exponent {@value #TYPE_POPULARITY}); each workspace sends to 1 to
 * {@code maxTypesPerWorkspace} distinct types, one pair per type, at its own rate (log-normal
 * around {@value #MEDIAN_ATTEMPTS_PER_MINUTE} attempts per pair and minute). Attempts are mostly
 * deliveries (latency log-normal around the type's own median of 80–800 ms) with some {@code
 * http_429} retries, {@code http_400} discards, expiries and filtered events. From the incident's
 * start, part of an incident type's workspaces fail most attempts with {@code http_503}: 80 % of
 * them 90 % of their attempts for an outage, 40 % of them half of theirs for a degraded type.
 */
final class GlobalStatusSeed {

    static final double TYPE_POPULARITY = 1.1;
    static final double MEDIAN_ATTEMPTS_PER_MINUTE = 0.3;
    static final String SOURCE = "src_0";

    private static final double OUTAGE_SHARE = 0.8;
    private static final double OUTAGE_LOSS = 0.9;
    private static final double DEGRADED_SHARE = 0.4;
    private static final double DEGRADED_LOSS = 0.5;
    private static final int POISSON_EXACT_BELOW = 30;

    /** One workspace's pair to a type, its rate, and whether the type's incident hits it. */
    record Sender(PairKey pair, double attemptsPerMinute, boolean hitByIncident) {}

    /**
     * @param types type names, most popular first
     * @param senders per type, its senders
     * @param latencyMedianMs per type, the median of its delivery latencies
     * @param incidentLoss per incident type, the share of a hit sender's attempts that fail
     */
    record Plan(
            List<String> types,
            Map<String, List<Sender>> senders,
            Map<String, Double> latencyMedianMs,
            Map<String, Double> incidentLoss,
            Set<String> outage,
            Set<String> degraded) {

        long pairs() {
            return senders.values().stream().mapToLong(List::size).sum();
        }
    }

    private GlobalStatusSeed() {}

    /**
     * Who sends to which type. The outage types are the popular ranks 1, 3, 5, …, the degraded ones
     * 2, 4, 6, … (rank 0, the most popular, stays healthy).
     */
    static Plan plan(StatusSettings s, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> types = new ArrayList<>(s.types());
        for (int t = 0; t < s.types(); t++) {
            types.add(String.format("dest_%03d", t));
        }
        Set<String> outage = new HashSet<>();
        Set<String> degraded = new HashSet<>();
        Map<String, Double> loss = new LinkedHashMap<>();
        Map<String, Double> share = new LinkedHashMap<>();
        for (int i = 0; i < s.outageTypes(); i++) {
            String t = types.get(Math.min(s.types() - 1, 1 + 2 * i));
            outage.add(t);
            loss.put(t, OUTAGE_LOSS);
            share.put(t, OUTAGE_SHARE);
        }
        for (int i = 0, rank = 2; i < s.degradedTypes() && rank < s.types(); rank++) {
            String t = types.get(rank);
            if (!outage.contains(t) && rank % 2 == 0) {
                degraded.add(t);
                loss.put(t, DEGRADED_LOSS);
                share.put(t, DEGRADED_SHARE);
                i++;
            }
        }
        Map<String, Double> latency = new LinkedHashMap<>();
        Map<String, List<Sender>> senders = new LinkedHashMap<>();
        for (String t : types) {
            latency.put(t, 80 + 720 * rng.nextDouble());
            senders.put(t, new ArrayList<>());
        }
        Zipf popularity = new Zipf(s.types(), TYPE_POPULARITY);
        int perWorkspace = Math.min(s.maxTypesPerWorkspace(), s.types());
        for (int w = 0; w < s.workspaces(); w++) {
            String ws = String.format("ws_%05d", w);
            double rate = Math.min(20, MEDIAN_ATTEMPTS_PER_MINUTE * Math.exp(rng.nextGaussian()));
            int count = 1 + rng.nextInt(perWorkspace);
            Set<Integer> chosen = new HashSet<>();
            while (chosen.size() < count) {
                chosen.add(popularity.sample(rng));
            }
            for (int rank : chosen) {
                String t = types.get(rank);
                boolean hit = share.containsKey(t) && rng.nextDouble() < share.get(t);
                senders.get(t).add(new Sender(new PairKey(ws, SOURCE, "dst_" + t), rate, hit));
            }
        }
        return new Plan(
                List.copyOf(types),
                senders,
                latency,
                loss,
                Set.copyOf(outage),
                Set.copyOf(degraded));
    }

    /**
     * The row of {@code type} for the bucket {@code [start, start + length)}: every sender's
     * attempts added into one {@link MetricBucket}, and every sender with an attempt counted in the
     * {@link DistinctContributors} (affected when one of them failed). The incident applies when
     * the bucket starts at or after {@code incidentFrom}.
     */
    static TypeBucket row(
            Plan plan,
            String type,
            Instant start,
            Duration length,
            Instant incidentFrom,
            SplittableRandom rng) {
        MetricBucket bucket = new MetricBucket();
        DistinctContributors contributors = new DistinctContributors();
        double minutes = length.toSeconds() / 60.0;
        boolean incident = !start.isBefore(incidentFrom);
        double loss = plan.incidentLoss().getOrDefault(type, 0.0);
        double medianMs = plan.latencyMedianMs().get(type);
        long spanMs = length.toMillis();
        for (Sender sender : plan.senders().get(type)) {
            long n = count(sender.attemptsPerMinute() * minutes, rng);
            boolean affected = false;
            for (long i = 0; i < n; i++) {
                Instant received = start.plusMillis(rng.nextLong(spanMs));
                double roll = rng.nextDouble();
                Outcome outcome;
                String code = null;
                if (incident && sender.hitByIncident() && roll < loss) {
                    outcome = rng.nextBoolean() ? Outcome.DISCARDED : Outcome.RETRYING;
                    code = "http_503";
                } else {
                    double r = rng.nextDouble();
                    if (r < 0.02) {
                        outcome = Outcome.RETRYING;
                        code = "http_429";
                    } else if (r < 0.03) {
                        outcome = Outcome.DISCARDED;
                        code = "http_400";
                    } else if (r < 0.033) {
                        outcome = Outcome.EXPIRED;
                        code = "timeout";
                    } else if (r < 0.04) {
                        outcome = Outcome.FILTERED;
                    } else {
                        outcome = Outcome.DELIVERED;
                    }
                }
                long latencyMs =
                        Math.min(60_000, Math.round(medianMs * Math.exp(0.6 * rng.nextGaussian())));
                PairKey p = sender.pair();
                bucket.add(
                        new DeliveryAttempt(
                                p.workspaceId(),
                                p.sourceId(),
                                p.destinationId(),
                                "evt",
                                outcome == Outcome.DELIVERED && rng.nextInt(10) == 0 ? 2 : 1,
                                outcome,
                                code,
                                received,
                                received.plusMillis(latencyMs),
                                type,
                                "track",
                                null,
                                null));
                affected |= outcome.isFailure();
            }
            if (n > 0) {
                contributors.add(sender.pair(), affected);
            }
        }
        return new TypeBucket(type, start, bucket, contributors);
    }

    /**
     * The merge of {@code rows} as the bucket starting at {@code start}, as compaction makes it.
     */
    static TypeBucket merged(String type, Instant start, List<TypeBucket> rows) {
        MetricBucket bucket = new MetricBucket();
        DistinctContributors contributors = new DistinctContributors();
        for (TypeBucket r : rows) {
            bucket.merge(r.bucket());
            contributors.merge(r.contributors());
        }
        return new TypeBucket(type, start, bucket, contributors);
    }

    /** A Poisson count with this mean (normal approximation for large means). */
    static long count(double mean, SplittableRandom rng) {
        if (mean < POISSON_EXACT_BELOW) {
            double limit = Math.exp(-mean);
            double product = rng.nextDouble();
            long k = 0;
            while (product > limit) {
                k++;
                product *= rng.nextDouble();
            }
            return k;
        }
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.nextGaussian()));
    }
}
