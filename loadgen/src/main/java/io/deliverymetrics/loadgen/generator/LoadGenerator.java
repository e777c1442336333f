package io.deliverymetrics.loadgen.generator;

import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.model.Attempt;
import io.deliverymetrics.loadgen.model.Destination;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.model.Kind;
import io.deliverymetrics.loadgen.model.Pair;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lazy, deterministic sequence of records of one run: events are received at evenly spaced
 * clock times, each becomes a chain of attempt records, and records are emitted in clock order.
 *
 * <p>How the clock orders emission: a record normally becomes due at its {@code completed_at}. An
 * out-of-order record becomes due up to {@link LoadSpec#outOfOrder()} later. A late event has all
 * its timestamps shifted back by L in [lateBy, 1.5 × lateBy) while it stays due when it would have
 * completed, so at emission its {@code completed_at} is at least lateBy behind the clock. Malformed
 * records are slipped in before due records with probability m / (1 − m), which makes them a share
 * m of everything emitted. {@link GeneratedRecord#clockMs()} is the clock at which a record is due;
 * it never decreases along the sequence.
 *
 * <p>Everything random is drawn from {@link SplittableRandom}s split from the seed in a fixed
 * order, so the same spec and start give a byte-identical sequence. Not thread-safe.
 *
 * <p>Incidents ({@link IncidentSchedule}): an event whose type or pair has an incident during its
 * chain is first generated as without incidents, so that every shared stream advances exactly as in
 * a run without them, then generated again under the incident from a stream of its own (derived
 * from the seed and its index), which replaces the first chain. Events that no incident touches
 * therefore get the same attempts as in the same run without incidents. A workspace surge adds
 * events of its own ({@link SurgeEvents}, ids and streams apart from the run's events), received
 * between the run's events and treated like them from there on.
 */
public final class LoadGenerator implements Iterator<GeneratedRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);

    private final LoadSpec spec;
    private final long startMs;
    private final long eventCount;
    private final PairCatalog catalog;
    private final AttemptChains chains;
    private final RecordEncoder encoder = new RecordEncoder();
    private final MalformedRecords malformed;
    private final SplittableRandom eventRng;
    private final SplittableRandom disorderRng;
    private final SplittableRandom formatRng;
    private final SplittableRandom malformedRng;
    private final SplittableRandom contentRng;
    private final double malformedPerDueRecord;
    private final long outOfOrderMs;
    private final long lateByMs;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(1024);
    private final ArrayDeque<GeneratedRecord> ready = new ArrayDeque<>();
    private final List<Attempt> chain = new ArrayList<>(8);
    private final List<Attempt> incidentChain = new ArrayList<>(8);
    private final IncidentSchedule incidents;
    private final long incidentSeed;
    private final SurgeEvents surges;

    private long nextEvent;
    private long pendingSeq;
    private long emitSeq;
    private long clockMs;

    private LoadGenerator(LoadSpec spec, Instant start) {
        this.spec = spec;
        this.startMs = start.toEpochMilli();
        this.eventCount = spec.eventCount();
        SplittableRandom root = new SplittableRandom(spec.seed());
        SplittableRandom catalogRng = root.split();
        this.eventRng = root.split();
        this.disorderRng = root.split();
        this.formatRng = root.split();
        this.malformedRng = root.split();
        // Split after the others, so that adding it left their streams as they were.
        SplittableRandom typeRng = root.split();
        this.contentRng = root.split();
        SplittableRandom incidentRng = root.split();
        this.catalog =
                PairCatalog.create(
                        spec.workspaces(), spec.pairs(), spec.zipfExponent(), catalogRng, typeRng);
        this.incidentSeed = incidentRng.nextLong();
        this.incidents =
                spec.incidents().isEmpty() && spec.incidentEvery() == null
                        ? IncidentSchedule.none()
                        : IncidentSchedule.create(
                                spec,
                                catalog,
                                startMs,
                                receiptTime(Math.max(0, eventCount - 1)),
                                incidentRng);
        this.surges =
                incidents.surges().isEmpty()
                        ? SurgeEvents.none()
                        : SurgeEvents.create(
                                incidents,
                                catalog,
                                spec.rate(),
                                receiptTime(Math.max(0, eventCount - 1)),
                                Ids.mix(~incidentSeed, Ids.SURGE_BIT));
        this.chains = new AttemptChains(spec.maxAttempts());
        this.malformed = new MalformedRecords(catalog, encoder, spec.seed());
        double m = spec.malformedShare();
        this.malformedPerDueRecord = m >= 1 ? 1 : m / (1 - m);
        this.outOfOrderMs = spec.outOfOrder().toMillis();
        this.lateByMs = spec.lateBy().toMillis();
        this.clockMs = startMs;
        LOG.debug(
                "generator for {} events from {} over {} pairs",
                eventCount,
                start,
                catalog.pairs().size());
    }

    /** The generator of a simulated run that starts at {@link LoadSpec#start()}. */
    public static LoadGenerator create(LoadSpec spec) {
        return new LoadGenerator(spec, spec.start());
    }

    /** The generator of a run whose first event is received at {@code start} (realtime runs). */
    public static LoadGenerator startingAt(LoadSpec spec, Instant start) {
        if (start.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("start must have millisecond precision: " + start);
        }
        return new LoadGenerator(spec, start);
    }

    /** The workspaces, pairs and destination profiles of this run. */
    public PairCatalog catalog() {
        return catalog;
    }

    /** The incidents of this run at their clock times. */
    public IncidentSchedule incidents() {
        return incidents;
    }

    /** The spec this generator runs. */
    public LoadSpec spec() {
        return spec;
    }

    /** Number of events whose attempts have been generated so far, surge events included. */
    public long eventsGenerated() {
        return nextEvent + surges.generated();
    }

    /** Clock (epoch ms) of the most recently due record. */
    public long clockMs() {
        return clockMs;
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty()) {
            if (!advance()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public GeneratedRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + emitSeq + " records have been emitted");
        }
        return ready.poll();
    }

    /** Moves the clock to the next due record or event receipt; false once everything is out. */
    private boolean advance() {
        long receivedAt = nextEvent < eventCount ? receiptTime(nextEvent) : Long.MAX_VALUE;
        long surgeAt = surges.nextMs();
        long nextReceipt = Math.min(receivedAt, surgeAt);
        if (nextReceipt != Long.MAX_VALUE) {
            Pending head = pending.peek();
            if (head != null && head.dueMs <= nextReceipt) {
                emit(pending.poll());
            } else if (receivedAt <= surgeAt) {
                long index = nextEvent++;
                receive(
                        index,
                        receivedAt,
                        catalog.sampleRank(eventRng),
                        eventRng,
                        disorderRng,
                        contentRng);
            } else {
                SurgeEvents.Event e = surges.take();
                receive(
                        Ids.SURGE_BIT | e.index(),
                        e.receivedAtMs(),
                        e.rank(),
                        e.rng(),
                        e.rng(),
                        e.rng());
            }
            return true;
        }
        Pending head = pending.poll();
        if (head == null) {
            return false;
        }
        emit(head);
        return true;
    }

    private long receiptTime(long index) {
        return startMs + (long) Math.floor(index * 1000.0 / spec.rate());
    }

    /**
     * Generates the chain of event {@code index} to the pair at {@code rank}: outcomes and times
     * from {@code eventRng}, lateness and disorder from {@code disorderRng}, content from {@code
     * contentRng} (the run's shared streams, or a surge event's own).
     */
    private void receive(
            long index,
            long receivedAt,
            int rank,
            SplittableRandom eventRng,
            SplittableRandom disorderRng,
            SplittableRandom contentRng) {
        boolean late = Draws.chance(disorderRng, spec.lateShare());
        long shift = late ? lateByMs + (long) (disorderRng.nextDouble() * (lateByMs / 2.0)) : 0;
        Destination dest = catalog.destinationAt(rank);
        chains.generate(
                catalog.pairAt(rank),
                dest,
                Ids.eventId(spec.seed(), index),
                receivedAt - shift,
                EventContent.event(dest, contentRng),
                eventRng,
                contentRng,
                chain);
        String key = catalog.keyAt(rank);
        Pair pair = catalog.pairAt(rank);
        if (incidents.isEmpty()
                || !incidents.affects(
                        pair,
                        dest.type(),
                        chain.get(0).receivedAtMs(),
                        chain.get(chain.size() - 1).completedAtMs())) {
            for (Attempt a : chain) {
                long due = a.completedAtMs() + shift + outOfOrderDelay(disorderRng, late);
                pending.add(new Pending(due, pendingSeq++, key, a, late));
            }
            return;
        }
        // The shared disorder stream advances as for the chain without incidents; the attempts
        // kept from that chain keep their delays, the others draw theirs from the event's stream.
        long[] delays = new long[chain.size()];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = outOfOrderDelay(disorderRng, late);
        }
        SplittableRandom own = new SplittableRandom(Ids.mix(incidentSeed, index));
        chains.regenerate(incidents, pair, dest, chain, own, incidentChain);
        for (int i = 0; i < incidentChain.size(); i++) {
            Attempt a = incidentChain.get(i);
            boolean kept = i < chain.size() && a == chain.get(i);
            long delay = kept ? delays[i] : outOfOrderDelay(own, late);
            pending.add(new Pending(a.completedAtMs() + shift + delay, pendingSeq++, key, a, late));
        }
    }

    /** Extra delay of an out-of-order record: 0 for most records and for late ones. */
    private long outOfOrderDelay(SplittableRandom rng, boolean late) {
        if (!late && Draws.chance(rng, spec.outOfOrderShare())) {
            return 1 + rng.nextLong(outOfOrderMs);
        }
        return 0;
    }

    private void emit(Pending p) {
        clockMs = Math.max(clockMs, p.dueMs);
        if (Draws.chance(malformedRng, malformedPerDueRecord)) {
            ready.add(malformed.next(emitSeq++, clockMs, malformedRng));
        }
        boolean epochMillis = Draws.chance(formatRng, spec.epochMillisShare());
        ready.add(
                new GeneratedRecord(
                        p.key,
                        encoder.encode(p.attempt, epochMillis),
                        p.late ? Kind.LATE : Kind.VALID,
                        emitSeq++,
                        clockMs,
                        p.attempt,
                        null));
    }

    /** An attempt record waiting for the clock to reach its due time; ordered by (due, seq). */
    private static final class Pending implements Comparable<Pending> {
        final long dueMs;
        final long seq;
        final String key;
        final Attempt attempt;
        final boolean late;

        Pending(long dueMs, long seq, String key, Attempt attempt, boolean late) {
            this.dueMs = dueMs;
            this.seq = seq;
            this.key = key;
            this.attempt = attempt;
            this.late = late;
        }

        @Override
        public int compareTo(Pending o) {
            return dueMs != o.dueMs ? Long.compare(dueMs, o.dueMs) : Long.compare(seq, o.seq);
        }
    }
}
