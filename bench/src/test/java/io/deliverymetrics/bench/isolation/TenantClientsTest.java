package io.deliverymetrics.bench.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.deliverymetrics.bench.api.LoadTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TenantClients} against the JDK's HTTP server on loopback, which refuses every request with
 * 429 and {@code Retry-After: 1}. Only bounds that the machine's speed cannot break are checked.
 */
class TenantClientsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/busy", this::refuse);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        threads.shutdownNow();
    }

    @Test
    void shouldWaitWhatRetryAfterSaysBeforeSendingAgain() {
        try (TenantClients c = TenantClients.start(busy(), 1, true)) {
            awaitArrivals(2);
        }

        // The second request leaves at least 1 s after the first response was read.
        assertThat(arrivals.get(1) - arrivals.get(0))
                .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void shouldSendAgainAtOnceWhenNotHonouringRetryAfterAndCountResponsesByStatus() {
        TenantClients.Window window;
        try (TenantClients c = TenantClients.start(busy(), 1, false)) {
            // Waiting 1 s after each response, 30 requests would take 29 s, past the deadline.
            awaitArrivals(30);
            window = c.endWindow();
        }

        ResponseKind refused = new ResponseKind(429, "");
        assertThat(window.counts().byKind()).containsOnlyKeys(refused);
        assertThat(window.counts().withStatus(429)).isGreaterThanOrEqualTo(29);
        assertThat(window.all().getTotalCount()).isEqualTo(window.counts().total());
        assertThat(window.of(ResponseKind.OK).getTotalCount()).isZero();
        assertThat(TenantClients.Window.millis(window.of(refused), 50)).isPositive();
        assertThat(TenantClients.Window.millis(window.of(ResponseKind.OK), 50)).isNaN();
    }

    @Test
    void shouldDropWhatCameBeforeTheWindow() {
        try (TenantClients c = TenantClients.start(busy(), 1, true)) {
            awaitArrivals(2);
            int before = arrivals.size();
            c.beginWindow();
            TenantClients.Window window = c.endWindow();
            int after = arrivals.size();

            // At most the one request in flight when the window began, and those sent in it.
            assertThat(window.counts().total()).isLessThanOrEqualTo(after - before + 1);
            assertThat(window.seconds()).isPositive();
        }
    }

    private LoadTarget busy() {
        return LoadTarget.withBearer(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/busy", "t0k3n", DEADLINE);
    }

    private void awaitArrivals(int n) {
        await(() -> arrivals.size() >= n, n + " requests");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + DEADLINE);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private void refuse(HttpExchange ex) throws IOException {
        arrivals.add(System.nanoTime());
        ex.getRequestBody().readAllBytes();
        byte[] body = "busy".getBytes();
        ex.getResponseHeaders().add("Retry-After", "1");
        ex.sendResponseHeaders(429, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
