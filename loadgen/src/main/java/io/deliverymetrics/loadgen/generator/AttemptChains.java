package io.deliverymetrics.loadgen.generator;

import io.deliverymetrics.loadgen.model.Attempt;
import io.deliverymetrics.loadgen.model.Destination;
import io.deliverymetrics.loadgen.model.Outcome;
import io.deliverymetrics.loadgen.model.Pair;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates the delivery of one event to its destination: a chain of attempts 1..n whose last
 * attempt has the only terminal outcome, with log-normal attempt durations and backoff between
 * attempts.
 */
final class AttemptChains {

    /** Longest single attempt; the log-normal tail is clamped here. */
    static final long MAX_ATTEMPT_MS = 60_000;

    private static final long MAX_BACKOFF_MS = 60_000;
    private static final double SIGMA = 0.8;

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

    /** Appends the attempts of one event to {@code out} (cleared first). */
    void generate(
            Pair pair,
            Destination dest,
            String eventId,
            long receivedAtMs,
            SplittableRandom rng,
            List<Attempt> out) {
        out.clear();
        if (Draws.chance(rng, dest.filterShare())) {
            long completed = receivedAtMs + 1 + rng.nextInt(20);
            out.add(new Attempt(pair, eventId, 1, Outcome.FILTERED, null, receivedAtMs, completed));
            return;
        }
        long t = receivedAtMs;
        for (int attempt = 1; ; attempt++) {
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
            t += duration(dest, step, code, rng);
            if (step == Step.SUCCESS) {
                out.add(
                        new Attempt(
                                pair, eventId, attempt, Outcome.DELIVERED, null, receivedAtMs, t));
                return;
            }
            if (step == Step.REJECTED) {
                out.add(
                        new Attempt(
                                pair, eventId, attempt, Outcome.DISCARDED, code, receivedAtMs, t));
                return;
            }
            if (attempt >= maxAttempts) {
                out.add(
                        new Attempt(
                                pair, eventId, attempt, Outcome.EXPIRED, code, receivedAtMs, t));
                return;
            }
            out.add(new Attempt(pair, eventId, attempt, Outcome.RETRYING, code, receivedAtMs, t));
            t += backoff(attempt, code, rng);
        }
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
