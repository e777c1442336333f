package io.deliverymetrics.bench.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
        assertThat(r.latenciesNanos()).isSorted();
        assertThat(r.latenciesNanos()[0]).isGreaterThanOrEqualTo(SLEEP.toNanos());
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
        // latency is at least 10 · i + 20 ms; these bounds rise with i, so they hold by rank too.
        long[] latencies = r.latenciesNanos();
        for (int i = 0; i < n; i++) {
            assertThat(latencies[i])
                    .as("latency of rank " + i)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(10L * i + 20).toNanos());
        }
    }

    @Test
    void shouldTakeQuantilesAtRankFloorOfQTimesNMinusOne() {
        long[] ms = new long[1000];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = (i + 1) * 1_000_000L;
        }
        FixedRateLoad.Result r = new FixedRateLoad.Result(ms, 0, null, 1000, 0, 1000, 1, ms);

        assertThat(r.quantileMillis(0.5)).isEqualTo(500);
        assertThat(r.quantileMillis(0.99)).isEqualTo(990);
        assertThat(r.quantileMillis(0.999)).isEqualTo(999);
        assertThat(r.quantileMillis(1)).isEqualTo(1000);
        assertThat(r.achievedRate()).isEqualTo(1000);
    }

    @Test
    void shouldCountRunsOfConsecutiveSlowRequestsAsSpells() {
        long ms = 1_000_000L;
        long[] byRequest = {ms, 30 * ms, 40 * ms, ms, -1, 25 * ms, ms, 50 * ms, 60 * ms, 70 * ms};
        FixedRateLoad.Result r =
                new FixedRateLoad.Result(new long[0], 0, null, 10, 0, 10, 1, byRequest);

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
