package io.deliverymetrics.bench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpExchange;
import io.deliverymetrics.bench.internal.Histograms;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FixedRateLoad} against a loopback server that answers after a fixed sleep. Only what
 * cannot depend on the machine's speed is asserted: the server's own counts, lower bounds that the
 * server's sleeps impose on the latencies and the schedule, never how many requests made it.
 */
class FixedRateLoadTest {

    private static final Duration SLEEP = Duration.ofMillis(20);
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private final AtomicInteger arrived = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private LoopbackHttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server =
                new LoopbackHttpServer(
                        Map.of(
                                "/ok", ex -> answer(ex, false),
                                "/flaky", ex -> answer(ex, arrived.getAndIncrement() % 2 == 0)));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void shouldCountEveryAnsweredRequestOnceWithItsLatencyFromTheIntendedSendTime()
            throws Exception {
        FixedRateLoad load = new FixedRateLoad(8, Duration.ZERO, Duration.ofSeconds(1), DRAIN);

        FixedRateLoad.Result r = load.run(request("/ok"), 40);

        assertThat(r.scheduled()).isEqualTo(40);
        assertThat(r.targetRate()).isEqualTo(40);
        assertThat(r.requests()).isPositive().isLessThanOrEqualTo(r.scheduled());
        assertThat(r.requests()).isEqualTo(served.get());
        assertThat(r.errors()).isZero();
        assertThat(r.firstError()).isNull();
        assertThat(r.serviceTimes().getTotalCount()).isEqualTo(r.requests());
        // 3 significant digits: a recorded value may read up to 0.1 % lower.
        assertThat(r.latencies().getMinValue())
                .isGreaterThanOrEqualTo(SLEEP.toNanos() * 999 / 1000);
        assertThat(r.serviceTimes().getMinValue())
                .isGreaterThanOrEqualTo(SLEEP.toNanos() * 999 / 1000);
        assertThat(r.seconds()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldCountEveryNon200ResponseAsAnErrorAndKeepTheFirst() throws Exception {
        FixedRateLoad load = new FixedRateLoad(8, Duration.ZERO, Duration.ofSeconds(1), DRAIN);

        FixedRateLoad.Result r = load.run(request("/flaky"), 40);

        assertThat(r.requests()).isPositive().isEqualTo(served.get());
        // The first request to arrive fails, then every other one.
        assertThat(r.errors()).isPositive().isEqualTo(failed.get());
        assertThat(r.firstError()).isEqualTo("503 busy");
    }

    /**
     * One worker and a server slower than the rate: request i is due at i · 10 ms but cannot start
     * before the i responses ahead of it are read, each at least 20 ms, so it starts late and its
     * latency includes that wait, which a closed loop would not have measured.
     */
    @Test
    void shouldChargeTheWaitForABusyWorkerToTheLatency() throws Exception {
        FixedRateLoad load = new FixedRateLoad(1, Duration.ZERO, Duration.ofSeconds(1), DRAIN);

        FixedRateLoad.Result r = load.run(request("/ok"), 100);

        int n = (int) r.requests();
        assertThat(r.scheduled()).isEqualTo(100);
        assertThat(n).isPositive().isEqualTo(served.get());
        // Request i starts at least i · 20 ms after t0, so at most 50 start within the second;
        // the rest is not sent.
        assertThat(n).isLessThanOrEqualTo(50);
        assertThat(r.late()).isGreaterThanOrEqualTo(n - 1);
        // Request i is read at least (i + 1) · 20 ms after t0 and was due at i · 10 ms, so its
        // latency is at least 10 · i + 20 ms.
        long[] byRequest = r.latencyByRequest();
        for (int i = 0; i < n; i++) {
            assertThat(byRequest[i])
                    .as("latency of request " + i)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(10L * i + 20).toNanos());
        }
        // The histogram holds the same latencies (to 0.1 %), while the service times, from the
        // actual send, do not grow with the wait: the correction is in the latencies only.
        assertThat(r.latencies().getMaxValue())
                .isGreaterThanOrEqualTo(
                        Duration.ofMillis(10L * (n - 1) + 20).toNanos() * 999 / 1000);
        assertThat(r.quantileMillis(1)).isGreaterThanOrEqualTo(r.serviceQuantileMillis(1));
    }

    @Test
    void shouldReadQuantilesFromTheHistogramToThreeSignificantDigits() {
        Histogram latencies = Histograms.create();
        for (int i = 1; i <= 1000; i++) {
            latencies.recordValue(i * 1_000_000L);
        }
        FixedRateLoad.Result r =
                new FixedRateLoad.Result(
                        latencies, Histograms.create(), 0, null, 1000, 0, 1000, 1, new long[0]);

        assertThat(r.requests()).isEqualTo(1000);
        assertThat(r.quantileMillis(0.5)).isCloseTo(500, within(0.5));
        assertThat(r.quantileMillis(0.99)).isCloseTo(990, within(1.0));
        assertThat(r.quantileMillis(0.999)).isCloseTo(999, within(1.0));
        assertThat(r.quantileMillis(1)).isCloseTo(1000, within(1.0));
        assertThat(r.serviceQuantileMillis(0.99)).isNaN();
        assertThat(r.achievedRate()).isEqualTo(1000);
    }

    @Test
    void shouldCountRunsOfConsecutiveSlowRequestsAsSpells() {
        long ms = 1_000_000L;
        long[] byRequest = {ms, 30 * ms, 40 * ms, ms, -1, 25 * ms, ms, 50 * ms, 60 * ms, 70 * ms};
        FixedRateLoad.Result r =
                new FixedRateLoad.Result(
                        Histograms.create(), Histograms.create(), 0, null, 10, 0, 10, 1, byRequest);

        assertThat(r.slowSpells(20)).containsExactly(3, 6, 3);
    }

    private LoadTarget request(String path) {
        return new LoadTarget(URI.create(server.url(path)), Map.of(), DRAIN);
    }

    private void answer(HttpExchange ex, boolean fail) throws IOException {
        try {
            Thread.sleep(SLEEP.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = (fail ? "busy" : "{}").getBytes(StandardCharsets.UTF_8);
        if (fail) {
            failed.incrementAndGet();
        }
        served.incrementAndGet();
        ex.sendResponseHeaders(fail ? 503 : 200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
