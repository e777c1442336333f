package io.deliverymetrics.datadog.forward;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of everything the forwarder did and every error it survived; thread-safe. */
public final class ForwarderStats {

    /** The counters at one moment. */
    public record Snapshot(
            long polls,
            long apiErrors,
            long pointsSubmitted,
            long pointsUnchanged,
            long requestsSubmitted,
            long submitRetries,
            long submitFailures,
            long intakeErrors,
            long minutesSkipped,
            long unexpectedErrors) {}

    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong apiErrors = new AtomicLong();
    private final AtomicLong pointsSubmitted = new AtomicLong();
    private final AtomicLong pointsUnchanged = new AtomicLong();
    private final AtomicLong requestsSubmitted = new AtomicLong();
    private final AtomicLong submitRetries = new AtomicLong();
    private final AtomicLong submitFailures = new AtomicLong();
    private final AtomicLong intakeErrors = new AtomicLong();
    private final AtomicLong minutesSkipped = new AtomicLong();
    private final AtomicLong unexpectedErrors = new AtomicLong();

    /** One workspace was polled. */
    public void poll() {
        polls.incrementAndGet();
    }

    /** The Delivery Metrics API answered with an error or not at all. */
    public void apiError() {
        apiErrors.incrementAndGet();
    }

    /** Datadog accepted a request with {@code points} points. */
    public void submitted(int points) {
        requestsSubmitted.incrementAndGet();
        pointsSubmitted.addAndGet(points);
    }

    /** Points not sent because Datadog already has exactly these values. */
    public void unchanged(int points) {
        pointsUnchanged.addAndGet(points);
    }

    public void submitRetry() {
        submitRetries.incrementAndGet();
    }

    /** A request was given up after its retries or on a non-retryable answer. */
    public void submitFailure() {
        submitFailures.incrementAndGet();
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

    public Snapshot snapshot() {
        return new Snapshot(
                polls.get(),
                apiErrors.get(),
                pointsSubmitted.get(),
                pointsUnchanged.get(),
                requestsSubmitted.get(),
                submitRetries.get(),
                submitFailures.get(),
                intakeErrors.get(),
                minutesSkipped.get(),
                unexpectedErrors.get());
    }
}
