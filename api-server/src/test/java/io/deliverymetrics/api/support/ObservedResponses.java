package io.deliverymetrics.api.support;

import io.deliverymetrics.api.RequestListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every (method, route, status) any test server answered in this JVM, so that the OpenAPI test can
 * check each one is documented.
 */
public final class ObservedResponses implements RequestListener {

    /** One observed answer. */
    public record Observed(String method, String route, int status) {}

    private final Set<Observed> seen = ConcurrentHashMap.newKeySet();

    @Override
    public void onRequest(String method, String route, int status, double millis) {
        if (route != null) {
            seen.add(new Observed(method, route, status));
        }
    }

    public Set<Observed> seen() {
        return Set.copyOf(seen);
    }
}
