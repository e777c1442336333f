package io.deliverymetrics.bench.api;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
     * @param latenciesNanos every measured request's latency, ascending
     * @param errors responses other than 200 (they are in the latencies too)
     * @param firstError status and start of the body of the first such response, or null
     */
    public record Result(long[] latenciesNanos, long errors, String firstError, double seconds) {

        public long requests() {
            return latenciesNanos.length;
        }

        public double requestsPerSecond() {
            return latenciesNanos.length / seconds;
        }

        /** The latency at rank floor(q · (n − 1)) in milliseconds. */
        public double quantileMillis(double q) {
            return HttpLoadLoop.quantileMillis(latenciesNanos, q);
        }
    }

    /**
     * The value at rank floor(q · (n − 1)) of ascending nanosecond latencies, in milliseconds (NaN
     * for none): the convention of every latency quantile of the API benchmark.
     */
    static double quantileMillis(long[] ascendingNanos, double q) {
        if (ascendingNanos.length == 0) {
            return Double.NaN;
        }
        return ascendingNanos[(int) Math.floor(q * (ascendingNanos.length - 1))] / 1e6;
    }

    public Result run(LoadTarget target) throws InterruptedException {
        phase(target, warmup, Integer.MAX_VALUE);
        return phase(target, duration, maxRequests);
    }

    private Result phase(LoadTarget target, Duration length, int budget)
            throws InterruptedException {
        AtomicLong issued = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        long deadline = t0 + length.toNanos();
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    long[] lat = new long[1024];
                                    int n = 0;
                                    try (LoadTarget.Connection http = target.open()) {
                                        while (System.nanoTime() < deadline
                                                && issued.incrementAndGet() <= budget) {
                                            long s = System.nanoTime();
                                            LoadTarget.Response r = http.send();
                                            long took = System.nanoTime() - s;
                                            if (r.status() != 200) {
                                                errors.incrementAndGet();
                                                firstError.compareAndSet(null, r.describe());
                                            }
                                            if (n == lat.length) {
                                                lat = Arrays.copyOf(lat, n * 2);
                                            }
                                            lat[n++] = took;
                                        }
                                    }
                                    return Arrays.copyOf(lat, n);
                                }));
            }
            List<long[]> parts = new ArrayList<>();
            for (Future<long[]> f : futures) {
                parts.add(f.get());
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long[] all = parts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
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
