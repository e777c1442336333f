package io.deliverymetrics.loadgen.generator;

import io.deliverymetrics.loadgen.model.Destination;
import io.deliverymetrics.loadgen.model.FailureProfile;
import io.deliverymetrics.loadgen.model.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The workspaces, sources, destinations and (source, destination) pairs of a run, with each
 * destination's failure profile and a Zipf popularity ranking of the pairs, all derived from the
 * seed.
 */
public final class PairCatalog {

    private static final String[] WORKSPACES = {
        "acme",
        "globex",
        "initech",
        "umbrella",
        "hooli",
        "stark",
        "wayne",
        "wonka",
        "soylent",
        "tyrell",
        "cyberdyne",
        "aperture",
        "vandelay",
        "oscorp",
        "gringotts",
        "piedpiper",
        "massive_dynamic",
        "dunder_mifflin",
        "bluth",
        "prestige",
        "nakatomi",
        "monarch",
        "duff",
        "krusty",
        "ollivanders",
        "zorg",
        "weyland",
        "virtucon",
        "spacely",
        "cogswell"
    };
    private static final String[] SOURCES = {
        "web",
        "ios",
        "android",
        "server",
        "backend",
        "batch",
        "shopify",
        "node",
        "python",
        "java",
        "go",
        "react_native",
        "flutter",
        "unity",
        "webhook_in",
        "csv_import",
        "ruby",
        "php",
        "dotnet",
        "kotlin"
    };
    private final List<Pair> pairs;
    private final List<Pair> byPopularity;
    private final Map<Pair, Destination> destinationOfPair;
    private final List<Destination> destinations;
    private final Pair[] rankToPair;
    private final Destination[] rankToDestination;
    private final String[] rankToKey;
    private final Zipf popularity;

    private PairCatalog(
            List<Pair> pairs,
            Map<Pair, Destination> destinationOfPair,
            List<Destination> dests,
            Pair[] rankToPair,
            double zipfExponent) {
        this.pairs = List.copyOf(pairs);
        this.destinationOfPair = Map.copyOf(destinationOfPair);
        this.destinations = List.copyOf(dests);
        this.rankToPair = rankToPair;
        this.byPopularity = List.of(rankToPair);
        this.rankToDestination = new Destination[rankToPair.length];
        this.rankToKey = new String[rankToPair.length];
        this.popularity = new Zipf(rankToPair.length, zipfExponent);
        for (int r = 0; r < rankToPair.length; r++) {
            rankToDestination[r] = destinationOfPair.get(rankToPair[r]);
            rankToKey[r] = rankToPair[r].key();
        }
    }

    /**
     * Builds the catalog: {@code pairs} spread evenly over {@code workspaces}; a workspace with n
     * pairs has about sqrt(n) sources and sqrt(n) destinations. Each destination's type is drawn
     * from {@code typeRng} with the types' Zipf popularity, and names it: {@code dst_braze}, a
     * second one of the workspace {@code dst_braze_2}.
     */
    public static PairCatalog create(
            int workspaces,
            int pairCount,
            double zipfExponent,
            SplittableRandom rng,
            SplittableRandom typeRng) {
        List<Pair> pairs = new ArrayList<>(pairCount);
        List<Destination> dests = new ArrayList<>();
        Map<Pair, Destination> destinationOfPair = new HashMap<>();
        for (int w = 0; w < workspaces; w++) {
            String ws = "ws_" + name(WORKSPACES, w);
            int n = pairCount / workspaces + (w < pairCount % workspaces ? 1 : 0);
            int sourceCount = (int) Math.ceil(Math.sqrt(n));
            int destinationCount = (n + sourceCount - 1) / sourceCount;
            List<Destination> wsDests = new ArrayList<>(destinationCount);
            Map<String, Integer> sameType = new HashMap<>();
            for (int d = 0; d < destinationCount; d++) {
                String type = EventContent.destinationType(typeRng);
                int k = sameType.merge(type, 1, Integer::sum);
                String id = "dst_" + type.replace('-', '_') + (k == 1 ? "" : "_" + k);
                wsDests.add(destination(ws, id, type, rng));
            }
            dests.addAll(wsDests);
            List<int[]> combos = new ArrayList<>(sourceCount * destinationCount);
            for (int s = 0; s < sourceCount; s++) {
                for (int d = 0; d < destinationCount; d++) {
                    combos.add(new int[] {s, d});
                }
            }
            shuffle(combos, rng);
            List<int[]> chosen = new ArrayList<>(combos.subList(0, n));
            chosen.sort((a, b) -> a[0] != b[0] ? a[0] - b[0] : a[1] - b[1]);
            for (int[] c : chosen) {
                Destination dest = wsDests.get(c[1]);
                Pair pair = new Pair(ws, "src_" + name(SOURCES, c[0]), dest.destinationId());
                pairs.add(pair);
                destinationOfPair.put(pair, dest);
            }
        }
        List<Pair> ranking = new ArrayList<>(pairs);
        shuffle(ranking, rng);
        return new PairCatalog(
                pairs, destinationOfPair, dests, ranking.toArray(new Pair[0]), zipfExponent);
    }

