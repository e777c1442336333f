package io.deliverymetrics.bench.api;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The JDK's HTTP server on a free loopback port, a thread per exchange, for the load tests. */
final class LoopbackHttpServer implements AutoCloseable {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpServer server;

    LoopbackHttpServer(Map<String, HttpHandler> handlers) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        handlers.forEach(server::createContext);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT} followed by {@code pathAndQuery}. */
    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
