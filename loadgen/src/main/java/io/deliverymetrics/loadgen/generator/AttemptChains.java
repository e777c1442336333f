package io.deliverymetrics.loadgen.generator;

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
 */
final class AttemptChains {

    /** Longest single attempt; the log-normal tail is clamped here. */
    static final long MAX_ATTEMPT_MS = 60_000;

    private static final long MAX_BACKOFF_MS = 60_000;
    private static final double SIGMA = 0.8;

    static final double ORDER_COMPLETED_REJECTED = 0.5;
    static final double SIGNED_UP_REJECTED = 0.3;

    private final int maxAttempts;

    AttemptChains(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** The result of one attempt before it is turned into an outcome. */
    private enum Step {
        SUCCESS,
        RETRYABLE,
        REJECTED
    }

    /**
     * Appends the attempts of one event to {@code out} (cleared first); outcomes and times are
     * drawn from {@code rng}, error messages from {@code contentRng}.
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
        long t = receivedAtMs;
        for (int attempt = 1; ; attempt++) {
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
            t += duration(dest, step, code, rng);
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
            String message = EventContent.errorMessage(code, event.eventName(), dest, contentRng);
            Outcome outcome =
                    step == Step.REJECTED
                            ? Outcome.DISCARDED
                            : attempt >= maxAttempts ? Outcome.EXPIRED : Outcome.RETRYING;
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
            t += backoff(attempt, code, rng);
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
