package io.deliverymetrics.bench.isolation;

import io.deliverymetrics.bench.api.LoadTarget;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One workspace's clients, running until closed, each over its own keep-alive connection ({@link
 * LoadTarget}). Closed-loop clients send the request, read the whole response and send it again;
 * paced clients send request k at {@code t0 + k / rate} (open loop) and measure its latency from
 * that due time, so a request that starts late because the one before was slow carries the delay
 * (no coordinated omission). Clients that honour {@code Retry-After} wait that long after a
 * response carrying it (the query budget's 429, a 503 of an unreachable shard) before their next
 * request, as a client that follows the server's advice does; the others send the next request at
 * once. Each response's latency (send to whole response read) is recorded by its {@link
 * ResponseKind} (status and problem type) in an HdrHistogram {@link Recorder}; {@link #beginWindow}
 * and {@link #endWindow} cut out a measured window. Loopback only.
 */
final class TenantClients implements AutoCloseable {

    /** Largest latency recorded, in microseconds (a request times out well before). */
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    /** Significant decimal digits of the histograms: 0.1 % resolution. */
    static final int DIGITS = 3;

    private final LoadTarget target;
    private final boolean honourRetryAfter;
    // Nanoseconds between one paced client's requests; 0 for a closed loop.
    private final long intervalNanos;
    private final ExecutorService threads;
    private final List<Future<Void>> clients = new ArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final ConcurrentMap<ResponseKind, Recorder> byKind = new ConcurrentHashMap<>();
    private long windowStart;

    private TenantClients(
            LoadTarget target, int count, boolean honourRetryAfter, long intervalNanos) {
        this.target = target;
        this.honourRetryAfter = honourRetryAfter;
        this.intervalNanos = intervalNanos;
        this.threads = Executors.newFixedThreadPool(count);
    }

    /** Starts {@code count} closed-loop clients sending {@code target}. */
    static TenantClients start(LoadTarget target, int count, boolean honourRetryAfter) {
        return start(target, count, honourRetryAfter, 0);
    }

    /** Starts {@code count} clients sending {@code target} {@code ratePerClient} times a second. */
    static TenantClients paced(LoadTarget target, int count, double ratePerClient) {
        if (!(ratePerClient > 0)) {
            throw new IllegalArgumentException("rate must be positive, was " + ratePerClient);
        }
        return start(target, count, false, Math.max(1, Math.round(1e9 / ratePerClient)));
    }

    private static TenantClients start(
            LoadTarget target, int count, boolean honourRetryAfter, long intervalNanos) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, was " + count);
        }
        TenantClients c = new TenantClients(target, count, honourRetryAfter, intervalNanos);
        c.windowStart = System.nanoTime();
        for (int i = 0; i < count; i++) {
            // Paced clients start spread over one interval, not all at once.
            long offset = intervalNanos * i / count;
            c.clients.add(c.threads.submit(() -> c.loop(offset)));
        }
        return c;
    }

    /**
     * What one measured window saw.
     *
     * @param byKind latencies in microseconds per kind of response, of the responses read in the
     *     window
     * @param seconds length of the window
     */
    record Window(Map<ResponseKind, Histogram> byKind, double seconds) {

        Window {
            byKind = Map.copyOf(byKind);
        }

        StatusCounts counts() {
            Map<ResponseKind, Long> n = new TreeMap<>();
            byKind.forEach((kind, h) -> n.put(kind, h.getTotalCount()));
            return StatusCounts.of(n);
        }

        /** Every response's latency, whatever its kind. */
        Histogram all() {
            Histogram h = new Histogram(HIGHEST_MICROS, DIGITS);
            byKind.values().forEach(h::add);
            return h;
        }

        /** The latencies of responses of {@code kind}; empty when there were none. */
        Histogram of(ResponseKind kind) {
            Histogram h = byKind.get(kind);
            return h != null ? h : new Histogram(HIGHEST_MICROS, DIGITS);
        }

        /** Responses per second of the window. */
        double perSecond(long responses) {
            return responses / seconds;
        }

        /** The latency at {@code percentile} (0–100) in milliseconds; NaN when empty. */
        static double millis(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e3;
        }
    }

    /** Starts a measured window: what was recorded so far is dropped. */
    void beginWindow() {
        byKind.values().forEach(Recorder::reset);
        windowStart = System.nanoTime();
        failIfAClientFailed();
    }

    /** The responses read since {@link #beginWindow}; the clients keep running. */
    Window endWindow() {
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        Map<ResponseKind, Histogram> out = new TreeMap<>();
        byKind.forEach((kind, r) -> out.put(kind, r.getIntervalHistogram()));
        failIfAClientFailed();
        return new Window(out, seconds);
    }

    /** Stops the clients; waits for their requests in flight. */
    @Override
    public void close() {
        stop.countDown();
        threads.shutdown();
        try {
            for (Future<Void> f : clients) {
                f.get(
                        target.timeout().plus(Duration.ofSeconds(10)).toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "a client of " + target.uri() + " did not stop within its request timeout", e);
        } catch (ExecutionException e) {
            throw failure(e);
        } finally {
            threads.shutdownNow();
        }
    }

    private Void loop(long offsetNanos) throws IOException, InterruptedException {
        try (LoadTarget.Connection http = target.open()) {
            long due = System.nanoTime() + offsetNanos;
            while (stop.getCount() > 0) {
                long t0;
                if (intervalNanos > 0) {
                    long wait = due - System.nanoTime();
                    if (wait > 0 && stop.await(wait, TimeUnit.NANOSECONDS)) {
                        break;
                    }
                    t0 = due;
                    due += intervalNanos;
                } else {
                    t0 = System.nanoTime();
                }
                LoadTarget.Response r = http.send();
                long micros = (System.nanoTime() - t0) / 1_000;
                recorder(ResponseKind.of(r.status(), r.body()))
                        .recordValue(Math.min(HIGHEST_MICROS, Math.max(0, micros)));
                if (honourRetryAfter && r.retryAfterSeconds().isPresent()) {
                    // Returns early when the clients are closed.
                    stop.await(r.retryAfterSeconds().getAsLong(), TimeUnit.SECONDS);
                }
            }
        }
        return null;
    }

    private Recorder recorder(ResponseKind kind) {
        return byKind.computeIfAbsent(kind, k -> new Recorder(HIGHEST_MICROS, DIGITS));
    }

    private void failIfAClientFailed() {
        for (Future<Void> f : clients) {
            if (f.isDone()) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    throw failure(e);
                }
            }
        }
    }

    private IllegalStateException failure(ExecutionException e) {
        return new IllegalStateException(
                "a client of " + target.uri() + " failed: " + e.getCause(), e.getCause());
    }
}
