package io.deliverymetrics.loadgen.model;

/**
 * A destination of one workspace with the behaviour the generator simulates for it.
 *
 * @param workspaceId owning workspace
 * @param destinationId destination id, unique within the workspace
 * @param profile failure behaviour
 * @param medianAttemptMs median duration of one attempt
 * @param filterShare share of events that the destination's filter drops
 * @param timeoutMs how long an attempt that times out takes
 * @param type the partner API the destination is an instance of, e.g. {@code braze}
 */
public record Destination(
        String workspaceId,
        String destinationId,
        FailureProfile profile,
        double medianAttemptMs,
        double filterShare,
        long timeoutMs,
        String type) {}
