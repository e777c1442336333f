package io.deliverymetrics.flink.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** Re-reads a value until it satisfies a condition or a deadline passes. */
public final class Poll {

    /** Pause between two reads; the deadline, not this pause, bounds the wait. */
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** One read of the polled value; may fail, which ends the polling. */
    @FunctionalInterface
    public interface Probe<T> {
        T read() throws Exception;
    }

    private Poll() {}

    /**
     * Reads {@code probe} until {@code done} accepts the value or {@code timeout} has passed, and
     * returns the last value read: the caller asserts on it, so a timeout fails with the value that
     * did not match.
     */
    public static <T> T until(Duration timeout, Probe<T> probe, Predicate<T> done)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.read();
            if (done.test(value) || System.nanoTime() - deadline >= 0) {
                return value;
            }
            LockSupport.parkNanos(INTERVAL_NANOS);
        }
    }
}
