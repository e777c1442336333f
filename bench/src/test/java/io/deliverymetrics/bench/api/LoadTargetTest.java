package io.deliverymetrics.bench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link LoadTarget}'s client against the JDK's own HTTP server on loopback. */
class LoadTargetTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private LoopbackHttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        // sendResponseHeaders(code, n): n > 0 sends Content-Length, 0 a chunked body.
        server =
                new LoopbackHttpServer(
                        Map.of(
                                "/fixed", ex -> answer(ex, 200, body(100_000), false),
                                "/chunked", ex -> answer(ex, 200, body(200_000), true),
                                "/empty", ex -> answer(ex, 204, new byte[0], false),
                                "/missing",
                                        ex -> answer(ex, 404, "no such thing".getBytes(), false),
                                "/busy",
                                        ex -> {
                                            ex.getResponseHeaders().add("Retry-After", "1");
                                            answer(ex, 429, "busy".getBytes(), false);
                                        },
                                "/busy-until",
                                        ex -> {
                                            ex.getResponseHeaders()
                                                    .add(
                                                            "Retry-After",
                                                            "Wed, 21 Oct 2026 07:28:00 GMT");
                                            answer(ex, 503, "later".getBytes(), false);
                                        },
                                "/close",
                                        ex -> {
                                            ex.getResponseHeaders().add("Connection", "close");
                                            answer(ex, 200, "bye".getBytes(), false);
                                        }));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void shouldReadBodiesWithContentLengthAndChunkedOverOneKeptAliveConnection()
            throws IOException {
        try (LoadTarget.Connection fixed = target("/fixed?x=1&y=%20").open();
                LoadTarget.Connection chunked = target("/chunked").open()) {
            for (int i = 0; i < 3; i++) {
                LoadTarget.Response f = fixed.send();
                assertThat(f.status()).isEqualTo(200);
                assertThat(f.body()).isEqualTo(body(100_000));
                LoadTarget.Response c = chunked.send();
                assertThat(c.status()).isEqualTo(200);
                assertThat(c.body()).isEqualTo(body(200_000));
            }
        }
        assertThat(seen)
                .hasSize(6)
                .contains("GET /fixed?x=1&y=%20 Bearer t0k3n")
                .contains("GET /chunked Bearer t0k3n");
    }

    @Test
    void shouldReportStatusAndBodyOfAnErrorAndAnEmptyBody() throws IOException {
        try (LoadTarget.Connection missing = target("/missing").open();
                LoadTarget.Connection empty = target("/empty").open()) {
            LoadTarget.Response m = missing.send();
            assertThat(m.status()).isEqualTo(404);
            assertThat(m.describe()).isEqualTo("404 no such thing");
            assertThat(empty.send().status()).isEqualTo(204);
            assertThat(missing.send().status()).isEqualTo(404);
        }
    }

    @Test
    void shouldReadRetryAfterInSecondsAndLeaveItOutWhenAbsentOrADate() throws IOException {
        try (LoadTarget.Connection busy = target("/busy").open();
                LoadTarget.Connection until = target("/busy-until").open();
                LoadTarget.Connection fixed = target("/fixed").open()) {
            LoadTarget.Response b = busy.send();
            assertThat(b.status()).isEqualTo(429);
            assertThat(b.retryAfterSeconds()).hasValue(1);
            assertThat(until.send().retryAfterSeconds()).isEmpty();
            assertThat(fixed.send().retryAfterSeconds()).isEmpty();
        }
    }

    @Test
    void shouldReconnectAfterTheServerClosedTheConnection() throws IOException {
        try (LoadTarget.Connection c = target("/close").open()) {
            for (int i = 0; i < 3; i++) {
                LoadTarget.Response r = c.send();
                assertThat(r.status()).isEqualTo(200);
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("bye");
            }
        }
        assertThat(seen).hasSize(3);
    }

    @Test
    void shouldFailWhenNothingListens() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (LoadTarget.Connection c =
                new LoadTarget(URI.create("http://127.0.0.1:" + port + "/"), Map.of(), TIMEOUT)
                        .open()) {
            assertThatThrownBy(c::send).isInstanceOf(IOException.class);
        }
    }

    @Test
    void shouldRefuseANonHttpUri() {
        assertThatThrownBy(() -> new LoadTarget(URI.create("https://x/"), Map.of(), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://");
    }

    private LoadTarget target(String pathAndQuery) {
        return LoadTarget.withBearer(server.url(pathAndQuery), "t0k3n", TIMEOUT);
    }

    private void answer(HttpExchange ex, int status, byte[] body, boolean chunked)
            throws IOException {
        seen.add(
                ex.getRequestMethod()
                        + " "
                        + ex.getRequestURI().getRawPath()
                        + (ex.getRequestURI().getRawQuery() == null
                                ? ""
                                : "?" + ex.getRequestURI().getRawQuery())
                        + " "
                        + ex.getRequestHeaders().getFirst("Authorization"));
        ex.getRequestBody().readAllBytes();
        ex.sendResponseHeaders(status, chunked ? 0 : body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] body(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }
}
