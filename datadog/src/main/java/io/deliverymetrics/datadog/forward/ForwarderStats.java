package io.deliverymetrics.datadog.forward;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counters of everything the forwarder did and every error it survived, and how far each workspace
 * is forwarded; thread-safe, so a metrics scrape can read them while a poll runs.
 */
public final class ForwarderStats {

    /** How a submission request ended, after its retries. */
    public enum Submission {
        /** Datadog accepted it (possibly listing errors in its answer: see intake errors). */
        ACCEPTED("accepted"),
        /** Datadog refused it with a status that is not retried (e.g. 400, 403, 413). */
        REJECTED("rejected"),
        /** No answer, 408, 429 or 5xx until the attempts ran out. */
        RETRIES_EXHAUSTED("retries_exhausted");

        private final String label;

        Submission(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** How an attempt that is retried failed. */
    public enum RetryCause {
        /** 429. */
        RATE_LIMITED("rate_limited"),
        /** 5xx. */
        SERVER_ERROR("server_error"),
        /** 408. */
        TIMEOUT("timeout"),
        /** No answer: connection refused or reset, or the client's timeout. */
        NO_ANSWER("no_answer");

        private final String label;

        RetryCause(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The cause of a retryable failure with HTTP {@code status} (0: no answer). */
        public static RetryCause of(int status) {
            return switch (status) {
                case 0 -> NO_ANSWER;
                case 408 -> TIMEOUT;
                case 429 -> RATE_LIMITED;
                default -> SERVER_ERROR;
            };
        }
    }

    /** The counters at one moment. */
    public record Snapshot(
            long polls,
            long apiErrors,
            long pointsSubmitted,
            long pointsUnchanged,
            long requestsSubmitted,
            Map<RetryCause, Long> submitRetriesByCause,
            long submitsRejected,
            long submitsExhausted,
            long intakeErrors,
            long minutesSkipped,
            long unexpectedErrors) {

        public Snapshot {
            submitRetriesByCause = Map.copyOf(submitRetriesByCause);
        }

        public long submitRetries() {
            return submitRetriesByCause.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Requests given up: refused, or out of retries. */
        public long submitFailures() {
            return submitsRejected + submitsExhausted;
        }
    }

    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong apiErrors = new AtomicLong();
    private final AtomicLong pointsSubmitted = new AtomicLong();
    private final AtomicLong pointsUnchanged = new AtomicLong();
    private final Map<Submission, AtomicLong> submissions = counters(Submission.class);
    private final Map<RetryCause, AtomicLong> retries = counters(RetryCause.class);
    private final AtomicLong intakeErrors = new AtomicLong();
    private final AtomicLong minutesSkipped = new AtomicLong();
    private final AtomicLong unexpectedErrors = new AtomicLong();
    private final AtomicReference<Instant> lastSubmission = new AtomicReference<>();
    private final Map<String, Instant> forwardedThrough = new ConcurrentHashMap<>();

    /** One workspace was polled. */
    public void poll() {
        polls.incrementAndGet();
    }

    /** The Delivery Metrics API answered with an error or not at all. */
    public void apiError() {
        apiErrors.incrementAndGet();
    }

    /** Datadog accepted a request with {@code points} points at {@code at}. */
    public void submitted(int points, Instant at) {
        submissions.get(Submission.ACCEPTED).incrementAndGet();
        pointsSubmitted.addAndGet(points);
        lastSubmission.accumulateAndGet(
                at, (old, neu) -> old == null || neu.isAfter(old) ? neu : old);
    }

    /** Points not sent because Datadog already has exactly these values. */
    public void unchanged(int points) {
        pointsUnchanged.addAndGet(points);
    }

    /** An attempt failed with HTTP {@code status} (0: no answer) and is tried again. */
    public void submitRetry(int status) {
        retries.get(RetryCause.of(status)).incrementAndGet();
    }

    /**
     * A request was given up: after its retries ({@code retryable}) or on a non-retryable answer.
     */
    public void submitFailure(boolean retryable) {
        submissions
                .get(retryable ? Submission.RETRIES_EXHAUSTED : Submission.REJECTED)
                .incrementAndGet();
    }

    /** Datadog accepted a request but listed errors in its answer. */
    public void intakeError() {
        intakeErrors.incrementAndGet();
    }

    /** Minutes that fell out of the catch-up window and were never forwarded. */
    public void skipped(long minutes) {
        minutesSkipped.addAndGet(minutes);
    }

    /** A bug or an I/O problem outside the two HTTP calls (e.g. the state file). */
    public void unexpectedError() {
        unexpectedErrors.incrementAndGet();
    }

    /** After a poll of {@code workspace}: everything before {@code through} is in Datadog. */
    public void forwardedThrough(String workspace, Optional<Instant> through) {
        through.ifPresent(t -> forwardedThrough.put(workspace, t));
    }

    /** The earliest progress of the workspaces polled so far; empty before the first poll. */
    public Optional<Instant> oldestForwardedThrough() {
        return forwardedThrough.values().stream().min(Instant::compareTo);
    }

    /** When Datadog last accepted a request; empty until it first did. */
    public Optional<Instant> lastSubmission() {
        return Optional.ofNullable(lastSubmission.get());
    }

    /** Requests that ended as {@code outcome}. */
    public long submissions(Submission outcome) {
        return submissions.get(outcome).get();
    }

    /** Attempts retried after failing with {@code cause}. */
    public long retries(RetryCause cause) {
        return retries.get(cause).get();
    }

    public Snapshot snapshot() {
        Map<RetryCause, Long> retriesByCause = new EnumMap<>(RetryCause.class);
        retries.forEach((cause, n) -> retriesByCause.put(cause, n.get()));
        return new Snapshot(
                polls.get(),
                apiErrors.get(),
                pointsSubmitted.get(),
                pointsUnchanged.get(),
                submissions(Submission.ACCEPTED),
                retriesByCause,
                submissions(Submission.REJECTED),
                submissions(Submission.RETRIES_EXHAUSTED),
                intakeErrors.get(),
                minutesSkipped.get(),
                unexpectedErrors.get());
    }

    private static <E extends Enum<E>> Map<E, AtomicLong> counters(Class<E> type) {
        Map<E, AtomicLong> out = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            out.put(e, new AtomicLong());
        }
        return out;
    }
}
