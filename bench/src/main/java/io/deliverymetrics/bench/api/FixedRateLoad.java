package io.deliverymetrics.bench.api;

import io.deliverymetrics.bench.internal.Histograms;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An open-loop HTTP load at a fixed rate: request i of a phase is due at t0 + i / rate, whatever
 * happened to the requests before it, first for an unmeasured warm-up at the same rate, then for
 * the measured time. Loopback only; bounded in count and time.
 *
 * <p>A closed loop ({@link HttpLoadLoop}) sends the next request only when a response came back, so
 * a slow response also delays the requests that would have been sent meanwhile and their wait is
 * never measured (coordinated omission), and at full throughput its latency is mostly queueing
 * behind its own clients. Here a bounded pool of worker threads each takes the next index, waits
 * until that request is due and sends it synchronously; the latency runs from the time the request
 * was <em>due</em> to its whole response read, so when every worker is busy the requests that start
 * late carry that delay in their latency: the latencies are corrected for coordinated omission by
 * construction (intended start times, not {@code recordValueWithExpectedInterval}'s synthetic
 * samples). The service time (actual send to response) is kept apart, uncorrected. Each worker
 * sends over its own keep-alive connection ({@link LoadTarget}) and records into its own
 * HdrHistogram; the phase adds them up.
 *
 * <p>The phase stops issuing at its end: requests not started by then are not sent (they show as
 * {@code requests() < scheduled()} and a lower achieved rate); the responses of those in flight are
 * waited for at most {@code drainTimeout}, after which the load fails.
 */
public final class FixedRateLoad {

    /** A request that starts more than this after it was due is counted as late. */
    static final long LATE_NANOS = 1_000_000;

    private final int workers;
    private final Duration warmup;
    private final Duration duration;
    private final Duration drainTimeout;