    private static Destination destination(
            String ws, String id, String type, SplittableRandom rng) {
        double p = rng.nextDouble();
        FailureProfile profile =
                p < 0.55
                        ? FailureProfile.HEALTHY
                        : p < 0.70
                                ? FailureProfile.RATE_LIMITED
                                : p < 0.85 ? FailureProfile.FLAKY : FailureProfile.REJECTING;
        double median = Draws.logUniform(rng, 60, 400);
        double f = rng.nextDouble();
        double filterShare = f < 0.5 ? 0 : f < 0.8 ? 0.01 : 0.05;
        long timeoutMs = rng.nextDouble() < 0.7 ? 10_000 : 30_000;
        return new Destination(ws, id, profile, median, filterShare, timeoutMs, type);
    }

    /** {@code base}, then {@code base_2}, {@code base_3}… once the name list is used up. */
    private static String name(String[] names, int index) {
        String base = names[index % names.length];
        int round = index / names.length;
        return round == 0 ? base : base + "_" + (round + 1);
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, rng.nextInt(i + 1));
        }
    }

    /** All pairs, grouped by workspace then source. */
    public List<Pair> pairs() {
        return pairs;
    }

    /** All pairs, most popular (Zipf rank 1) first. */
    public List<Pair> pairsByPopularity() {
        return byPopularity;
    }

    /** All destinations of all workspaces. */
    public List<Destination> destinations() {
        return destinations;
    }

    /** The destination (and so the failure profile) that a pair sends to. */
    public Destination destinationOf(Pair pair) {
        Destination d = destinationOfPair.get(pair);
        if (d == null) {
            throw new IllegalArgumentException("pair is not in this catalog: " + pair);
        }
        return d;
    }

    /**
     * The share of the run's events that {@code workspace}'s pairs receive: the sum of their
     * popularity weights over all pairs' (0 for a workspace the run does not have).
     */
    public double workspaceShare(String workspace) {
        double sum = 0;
        for (int rank : ranksOf(workspace)) {
            sum += popularity.weight(rank);
        }
        return sum / popularity.totalWeight();
    }

    /** The popularity ranks of {@code workspace}'s pairs, most popular first. */
    int[] ranksOf(String workspace) {
        return IntStream.range(0, rankToPair.length)
                .filter(r -> rankToPair[r].workspaceId().equals(workspace))
                .toArray();
    }

    /** The popularity weight of the pair at {@code rank} (relative, see {@link Zipf}). */
    double weightAt(int rank) {
        return popularity.weight(rank);
    }

    /** A Zipf-distributed pair rank, 0 = most popular. */
    int sampleRank(SplittableRandom rng) {
        return popularity.sample(rng);
    }

    Pair pairAt(int rank) {
        return rankToPair[rank];
    }

    Destination destinationAt(int rank) {
        return rankToDestination[rank];
    }

    String keyAt(int rank) {
        return rankToKey[rank];
    }
}
