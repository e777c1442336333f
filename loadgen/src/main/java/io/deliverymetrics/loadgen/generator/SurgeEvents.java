package io.deliverymetrics.loadgen.generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The extra events of the workspace surges of a run ({@link IncidentSchedule#surges()}): during a
 * surge of factor f, the workspace receives (f − 1) × its usual event rate on top of its usual
 * events, evenly spaced, each to one of its pairs drawn with the pairs' popularity weights. The
 * run's own events are untouched. Surge events stop at the run's last receipt, so a surge never
 * makes a run longer. The k-th surge event of the run draws everything from a stream of its own.
 */
final class SurgeEvents {

    /** One surge: its workspace's pairs and when its next event is received. */
    private static final class Surge {
        final int[] ranks;
        final double[] cumulativeWeight;
        final long fromMs;
        final long endMs;
        final double perSecond;
        long next;

        Surge(int[] ranks, double[] cumulativeWeight, long fromMs, long endMs, double perSecond) {
            this.ranks = ranks;
            this.cumulativeWeight = cumulativeWeight;
            this.fromMs = fromMs;
            this.endMs = endMs;
            this.perSecond = perSecond;
        }

        long nextMs() {
            long at = fromMs + (long) Math.floor(next * 1000.0 / perSecond);
            return at < endMs ? at : Long.MAX_VALUE;
        }

        int sampleRank(SplittableRandom rng) {
            double u = rng.nextDouble() * cumulativeWeight[cumulativeWeight.length - 1];
            int i = Arrays.binarySearch(cumulativeWeight, u);
            int at = i >= 0 ? i + 1 : -i - 1;
            return ranks[Math.min(at, ranks.length - 1)];
        }
    }

    private final List<Surge> surges;
    private final long seed;
    private long generated;

    private SurgeEvents(List<Surge> surges, long seed) {
        this.surges = surges;
        this.seed = seed;
    }

    /**
     * The surge events of {@code schedule} for a run of {@code ratePerSecond} events whose last
     * event is received at {@code lastReceiptMs}; their streams derive from {@code seed}.
     */
    static SurgeEvents create(
            IncidentSchedule schedule,
            PairCatalog catalog,
            double ratePerSecond,
            long lastReceiptMs,
            long seed) {
        List<Surge> out = new ArrayList<>();
        for (IncidentSchedule.Window w : schedule.surges()) {
            int[] ranks = catalog.ranksOf(w.target());
            double[] cumulative = new double[ranks.length];
            double total = 0;
            for (int i = 0; i < ranks.length; i++) {
                total += catalog.weightAt(ranks[i]);
                cumulative[i] = total;
            }
            double perSecond =
                    (w.factor() - 1) * ratePerSecond * catalog.workspaceShare(w.target());
            if (ranks.length > 0 && perSecond > 0) {
                out.add(
                        new Surge(
                                ranks,
                                cumulative,
                                w.fromMs(),
                                Math.min(w.toMs(), lastReceiptMs + 1),
                                perSecond));
            }
        }
        return new SurgeEvents(List.copyOf(out), seed);
    }

    /** Surge events of no surge: for runs without any. */
    static SurgeEvents none() {
        return new SurgeEvents(List.of(), 0);
    }

    /** When the next surge event is received, or {@link Long#MAX_VALUE} when there is none. */
    long nextMs() {
        long min = Long.MAX_VALUE;
        for (Surge s : surges) {
            min = Math.min(min, s.nextMs());
        }
        return min;
    }

    /** Surge events taken so far. */
    long generated() {
        return generated;
    }

    /**
     * One surge event: its index among the run's surge events, receipt time, pair rank and the
     * stream everything else of it is drawn from.
     */
    record Event(long index, long receivedAtMs, int rank, SplittableRandom rng) {}

    /** Takes the surge event due at {@link #nextMs()}. */
    Event take() {
        Surge due = null;
        for (Surge s : surges) {
            if (due == null || s.nextMs() < due.nextMs()) {
                due = s;
            }
        }
        if (due == null || due.nextMs() == Long.MAX_VALUE) {
            throw new IllegalStateException("no surge event is due");
        }
        long index = generated++;
        long at = due.nextMs();
        due.next++;
        SplittableRandom rng = new SplittableRandom(Ids.mix(seed, index));
        return new Event(index, at, due.sampleRank(rng), rng);
    }
}
