package io.deliverymetrics.loadgen.config;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated description of one load run: how many events, at what rate, over which pairs, how
 * much of the stream is out of order, late or malformed, and which incidents it has.
 *
 * <p>Build it with {@link #builder()}; the canonical constructor rejects inconsistent values with
 * one message that lists every problem.
 *
 * @param seed seed of every random choice; same spec and seed give byte-identical records
 * @param start simulated receipt time of the first event (ignored in realtime mode)
 * @param realtime whether the clock is the wall clock and emission is paced to the rate
 * @param rate events received per second
 * @param duration length of the run, or null when {@code totalEvents} is given
 * @param totalEvents number of events, or 0 when {@code duration} is given
 * @param workspaces number of workspaces
 * @param pairs number of (source, destination) pairs over all workspaces
 * @param zipfExponent exponent of the Zipf distribution of pair popularity (0 = uniform)
 * @param maxAttempts attempts per event at most; a retryable failure on the last one is expired
 * @param outOfOrderShare share of valid records emitted later than their completed_at position
 * @param outOfOrder maximum extra delay of an out-of-order record
 * @param lateShare share of events whose attempt records are emitted {@code lateBy} behind
 * @param lateBy minimum distance between a late record's completed_at and the clock
 * @param malformedShare share of all emitted records that violate the contract
 * @param epochMillisShare share of records whose timestamps are epoch-millisecond integers
 * @param incidents scheduled incidents, in the order given
 * @param incidentEvery period of the rotating incidents (one incident per period, kinds and targets
 *     chosen from the seed), or null for none
 */
public record LoadSpec(
        long seed,
        Instant start,
        boolean realtime,
        double rate,
        Duration duration,
        long totalEvents,
        int workspaces,
        int pairs,
        double zipfExponent,
        int maxAttempts,
        double outOfOrderShare,
        Duration outOfOrder,
        double lateShare,
        Duration lateBy,
        double malformedShare,
        double epochMillisShare,
        List<Incident> incidents,
        Duration incidentEvery) {

    /** Default simulated start, a fixed instant so that default runs are reproducible. */
    public static final Instant DEFAULT_START = Instant.parse("2026-11-26T00:00:00Z");

    public static final int MAX_ATTEMPTS_LIMIT = 100;
    public static final int MAX_PAIRS = 1_000_000;
    public static final double MAX_RATE = 10_000_000;

    /** Shortest period of the rotating incidents. */
    public static final Duration MIN_INCIDENT_EVERY = Duration.ofSeconds(2);

    public LoadSpec {
        incidents = incidents == null ? List.of() : List.copyOf(incidents);
        List<String> problems = new ArrayList<>();
        if (incidentEvery != null && incidentEvery.compareTo(MIN_INCIDENT_EVERY) < 0) {
            problems.add(
                    "incidentEvery must be at least "
                            + MIN_INCIDENT_EVERY.toSeconds()
                            + "s, was "
                            + incidentEvery);
        }
        if (start == null) {
            problems.add("start must be set (or use the default start)");
        } else if (start.getNano() % 1_000_000 != 0) {
            problems.add("start must have millisecond precision, was " + start);
        }
        if (!(rate > 0 && rate <= MAX_RATE)) {
            problems.add("rate must be > 0 and <= " + (long) MAX_RATE + " events/s, was " + rate);
        }
        if ((duration == null) == (totalEvents == 0)) {
            problems.add(
                    "exactly one of duration and totalEvents must be set, was duration="
                            + duration
                            + " totalEvents="
                            + totalEvents);
        }
        if (duration != null && (duration.isNegative() || duration.toMillis() < 1)) {
            problems.add("duration must be at least 1 ms, was " + duration);
        }
        if (totalEvents < 0) {
            problems.add("totalEvents must be > 0, was " + totalEvents);
        }
        if (duration != null
                && !duration.isNegative()
                && rate > 0
                && Math.round(duration.toMillis() * rate / 1000.0) < 1) {
            problems.add(
                    "duration "
                            + duration
                            + " at rate "
                            + rate
                            + "/s is less than one event; use a longer duration or a higher"
                            + " rate");
        }
        if (workspaces < 1) {
            problems.add("workspaces must be >= 1, was " + workspaces);
        }
        if (pairs < workspaces || pairs > MAX_PAIRS) {
            problems.add(
                    "pairs must be between workspaces ("
                            + workspaces
                            + ") and "
                            + MAX_PAIRS
                            + " so every workspace has at least one pair, was "
                            + pairs);
        }
        if (!(zipfExponent >= 0 && zipfExponent <= 10)) {
            problems.add("zipfExponent must be between 0 (uniform) and 10, was " + zipfExponent);
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            problems.add(
                    "maxAttempts must be between 1 and "
                            + MAX_ATTEMPTS_LIMIT
                            + ", was "
                            + maxAttempts);
        }
        checkShare(problems, "outOfOrderShare", outOfOrderShare, 1.0);
        checkShare(problems, "lateShare", lateShare, 1.0);
        checkShare(problems, "malformedShare", malformedShare, 0.5);
        checkShare(problems, "epochMillisShare", epochMillisShare, 1.0);
        if (outOfOrder == null || outOfOrder.isNegative()) {
            problems.add("outOfOrder must be a non-negative duration, was " + outOfOrder);
        } else if (outOfOrderShare > 0 && outOfOrder.toMillis() < 1) {
            problems.add("outOfOrder must be at least 1 ms when outOfOrderShare > 0");
        }
        if (lateBy == null || lateBy.toMillis() < 1) {
            problems.add("lateBy must be a positive duration, was " + lateBy);
        } else if (outOfOrder != null && lateBy.compareTo(outOfOrder) <= 0) {
            problems.add(
                    "lateBy ("
                            + lateBy
                            + ") must be longer than outOfOrder ("
                            + outOfOrder
                            + ") so late records are distinguishable from out-of-order ones");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid load spec: " + String.join("; ", problems));
        }
    }

    private static void checkShare(List<String> problems, String name, double value, double max) {
        if (!(value >= 0 && value <= max)) {
            problems.add(name + " must be between 0 and " + max + ", was " + value);
        }
    }

    /** The number of events the run generates. */
    public long eventCount() {
        return duration != null ? Math.round(duration.toMillis() * rate / 1000.0) : totalEvents;
    }

    /** A builder with the documented defaults (seed 42, 60 s at 1,000 events/s, 20 workspaces). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this spec's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.start = start;
        b.realtime = realtime;
        b.rate = rate;
        b.duration = duration;
        b.totalEvents = totalEvents;
        b.workspaces = workspaces;
        b.pairs = pairs;
        b.zipfExponent = zipfExponent;
        b.maxAttempts = maxAttempts;
        b.outOfOrderShare = outOfOrderShare;
        b.outOfOrder = outOfOrder;
        b.lateShare = lateShare;
        b.lateBy = lateBy;
        b.malformedShare = malformedShare;
        b.epochMillisShare = epochMillisShare;
        b.incidents = new ArrayList<>(incidents);
        b.incidentEvery = incidentEvery;
        return b;
    }

    /** Mutable builder for {@link LoadSpec}; {@link #build()} validates. */
    public static final class Builder {
        private long seed = 42;
        private Instant start = DEFAULT_START;
        private boolean realtime;
        private double rate = 1_000;
        private Duration duration = Duration.ofSeconds(60);
        private long totalEvents;
        private int workspaces = 20;
        private int pairs = 2_000;
        private double zipfExponent = 1.1;
        private int maxAttempts = 5;
        private double outOfOrderShare = 0.02;
        private Duration outOfOrder = Duration.ofSeconds(20);
        private double lateShare = 0.005;
        private Duration lateBy = Duration.ofMinutes(10);
        private double malformedShare = 0.005;
        private double epochMillisShare = 0.10;
        private List<Incident> incidents = new ArrayList<>();
        private Duration incidentEvery;

        private Builder() {}

        public Builder withSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Simulated receipt time of the first event; turns realtime mode off. */
        public Builder withStart(Instant start) {
            this.start = start;
            this.realtime = false;
            return this;
        }

        /** Whether to run on the wall clock, paced to the rate. */
        public Builder withRealtime(boolean realtime) {
            this.realtime = realtime;
            return this;
        }

        public Builder withRate(double eventsPerSecond) {
            this.rate = eventsPerSecond;
            return this;
        }

        /** Run length; clears any total-events setting. */
        public Builder withDuration(Duration duration) {
            this.duration = duration;
            this.totalEvents = 0;
            return this;
        }

        /** Number of events; clears any duration setting. */
        public Builder withTotalEvents(long totalEvents) {
            this.totalEvents = totalEvents;
            this.duration = null;
            return this;
        }

        public Builder withWorkspaces(int workspaces) {
            this.workspaces = workspaces;
            return this;
        }

        public Builder withPairs(int pairs) {
            this.pairs = pairs;
            return this;
        }

        public Builder withZipfExponent(double zipfExponent) {
            this.zipfExponent = zipfExponent;
            return this;
        }

        public Builder withMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder withOutOfOrderShare(double share) {
            this.outOfOrderShare = share;
            return this;
        }

        public Builder withOutOfOrder(Duration maxDelay) {
            this.outOfOrder = maxDelay;
            return this;
        }

        public Builder withLateShare(double share) {
            this.lateShare = share;
            return this;
        }

        public Builder withLateBy(Duration lateBy) {
            this.lateBy = lateBy;
            return this;
        }

        public Builder withMalformedShare(double share) {
            this.malformedShare = share;
            return this;
        }

        public Builder withEpochMillisShare(double share) {
            this.epochMillisShare = share;
            return this;
        }

        /** Adds a scheduled incident. */
        public Builder withIncident(Incident incident) {
            this.incidents.add(incident);
            return this;
        }

        /** Replaces the scheduled incidents. */
        public Builder withIncidents(List<Incident> incidents) {
            this.incidents = new ArrayList<>(incidents);
            return this;
        }

        /** Runs one rotating incident every {@code period}; null for none. */
        public Builder withIncidentEvery(Duration period) {
            this.incidentEvery = period;
            return this;
        }

        /** Validates and returns the spec; throws IllegalArgumentException listing all problems. */
        public LoadSpec build() {
            return new LoadSpec(
                    seed,
                    start,
                    realtime,
                    rate,
                    duration,
                    totalEvents,
                    workspaces,
                    pairs,
                    zipfExponent,
                    maxAttempts,
                    outOfOrderShare,
                    outOfOrder,
                    lateShare,
                    lateBy,
                    malformedShare,
                    epochMillisShare,
                    incidents,
                    incidentEvery);
        }
    }
}
