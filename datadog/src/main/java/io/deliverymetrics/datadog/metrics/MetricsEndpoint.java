package io.deliverymetrics.datadog.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Serves the forwarder's {@link ForwarderMetrics} at {@code GET /metrics} on the JDK's HTTP server;
 * every other path is 404. Scrapes are answered one at a time on the server's own thread.
 */
public final class MetricsEndpoint implements AutoCloseable {

    /** The one path served. */
    public static final String PATH = "/metrics";

    private final HttpServer server;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /**
     * Binds {@code host}:{@code port} (0: a free port) and starts serving.
     *
     * @throws IOException when the address cannot be bound
     */
    public static MetricsEndpoint start(String host, int port, ForwarderMetrics metrics)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/", exchange -> handle(exchange, metrics));
        server.start();
        return new MetricsEndpoint(server);
    }

    /** The bound address (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void handle(HttpExchange exchange, ForwarderMetrics metrics) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                respond(exchange, 404, "text/plain; charset=utf-8", "Not found: try " + PATH);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "GET only");
            } else {
                respond(exchange, 200, ForwarderMetrics.CONTENT_TYPE, metrics.scrape());
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops serving; a scrape in progress is cut off. */
    @Override
    public void close() {
        server.stop(0);
    }
}
