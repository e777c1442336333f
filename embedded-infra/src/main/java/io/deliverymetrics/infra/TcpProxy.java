package io.deliverymetrics.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP proxy that tests can cut and restore, to simulate a database or broker outage
 * without stopping the shared server: {@link #cut()} drops every open connection and refuses new
 * ones until {@link #restore()}.
 */
public final class TcpProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a proxy on a free loopback port forwarding to {@code host:port}. */
    public static TcpProxy start(String host, int port) {
        try {
            return new TcpProxy(host, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a proxy port", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted while not cut. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Drops every open connection and refuses new ones. */
    public void cut() {
        cut = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
        LOG.info("proxy {} -> {}:{} cut", port(), targetHost, targetPort);
    }

    /** Accepts and forwards connections again. */
    public void restore() {
        cut = false;
        LOG.info("proxy {} -> {}:{} restored", port(), targetHost, targetPort);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("proxy accept failed: {}", e.toString());
                }
                return;
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(targetHost, targetPort);
                accepted.incrementAndGet();
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                LOG.warn("proxy cannot reach {}:{}: {}", targetHost, targetPort, e.toString());
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t =
                new Thread(
                        () -> {
                            byte[] buf = new byte[16 * 1024];
                            try (InputStream in = from.getInputStream();
                                    OutputStream out = to.getOutputStream()) {
                                int n;
                                while ((n = in.read(buf)) >= 0) {
                                    out.write(buf, 0, n);
                                    out.flush();
                                }
                            } catch (SocketException e) {
                                // Expected when either side or cut() closes the connection.
                                LOG.debug("proxy connection closed: {}", e.getMessage());
                            } catch (IOException e) {
                                LOG.debug("proxy connection failed: {}", e.toString());
                            } finally {
                                closeQuietly(from);
                                closeQuietly(to);
                            }
                        },
                        "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            LOG.debug("closing a proxied socket failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the proxy port failed: {}", e.toString());
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
    }
}
