package io.deliverymetrics.loadgen;

import java.time.Duration;
import java.time.Instant;

/**
 * Counters of a load run, reported while it runs and when it ends.
 *
 * @param events events whose attempt records have been generated
 * @param sent records handed to the sink
 * @param acked records the sink acknowledged
 * @param valid VALID records sent
 * @param late LATE records sent
 * @param malformed MALFORMED records sent
 * @param recordsPerSecond records sent per wall-clock second since the previous report
 * @param clock the generator clock of the last record sent
 * @param elapsed wall-clock time since the run started
 * @param complete whether every record of the spec was sent and acknowledged
 */
public record RunStats(
        long events,
        long sent,
        long acked,
        long valid,
        long late,
        long malformed,
        double recordsPerSecond,
        Instant clock,
        Duration elapsed,
        boolean complete) {

    /** One human-readable line, e.g. for a progress display. */
    public String toLine() {
        return String.format(
                "events=%,d sent=%,d acked=%,d rate=%,.0f/s late=%,d malformed=%,d clock=%s"
                        + " elapsed=%.1fs",
                events,
                sent,
                acked,
                recordsPerSecond,
                late,
                malformed,
                clock,
                elapsed.toMillis() / 1000.0);
    }
}