    public FixedRateLoad(int workers, Duration warmup, Duration duration, Duration drainTimeout) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        this.workers = workers;
        this.warmup = warmup;
        this.duration = duration;
        this.drainTimeout = drainTimeout;
    }

    /**
     * What one measurement saw.
     *
     * @param latencies every completed request's latency in nanoseconds, from the time it was due
     *     to its whole response read (corrected for coordinated omission)
     * @param serviceTimes the same requests from the moment each was actually sent to its whole
     *     response read, in nanoseconds (not corrected: what a closed loop would have seen)
     * @param errors responses other than 200 (they are in the latencies too)
     * @param firstError status and start of the body of the first such response, or null
     * @param scheduled requests due during the measured time (ceil(duration · rate))
     * @param late requests that started more than {@link #LATE_NANOS} after they were due
     * @param targetRate the requests per second aimed at
     * @param seconds from the first due time to the last response read, at least the measured time
     * @param latencyByRequest each scheduled request's latency by its index (in due order), -1
     *     where it was not sent
     */
    public record Result(
            Histogram latencies,
            Histogram serviceTimes,
            long errors,
            String firstError,
            long scheduled,
            long late,
            double targetRate,
            double seconds,
            long[] latencyByRequest) {

        /** Requests completed (response read), errors included. */
        public long requests() {
            return latencies.getTotalCount();
        }

        /** Completed requests per second of the measured time. */
        public double achievedRate() {
            return requests() / seconds;
        }

        /**
         * The latency (from the intended send time) at quantile {@code q} (0–1) in milliseconds,
         * read from the histogram (3 significant digits); {@code q = 1} is the maximum.
         */
        public double quantileMillis(double q) {
            return Histograms.at(latencies, q * 100) / 1e6;
        }

        /** The service time (from the actual send) at quantile {@code q} in milliseconds. */
        public double serviceQuantileMillis(double q) {
            return Histograms.at(serviceTimes, q * 100) / 1e6;
        }

        /**
         * Spells of slow responses: runs of consecutive requests (in due order) each slower than
         * {@code thresholdMillis}. A few long spells are stalls of the whole path (every request
         * due during it waits); many short ones are requests slowed on their own.
         *
         * @return {spells, requests in them, requests in the longest spell}
         */
        public long[] slowSpells(double thresholdMillis) {
            long threshold = Math.round(thresholdMillis * 1e6);
            long spells = 0;
            long slow = 0;
            long longest = 0;
            long run = 0;
            for (long l : latencyByRequest) {
                if (l > threshold) {
                    run++;
                    slow++;
                    if (run == 1) {
                        spells++;
                    }
                    longest = Math.max(longest, run);
                } else {
                    run = 0;
                }
            }
            return new long[] {spells, slow, longest};
        }
    }

    /** Sends {@code target} at {@code rate} requests per second: warm-up, then the measurement. */
    public Result run(LoadTarget target, double rate) throws InterruptedException {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be positive, was " + rate);
        }
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(
                        workers, workers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        // Threads started before the first due time, so creating them does not make it late.
        pool.prestartAllCoreThreads();
        try {
            phase(pool, target, rate, warmup);
            return phase(pool, target, rate, duration);
        } finally {
            pool.shutdownNow();
        }
    }

    private Result phase(ExecutorService pool, LoadTarget target, double rate, Duration length)
            throws InterruptedException {
        double due = Math.ceil(length.toNanos() / 1e9 * rate);
        if (due > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "too many requests for one phase: " + rate + "/s for " + length);
        }
        int scheduled = (int) due;
        double periodNanos = 1e9 / rate;
        AtomicInteger next = new AtomicInteger();
        AtomicLong late = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] byRequest = new long[scheduled];
        Arrays.fill(byRequest, -1);
        long t0 = System.nanoTime();
        long deadline = t0 + length.toNanos();
        List<Future<Histogram[]>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            futures.add(
                    pool.submit(
                            () -> {
                                Histogram lat = Histograms.create();
                                Histogram service = Histograms.create();
                                try (LoadTarget.Connection http = target.open()) {
                                    for (int i = next.getAndIncrement();
                                            i < scheduled;
                                            i = next.getAndIncrement()) {
                                        long intended = t0 + Math.round(i * periodNanos);
                                        for (long wait = intended - System.nanoTime();
                                                wait > 0;
                                                wait = intended - System.nanoTime()) {
                                            LockSupport.parkNanos(wait);
                                            if (Thread.interrupted()) {
                                                throw new InterruptedException();
                                            }
                                        }
                                        long start = System.nanoTime();
                                        if (start >= deadline) {
                                            break;
                                        }
                                        if (start - intended > LATE_NANOS) {
                                            late.incrementAndGet();
                                        }
                                        LoadTarget.Response r = http.send();
                                        long end = System.nanoTime();
                                        long latency = end - intended;
                                        if (r.status() != 200) {
                                            errors.incrementAndGet();
                                            firstError.compareAndSet(null, r.describe());
                                        }
                                        lat.recordValue(latency);
                                        service.recordValue(end - start);
                                        byRequest[i] = latency;
                                    }
                                }
                                return new Histogram[] {lat, service};
                            }));
        }
        long waitUntil = deadline + drainTimeout.toNanos();
        Histogram latencies = Histograms.create();
        Histogram serviceTimes = Histograms.create();
        try {
            for (Future<Histogram[]> f : futures) {
                Histogram[] worker =
                        f.get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
                latencies.add(worker[0]);
                serviceTimes.add(worker[1]);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "requests to "
                            + target.uri()
                            + " still unanswered "
                            + drainTimeout
                            + " after the end of the load",
                    e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new IllegalStateException("request to " + target.uri() + " failed", io);
            }
            throw new IllegalStateException("load worker failed", e.getCause());
        }
        double secs = Math.max(System.nanoTime() - t0, length.toNanos()) / 1e9;
        return new Result(
                latencies,
                serviceTimes,
                errors.get(),
                firstError.get(),
                scheduled,
                late.get(),
                rate,
                secs,
                byRequest);
    }
}
