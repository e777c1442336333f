package io.deliverymetrics.loadgen;

import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.generator.LoadGenerator;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.sink.LoadSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one load run: takes records from a {@link LoadGenerator}, paces them to the wall clock in
 * realtime mode, sends them to a {@link LoadSink} and flushes it at the end.
 *
 * <p>The sink's {@link io.deliverymetrics.loadgen.sink.AckListener} (usually a {@link
 * io.deliverymetrics.loadgen.truth.Truth}) sees every acknowledged record; a sink failure ends the
 * run with a {@link io.deliverymetrics.loadgen.sink.LoadSinkException}.
 */
public final class LoadRunner {

    private static final Logger LOG = LoggerFactory.getLogger(LoadRunner.class);
    private static final int PROGRESS_CHECK_EVERY = 256;

    private final LoadSpec spec;
    private final LoadSink sink;
    private Clock clock = Clock.systemUTC();
    private Instant start;
    private Consumer<RunStats> progress = stats -> {};
    private long progressIntervalNanos = TimeUnit.SECONDS.toNanos(1);
    private volatile boolean stopRequested;

    public LoadRunner(LoadSpec spec, LoadSink sink) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Calls {@code listener} about every {@code interval} of wall-clock time during the run. */
    public LoadRunner withProgress(Consumer<RunStats> listener, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("progress interval must be positive: " + interval);
        }
        this.progress = Objects.requireNonNull(listener, "listener");
        this.progressIntervalNanos = interval.toNanos();
        return this;
    }

    /** The wall clock for realtime mode (start time and pacing). */
    public LoadRunner withClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Realtime mode: the first event's receipt (millisecond precision), from which incidents are
     * scheduled; default: the clock's time when {@link #run()} starts. Records due before the clock
     * reaches the run are sent at once.
     */
    public LoadRunner withStart(Instant start) {
        this.start = Objects.requireNonNull(start, "start");
        return this;
    }

    /** Asks a running {@link #run()} to stop after the current record; safe from any thread. */
    public void stop() {
        stopRequested = true;
    }

    /** Sends all records of the spec (or until {@link #stop()}), flushes, returns the counts. */
    public RunStats run() {
        LoadGenerator generator =
                spec.realtime()
                        ? LoadGenerator.startingAt(
                                spec,
                                start != null
                                        ? start
                                        : clock.instant().truncatedTo(ChronoUnit.MILLIS))
                        : LoadGenerator.create(spec);
        LOG.info(
                "starting run: {} events at {}/s over {} pairs, seed {}, {} clock from {}",
                spec.eventCount(),
                spec.rate(),
                spec.pairs(),
                spec.seed(),
                spec.realtime() ? "wall" : "simulated",
                Instant.ofEpochMilli(generator.clockMs()));
        Counters c = new Counters(generator, System.nanoTime());
        while (!stopRequested && generator.hasNext()) {
            GeneratedRecord record = generator.next();
            if (spec.realtime()) {
                waitUntil(record.clockMs(), c);
                if (stopRequested) {
                    break;
                }
            }
            sink.send(record);
            c.count(record);
            if (spec.realtime() || c.sent % PROGRESS_CHECK_EVERY == 0) {
                c.maybeReport();
            }
        }
        sink.flush();
        RunStats stats = c.stats(!generator.hasNext(), true);
        LOG.info("run {}: {}", stats.complete() ? "complete" : "stopped early", stats.toLine());
        return stats;
    }

    private void waitUntil(long dueMs, Counters c) {
        long waitMs;
        while (!stopRequested && (waitMs = dueMs - clock.millis()) > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(waitMs, 100)));
            c.maybeReport();
        }
    }

    /** The counters of one run and the bookkeeping of its progress reports. */
    private final class Counters {
        private final LoadGenerator generator;
        private final long startNanos;
        private long lastReportNanos;
        private long lastReportSent;
        private long sent;
        private long valid;
        private long late;
        private long malformed;
        private long lastClock;

        Counters(LoadGenerator generator, long startNanos) {
            this.generator = generator;
            this.startNanos = startNanos;
            this.lastReportNanos = startNanos;
            this.lastClock = generator.clockMs();
        }

        void count(GeneratedRecord record) {
            sent++;
            lastClock = record.clockMs();
            switch (record.kind()) {
                case VALID -> valid++;
                case LATE -> late++;
                case MALFORMED -> malformed++;
                default -> throw new IllegalStateException("unknown kind " + record.kind());
            }
        }

        void maybeReport() {
            long now = System.nanoTime();
            if (now - lastReportNanos >= progressIntervalNanos) {
                RunStats stats = stats(false, false);
                lastReportNanos = now;
                lastReportSent = sent;
                progress.accept(stats);
            }
        }

        /** Current counters; the rate is since the last report, or over the whole run if final. */
        RunStats stats(boolean complete, boolean whole) {
            long now = System.nanoTime();
            double rate =
                    whole
                            ? sent * 1e9 / Math.max(1, now - startNanos)
                            : (sent - lastReportSent) * 1e9 / Math.max(1, now - lastReportNanos);
            return new RunStats(
                    generator.eventsGenerated(),
                    sent,
                    sink.acked(),
                    valid,
                    late,
                    malformed,
                    rate,
                    Instant.ofEpochMilli(lastClock),
                    Duration.ofNanos(now - startNanos),
                    complete);
        }
    }
}
