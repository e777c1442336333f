package io.deliverymetrics.api;

/** Told about every finished request, e.g. for access logs or request metrics. */
@FunctionalInterface
public interface RequestListener {

    /**
     * @param method HTTP method
     * @param route the matched route template (e.g. {@code /v1/workspaces/{workspace_id}/…}), or
     *     {@code null} when no route matched
     * @param status the response status
     * @param millis time spent handling the request
     */
    void onRequest(String method, String route, int status, double millis);
}
