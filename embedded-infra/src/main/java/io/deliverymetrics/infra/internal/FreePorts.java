package io.deliverymetrics.infra.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds TCP ports on the loopback interface that nothing listens on right now. */
public final class FreePorts {

    private FreePorts() {}

    /**
     * Returns a port the operating system considered free a moment ago.
     *
     * <p>Another process may take it before the server binds it; the servers here start within
     * seconds of asking, and the ephemeral range makes an immediate reuse unlikely.
     */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free TCP port", e);
        }
    }
}
