package io.deliverymetrics.loadgen.generator;

import io.deliverymetrics.loadgen.config.Incident;
import io.deliverymetrics.loadgen.model.Attempt;
import io.deliverymetrics.loadgen.model.Destination;
import io.deliverymetrics.loadgen.model.FailureProfile;
import io.deliverymetrics.loadgen.model.Outcome;
import io.deliverymetrics.loadgen.model.Pair;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates the delivery of one event to its destination: a chain of attempts 1..n whose last
 * attempt has the only terminal outcome, with log-normal attempt durations and backoff between
 * attempts. Every attempt carries the event's content; each failed one a message that depends on
 * its error code. Rejecting destinations also reject a share of two events by name on the first
 * attempt: "Order Completed" (http_400, {@value #ORDER_COMPLETED_REJECTED} of them) and "Signed Up"
 * (http_422, {@value #SIGNED_UP_REJECTED}).
 *
 * <p>Under an incident ({@link IncidentSchedule}) an attempt sent while its destination's type is
 * down fails with probability {@value #DOWN_FAILURE} ({@code http_503} or a timeout) and one that
 * gets through takes {@value #DOWN_SLOWDOWN} times as long; one sent while the type is rate-limited
 * fails with {@code http_429} with probability {@value #RATE_LIMITED_FAILURE}; one sent while the
 * type is failing fails ({@code http_503}) and is retried after {@value #FAILING_RETRY_MS} ms (± 20
 * %) up to attempt {@value #FAILING_ATTEMPTS}, whatever the run's maximum; an event a pair incident
 * hits is discarded on its first attempt ({@code http_400}, {@link #PAIR_INCIDENT_MESSAGE}).
 * Otherwise the destination's own profile decides.
 */
final class AttemptChains {

    /** Longest single attempt; the log-normal tail is clamped here. */
    static final long MAX_ATTEMPT_MS = 60_000;

    private static final long MAX_BACKOFF_MS = 60_000;
    private static final double SIGMA = 0.8;

    static final double ORDER_COMPLETED_REJECTED = 0.5;
    static final double SIGNED_UP_REJECTED = 0.3;

    /** Share of the attempts to a destination whose type is down that fail. */
    static final double DOWN_FAILURE = 0.7;

    /** How many times longer an attempt that gets through to a type that is down takes. */
    static final double DOWN_SLOWDOWN = 3;

    /** Share of the attempts to a destination whose type is rate-limited that get a 429. */
    static final double RATE_LIMITED_FAILURE = 0.6;

    /**
     * Attempts an event gets while its destination's type is failing (the last one expires), if the
     * run's maximum is lower: a delivery system that retries a failing destination quickly.
     */
    static final int FAILING_ATTEMPTS = 10;

    /** Pause before the next attempt after one answered by a failing type (± 20 %). */
    static final long FAILING_RETRY_MS = 1_000;

    /** What a destination answers to the events a pair incident discards. */
    static final String PAIR_INCIDENT_MESSAGE =
            "{\"error\":\"Invalid value for property \\\"currency\\\": expected an ISO 4217"
                    + " code, got \\\"usd$\\\"\",\"code\":\"invalid_property_value\"}";

    private final int maxAttempts;

    AttemptChains(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        this.sendTimes = new long[Math.max(maxAttempts, FAILING_ATTEMPTS)];
    }

    /** The result of one attempt before it is turned into an outcome. */
    private enum Step {
        SUCCESS,
        RETRYABLE,
        REJECTED
    }

    /**
     * When each attempt of the last chain {@link #generate} made was sent (index 0 = attempt 1).
     */
    private final long[] sendTimes;

    /**
     * Appends the attempts of one event to {@code out} (cleared first), as without incidents;
     * outcomes and times are drawn from {@code rng}, error messages from {@code contentRng}.
     */
    void generate(
            Pair pair,
            Destination dest,
            String eventId,
            long receivedAtMs,
            EventContent.Event event,
            SplittableRandom rng,
            SplittableRandom contentRng,
            List<Attempt> out) {
        out.clear();
        if (Draws.chance(rng, dest.filterShare())) {
            long completed = receivedAtMs + 1 + rng.nextInt(20);
            sendTimes[0] = receivedAtMs;
            out.add(
                    attempt(
                            pair,
                            eventId,
                            1,
                            Outcome.FILTERED,
                            null,
                            receivedAtMs,
                            completed,
                            event,
                            null));
            return;
        }
        attempts(
                pair,
                dest,
                eventId,
                receivedAtMs,
                event,
                rng,
                contentRng,
                null,
                1,
                receivedAtMs,
                null,
                out);
    }

    /**
     * The chain of the same event under {@code incidents}, given {@code baseline}, the chain that
     * the last {@link #generate} call made for it: the baseline's attempts are kept up to the first
     * one an incident changes (drawn from {@code own}: an attempt sent while its type is down or
     * rate-limited fails with the incident's probability, a first attempt of an event its pair
     * incident hits is discarded with the incident's share); from there on the chain is drawn anew
     * from {@code own}, under the incidents. An attempt to a type that is down that gets through
     * anyway takes longer. Filtered events are never sent, so they stay as they are.
     */
    void regenerate(
            IncidentSchedule incidents,
            Pair pair,
            Destination dest,
            List<Attempt> baseline,
            SplittableRandom own,
            List<Attempt> out) {
        out.clear();
        long[] sends = sendTimes.clone();
        Attempt first = baseline.get(0);
        if (first.outcome() == Outcome.FILTERED) {
            out.addAll(baseline);
            return;
        }
        long receivedAtMs = first.receivedAtMs();
        EventContent.Event event =
                new EventContent.Event(
                        first.destinationType(), first.eventType(), first.eventName());
        for (int i = 0; i < baseline.size(); i++) {
            Attempt b = baseline.get(i);
            long t = sends[i];
            Incident.Kind forced = null;
            if (i == 0 && Draws.chance(own, incidents.pairDiscardShare(pair, receivedAtMs))) {
                forced = Incident.Kind.PAIR_DISCARDS;
            }
            Incident.Kind effect = incidents.typeEffect(dest.type(), t);
            if (forced == null && overrides(effect, own)) {
                forced = effect;
            }
            if (forced != null) {
                attempts(
                        pair,
                        dest,
                        first.eventId(),
                        receivedAtMs,
                        event,
                        own,
                        own,
                        incidents,
                        i + 1,
                        t,
                        forced,
                        out);
                return;
            }
            if (effect == Incident.Kind.TYPE_DOWN && b.outcome() == Outcome.DELIVERED) {
                out.add(
                        attempt(
                                pair,
                                first.eventId(),
                                b.attempt(),
                                Outcome.DELIVERED,
                                null,
                                receivedAtMs,
                                t + slowed(b.completedAtMs() - t),
                                event,
                                null));
                return;
            }
            out.add(b);
        }
    }

    /** Whether an attempt sent during {@code effect} is answered by the incident. */
    private static boolean overrides(Incident.Kind effect, SplittableRandom rng) {
        if (effect == Incident.Kind.TYPE_DOWN) {
            return Draws.chance(rng, DOWN_FAILURE);
        }
        if (effect == Incident.Kind.TYPE_RATE_LIMITED) {
            return Draws.chance(rng, RATE_LIMITED_FAILURE);
        }
        return effect == Incident.Kind.TYPE_FAILING;
    }

    private static long slowed(long tookMs) {
        return Math.min(MAX_ATTEMPT_MS, (long) (tookMs * DOWN_SLOWDOWN));
    }

    /**
     * Appends attempts {@code firstAttempt}.. of an event, the first sent at {@code firstSendMs},
     * until one is terminal. Under {@code incidents} (none when null) each attempt is judged at the
     * time it is sent; {@code forced} (or null) is the incident that answers the first of them.
     */
    private void attempts(
            Pair pair,
            Destination dest,
            String eventId,
            long receivedAtMs,
            EventContent.Event event,
            SplittableRandom rng,
            SplittableRandom contentRng,
            IncidentSchedule incidents,
            int firstAttempt,
            long firstSendMs,
            Incident.Kind forced,
            List<Attempt> out) {
        long t = firstSendMs;
        for (int attempt = firstAttempt; ; attempt++) {
            sendTimes[attempt - 1] = t;
            String rejectedByName =
                    attempt == 1 ? rejectedByName(dest, event.eventName(), rng) : null;
            double u = rng.nextDouble();
            Step step;
            String code;
            switch (dest.profile()) {
                case HEALTHY -> {
                    step = u < 0.002 ? Step.REJECTED : u < 0.012 ? Step.RETRYABLE : Step.SUCCESS;
                    code =
                            step == Step.REJECTED
                                    ? "http_400"
                                    : pick(rng, "timeout", 0.3, "http_503", 0.4, "http_500");
                }
                case RATE_LIMITED -> {
                    double retry = attempt == 1 ? 0.30 : 0.20;
                    step =
                            u < 0.002
                                    ? Step.REJECTED
                                    : u < 0.002 + retry ? Step.RETRYABLE : Step.SUCCESS;
                    code =
                            step == Step.REJECTED
                                    ? "http_400"
                                    : pick(rng, "http_429", 0.9, "http_503", 0.1, "http_503");
                }
                case FLAKY -> {
                    step = u < 0.003 ? Step.REJECTED : u < 0.403 ? Step.RETRYABLE : Step.SUCCESS;
                    code =
                            step == Step.REJECTED
                                    ? "http_400"
                                    : pick(rng, "timeout", 0.45, "http_503", 0.35, "http_502");
                }
                case REJECTING -> {
                    double reject = attempt == 1 ? 0.10 : 0.0;
                    step =
                            u < reject
                                    ? Step.REJECTED
                                    : u < reject + 0.02 ? Step.RETRYABLE : Step.SUCCESS;
                    code =
                            step == Step.REJECTED
                                    ? pick(rng, "http_400", 0.6, "http_422", 0.3, "http_413")
                                    : "http_500";
                }
                default -> throw new IllegalStateException("unknown profile " + dest.profile());
            }
            if (rejectedByName != null) {
                step = Step.REJECTED;
                code = rejectedByName;
            }
            Incident.Kind effect = incidents == null ? null : incidents.typeEffect(dest.type(), t);
            Incident.Kind answer = null;
            if (attempt == firstAttempt && forced != null) {
                answer = forced;
            } else if (incidents != null) {
                if (attempt == 1
                        && Draws.chance(rng, incidents.pairDiscardShare(pair, receivedAtMs))) {
                    answer = Incident.Kind.PAIR_DISCARDS;
                } else if (overrides(effect, rng)) {
                    answer = effect;
                }
            }
            String incidentMessage = null;
            if (answer == Incident.Kind.PAIR_DISCARDS) {
                step = Step.REJECTED;
                code = "http_400";
                incidentMessage = PAIR_INCIDENT_MESSAGE;
            } else if (answer == Incident.Kind.TYPE_DOWN) {
                step = Step.RETRYABLE;
                code = rng.nextDouble() < 0.4 ? "timeout" : "http_503";
            } else if (answer == Incident.Kind.TYPE_RATE_LIMITED) {
                step = Step.RETRYABLE;
                code = "http_429";
            } else if (answer == Incident.Kind.TYPE_FAILING) {
                step = Step.RETRYABLE;
                code = "http_503";
            }
            long took = duration(dest, step, code, rng);
            if (effect == Incident.Kind.TYPE_DOWN && step == Step.SUCCESS) {
                took = slowed(took);
            }
            t += took;
            if (step == Step.SUCCESS) {
                out.add(
                        attempt(
                                pair,
                                eventId,
                                attempt,
                                Outcome.DELIVERED,
                                null,
                                receivedAtMs,
                                t,
                                event,
                                null));
                return;
            }
            String message =
                    incidentMessage != null
                            ? incidentMessage
                            : EventContent.errorMessage(code, event.eventName(), dest, contentRng);
            int lastAttempt =
                    answer == Incident.Kind.TYPE_FAILING
                            ? Math.max(maxAttempts, FAILING_ATTEMPTS)
                            : maxAttempts;
            Outcome outcome =
                    step == Step.REJECTED
                            ? Outcome.DISCARDED
                            : attempt >= lastAttempt ? Outcome.EXPIRED : Outcome.RETRYING;
            out.add(
                    attempt(
                            pair,
                            eventId,
                            attempt,
                            outcome,
                            code,
                            receivedAtMs,
                            t,
                            event,
                            message));
            if (outcome.terminal()) {
                return;
            }
            t +=
                    answer == Incident.Kind.TYPE_FAILING
                            ? (long) (FAILING_RETRY_MS * (0.8 + 0.4 * rng.nextDouble()))
                            : backoff(attempt, code, rng);
        }
    }

    /** The code a rejecting destination refuses this event's name with, or null. */
    private static String rejectedByName(Destination dest, String name, SplittableRandom rng) {
        if (dest.profile() != FailureProfile.REJECTING || name == null) {
            return null;
        }
        if (name.equals(EventContent.ORDER_COMPLETED)) {
            return Draws.chance(rng, ORDER_COMPLETED_REJECTED) ? "http_400" : null;
        }
        if (name.equals(EventContent.SIGNED_UP)) {
            return Draws.chance(rng, SIGNED_UP_REJECTED) ? "http_422" : null;
        }
        return null;
    }

    private static Attempt attempt(
            Pair pair,
            String eventId,
            int attempt,
            Outcome outcome,
            String code,
            long receivedAtMs,
            long completedAtMs,
            EventContent.Event event,
            String message) {
        return new Attempt(
                pair,
                eventId,
                attempt,
                outcome,
                code,
                receivedAtMs,
                completedAtMs,
                event.destinationType(),
                event.eventType(),
                event.eventName(),
                message);
    }

    private static String pick(
            SplittableRandom rng, String a, double pa, String b, double pb, String c) {
        double u = rng.nextDouble();
        return u < pa ? a : u < pa + pb ? b : c;
    }

    private static long duration(Destination dest, Step step, String code, SplittableRandom rng) {
        if (step == Step.SUCCESS || step == Step.REJECTED) {
            return Draws.logNormalMs(rng, dest.medianAttemptMs(), SIGMA, 1, MAX_ATTEMPT_MS);
        }
        return switch (code) {
            case "timeout" -> dest.timeoutMs() + rng.nextInt(250);
            case "http_429" -> Draws.logNormalMs(rng, 30, 0.5, 1, MAX_ATTEMPT_MS);
            default ->
                    Draws.logNormalMs(
                            rng, dest.medianAttemptMs() * 0.6, SIGMA + 0.1, 1, MAX_ATTEMPT_MS);
        };
    }

    /** Pause before the next attempt: Retry-After for 429, else jittered exponential backoff. */
    private static long backoff(int attempt, String code, SplittableRandom rng) {
        if (code.equals("http_429")) {
            return (1 + rng.nextInt(10)) * 1000L + rng.nextInt(100);
        }
        double base = Math.min(MAX_BACKOFF_MS, 1000.0 * StrictMath.pow(2, attempt - 1));
        return (long) (base * (0.8 + 0.4 * rng.nextDouble()));
    }
}
