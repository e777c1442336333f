package io.deliverymetrics.api.support;

import io.deliverymetrics.api.RequestListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every answer the test servers of this JVM gave, so that the OpenAPI test can check each one is
 * documented and each documented one was given: as the server saw it (method, matched route,
 * status) and as the tests' clients received it (method, path, status).
 */
public final class ObservedResponses implements RequestListener {

    /** One answer of a route, as the server's request listener reported it. */
    public record Observed(String method, String route, int status) {}

    /**
     * One answer as a test's client received it. It also covers answers the server's listener
     * cannot attribute to a route: static files, and requests Jetty refuses before routing.
     *
     * @param path the request's path as sent, percent-encoded, without the query
     */
    public record Received(String method, String path, int status) {}

    private final Set<Observed> seen = ConcurrentHashMap.newKeySet();
    private final Set<Received> received = ConcurrentHashMap.newKeySet();

    @Override
    public void onRequest(String method, String route, int status, double millis) {
        if (route != null) {
            seen.add(new Observed(method, route, status));
        }
    }

    /** Records an answer a test's client received. */
    public void onAnswer(String method, String path, int status) {
        received.add(new Received(method, path, status));
    }

    public Set<Observed> seen() {
        return Set.copyOf(seen);
    }

    public Set<Received> received() {
        return Set.copyOf(received);
    }
}
