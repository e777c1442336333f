package io.deliverymetrics.loadgen.generator;

import io.deliverymetrics.loadgen.config.Incident;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.model.Destination;
import io.deliverymetrics.loadgen.model.Pair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The incidents of one run at their clock times: the scheduled ones of {@link LoadSpec#incidents()}
 * and, with {@link LoadSpec#incidentEvery()}, the rotating ones. The k-th rotating incident (k = 0,
 * 1, …) starts at {@code start + k × period} and lasts half a period; its kind cycles through
 * type-down, type-rate-limited and pair-discards (half of the events), its destination type through
 * the run's types and its pair through the run's ten most popular pairs, both in an order drawn
 * from the seed.
 *
 * <p>A workspace surge changes no event of the run: its extra events come from {@link SurgeEvents}.
 */
public final class IncidentSchedule {

    /** Share of events a rotating pair incident discards. */
    public static final double ROTATING_PAIR_SHARE = 0.5;

    /** Pairs a rotating pair incident is drawn from: the most popular ones. */
    static final int ROTATING_PAIRS = 10;

    private static final Incident.Kind[] ROTATION = {
        Incident.Kind.TYPE_DOWN, Incident.Kind.TYPE_RATE_LIMITED, Incident.Kind.PAIR_DISCARDS
    };

    /** The kinds that change the attempts of the run's own events. */
    private static final Incident.Kind[] CHANGING_EVENTS = {
        Incident.Kind.TYPE_DOWN,
        Incident.Kind.TYPE_RATE_LIMITED,
        Incident.Kind.TYPE_FAILING,
        Incident.Kind.PAIR_DISCARDS
    };

    /**
     * One incident at clock times: active from {@code fromMs} (inclusive) to {@code toMs}
     * (exclusive).
     *
     * @param target the destination type, the pair key or the workspace
     * @param share the share of events a pair incident discards; 1 for the other kinds
     * @param factor how many times its usual events a surging workspace receives; 1 for the other
     *     kinds
     * @param rotating whether it comes from {@link LoadSpec#incidentEvery()}
     */
    public record Window(
            Incident.Kind kind,
            String target,
            double share,
            double factor,
            long fromMs,
            long toMs,
            boolean rotating) {

        /** Whether it is active at some time of {@code [startMs, endMs]}. */
        public boolean overlaps(long startMs, long endMs) {
            return fromMs <= endMs && startMs < toMs;
        }

        /** Whether it is active at {@code atMs}. */
        public boolean activeAt(long atMs) {
            return fromMs <= atMs && atMs < toMs;
        }
    }

    private final List<Window> windows;
    private final Map<String, Window[]> byTarget = new HashMap<>();
    private final long longestMs;

    private IncidentSchedule(List<Window> windows) {
        List<Window> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingLong(Window::fromMs));
        this.windows = List.copyOf(sorted);
        Map<String, List<Window>> grouped = new HashMap<>();
        long longest = 0;
        for (Window w : sorted) {
            grouped.computeIfAbsent(targetKey(w.kind(), w.target()), k -> new ArrayList<>()).add(w);
            longest = Math.max(longest, w.toMs() - w.fromMs());
        }
        grouped.forEach((k, v) -> byTarget.put(k, v.toArray(new Window[0])));
        this.longestMs = longest;
    }

    /** A schedule without incidents. */
    static IncidentSchedule none() {
        return new IncidentSchedule(List.of());
    }

    /**
     * The schedule of a run over {@code catalog} whose first event is received at {@code startMs}
     * and whose last one at {@code lastReceiptMs}; the rotation's order is drawn from {@code rng}.
     *
     * @throws IllegalArgumentException when an incident names a type or pair the run does not have
     */
    static IncidentSchedule create(
            LoadSpec spec,
            PairCatalog catalog,
            long startMs,
            long lastReceiptMs,
            SplittableRandom rng) {
        Set<String> types = new LinkedHashSet<>();
        for (Destination d : catalog.destinations()) {
            types.add(d.type());
        }
        Set<String> pairKeys = new LinkedHashSet<>();
        Set<String> workspaces = new LinkedHashSet<>();
        for (Pair p : catalog.pairs()) {
            pairKeys.add(p.key());
            workspaces.add(p.workspaceId());
        }
        List<Window> out = new ArrayList<>();
        for (Incident i : spec.incidents()) {
            if (i.kind().typeWide() && !types.contains(i.target())) {
                throw new IllegalArgumentException(
                        "incident "
                                + i
                                + ": no destination of this run is of type "
                                + i.target()
                                + "; its types are "
                                + new TreeSet<>(types));
            }
            if (i.kind() == Incident.Kind.WORKSPACE_SURGE && !workspaces.contains(i.target())) {
                throw new IllegalArgumentException(
                        "incident "
                                + i
                                + ": "
                                + i.target()
                                + " is not a workspace of this run; its workspaces are "
                                + workspaces);
            }
            if (i.kind() == Incident.Kind.PAIR_DISCARDS && !pairKeys.contains(i.target())) {
                throw new IllegalArgumentException(
                        "incident "
                                + i
                                + ": "
                                + i.target()
                                + " is not a pair of this run; pairs look like "
                                + catalog.pairsByPopularity().get(0).key());
            }
            long from = startMs + i.start().toMillis();
            out.add(
                    new Window(
                            i.kind(),
                            i.target(),
                            i.share(),
                            i.factor(),
                            from,
                            from + i.length().toMillis(),
                            false));
        }
        Duration every = spec.incidentEvery();
        if (every != null) {
            List<String> typeOrder = new ArrayList<>(types);
            shuffle(typeOrder, rng);
            List<Pair> popular = catalog.pairsByPopularity();
            List<String> pairOrder = new ArrayList<>();
            for (Pair p : popular.subList(0, Math.min(ROTATING_PAIRS, popular.size()))) {
                pairOrder.add(p.key());
            }
            shuffle(pairOrder, rng);
            long period = every.toMillis();
            long count = (lastReceiptMs - startMs) / period + 1;
            int nextType = 0;
            int nextPair = 0;
            for (long k = 0; k < count; k++) {
                Incident.Kind kind = ROTATION[(int) (k % ROTATION.length)];
                long from = startMs + k * period;
                long to = from + period / 2;
                if (kind.typeWide()) {
                    String type = typeOrder.get(nextType++ % typeOrder.size());
                    out.add(new Window(kind, type, 1, 1, from, to, true));
                } else {
                    String pair = pairOrder.get(nextPair++ % pairOrder.size());
                    out.add(new Window(kind, pair, ROTATING_PAIR_SHARE, 1, from, to, true));
                }
            }
        }
        return new IncidentSchedule(out);
    }

    /** Every incident, by start time. */
    public List<Window> windows() {
        return windows;
    }

    /** Whether there are no incidents at all. */
    public boolean isEmpty() {
        return windows.isEmpty();
    }

    /**
     * Whether an incident of destination type {@code type} or of {@code pair} is active at some
     * time of {@code [fromMs, toMs]}.
     */
    public boolean affects(Pair pair, String type, long fromMs, long toMs) {
        if (windows.isEmpty()) {
            return false;
        }
        for (Incident.Kind kind : CHANGING_EVENTS) {
            String target = kind.typeWide() ? type : pair.key();
            if (find(kind, target, fromMs, toMs) != null) {
                return true;
            }
        }
        return false;
    }

    /** The workspace surges, by start time. */
    public List<Window> surges() {
        return windows.stream().filter(w -> w.kind() == Incident.Kind.WORKSPACE_SURGE).toList();
    }

    /**
     * What destinations of {@code type} suffer from at {@code atMs}: {@link
     * Incident.Kind#TYPE_FAILING} (which wins over the others), {@link Incident.Kind#TYPE_DOWN}
     * (which wins over a rate limit), {@link Incident.Kind#TYPE_RATE_LIMITED} or null.
     */
    Incident.Kind typeEffect(String type, long atMs) {
        if (find(Incident.Kind.TYPE_FAILING, type, atMs, atMs) != null) {
            return Incident.Kind.TYPE_FAILING;
        }
        if (find(Incident.Kind.TYPE_DOWN, type, atMs, atMs) != null) {
            return Incident.Kind.TYPE_DOWN;
        }
        if (find(Incident.Kind.TYPE_RATE_LIMITED, type, atMs, atMs) != null) {
            return Incident.Kind.TYPE_RATE_LIMITED;
        }
        return null;
    }

    /** The share of its events that {@code pair} discards at {@code atMs} (the largest active). */
    double pairDiscardShare(Pair pair, long atMs) {
        Window[] ws = byTarget.get(targetKey(Incident.Kind.PAIR_DISCARDS, pair.key()));
        if (ws == null) {
            return 0;
        }
        double share = 0;
        for (int i = lastStartingBy(ws, atMs); i >= 0; i--) {
            if (ws[i].fromMs() < atMs - longestMs) {
                break;
            }
            if (ws[i].activeAt(atMs)) {
                share = Math.max(share, ws[i].share());
            }
        }
        return share;
    }

    /** An incident of {@code kind} on {@code target} active at some time of [fromMs, toMs]. */
    private Window find(Incident.Kind kind, String target, long fromMs, long toMs) {
        Window[] ws = byTarget.get(targetKey(kind, target));
        if (ws == null) {
            return null;
        }
        for (int i = lastStartingBy(ws, toMs); i >= 0; i--) {
            if (ws[i].fromMs() < fromMs - longestMs) {
                return null;
            }
            if (ws[i].overlaps(fromMs, toMs)) {
                return ws[i];
            }
        }
        return null;
    }

    /** Index of the last window that starts at or before {@code atMs}, or -1. */
    private static int lastStartingBy(Window[] ws, long atMs) {
        int lo = 0;
        int hi = ws.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ws[mid].fromMs() <= atMs) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private static String targetKey(Incident.Kind kind, String target) {
        return kind.name() + '|' + target;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, rng.nextInt(i + 1));
        }
    }

    @Override
    public String toString() {
        return "IncidentSchedule" + Arrays.toString(windows.toArray());
    }
}
