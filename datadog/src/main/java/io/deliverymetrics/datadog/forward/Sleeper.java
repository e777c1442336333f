package io.deliverymetrics.datadog.forward;

import java.time.Duration;

/** Waits; the forwarder's only way to pass time, so tests can run backoffs and intervals fast. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** Really waits, interruptibly. */
    static Sleeper system() {
        return d -> {
            if (!d.isNegative() && !d.isZero()) {
                Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
            }
        };
    }
}
