package io.deliverymetrics.bench.api;

import io.deliverymetrics.bench.internal.Histograms;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP load: {@code clients} threads each send one request, wait for the whole
 * response, and send the next, first for an unmeasured warm-up, then until the measured time or the
 * request budget runs out, each client over its own keep-alive connection ({@link LoadTarget}).
 * Loopback only; bounded in count and time.
 */
public final class HttpLoadLoop {

    private final int clients;
    private final Duration warmup;
    private final Duration duration;
    private final int maxRequests;

    public HttpLoadLoop(int clients, Duration warmup, Duration duration, int maxRequests) {
        this.clients = clients;
        this.warmup = warmup;
        this.duration = duration;
        this.maxRequests = maxRequests;
    }

    /**
     * What one measurement saw.
     *
     * @param latencies every measured request's latency in nanoseconds, send to whole response read
     *     (a closed loop: the wait of requests a slow response held back is not in it)
     * @param errors responses other than 200 (they are in the latencies too)
     * @param firstError status and start of the body of the first such response, or null
     */
    public record Result(Histogram latencies, long errors, String firstError, double seconds) {

        public long requests() {
            return latencies.getTotalCount();
        }

        public double requestsPerSecond() {
            return requests() / seconds;
        }

        /**
         * The latency at quantile {@code q} (0–1) in milliseconds, read from the histogram (3
         * significant digits); {@code q = 1} is the maximum.
         */
        public double quantileMillis(double q) {
            return Histograms.at(latencies, q * 100) / 1e6;
        }
    }

    /** Sees every response of a run, the warm-up's too, from every client thread at once. */
    @FunctionalInterface
    public interface Observer {
        /**
         * @param measured whether the response belongs to the measured phase
         * @param sentNanos {@link System#nanoTime()} when the request was sent
         * @param receivedNanos {@link System#nanoTime()} when the whole response was read
         */
        void response(
                boolean measured, long sentNanos, long receivedNanos, LoadTarget.Response response);
    }

    public Result run(LoadTarget target) throws InterruptedException {
        return run(target, (measured, sent, received, response) -> {});
    }

    /** As {@link #run(LoadTarget)}, showing every response to {@code observer}. */
    public Result run(LoadTarget target, Observer observer) throws InterruptedException {
        phase(target, warmup, Integer.MAX_VALUE, observer, false);
        return phase(target, duration, maxRequests, observer, true);
    }

    private Result phase(
            LoadTarget target, Duration length, int budget, Observer observer, boolean measured)
            throws InterruptedException {
        AtomicLong issued = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        long deadline = t0 + length.toNanos();
        try {
            List<Future<Histogram>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    Histogram lat = Histograms.create();
                                    try (LoadTarget.Connection http = target.open()) {
                                        while (System.nanoTime() < deadline
                                                && issued.incrementAndGet() <= budget) {
                                            long s = System.nanoTime();
                                            LoadTarget.Response r = http.send();
                                            long e = System.nanoTime();
                                            long took = e - s;
                                            observer.response(measured, s, e, r);
                                            if (r.status() != 200) {
                                                errors.incrementAndGet();
                                                firstError.compareAndSet(null, r.describe());
                                            }
                                            lat.recordValue(took);
                                        }
                                    }
                                    return lat;
                                }));
            }
            Histogram all = Histograms.create();
            for (Future<Histogram> f : futures) {
                all.add(f.get());
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Result(all, errors.get(), firstError.get(), secs);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new IllegalStateException("request to " + target.uri() + " failed", io);
            }
            throw new IllegalStateException("load client failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
