package io.deliverymetrics.datadog.model;

import java.time.Instant;
import java.util.Optional;

/**
 * What one poll of one workspace did.
 *
 * @param window the minutes read; empty when the poll was deferred by the API's Retry-After
 * @param pointsRead complete points the API returned
 * @param pointsSubmitted points Datadog accepted in this poll
 * @param pointsUnchanged points not sent because Datadog already had exactly these values
 * @param requests accepted submission requests
 * @param forwardedThrough the workspace's progress after the poll
 * @param failure why the poll stopped early, if it did
 */
public record PollResult(
        String workspace,
        Optional<PollWindow> window,
        int pointsRead,
        int pointsSubmitted,
        int pointsUnchanged,
        int requests,
        Optional<Instant> forwardedThrough,
        Optional<String> failure) {

    public boolean succeeded() {
        return failure.isEmpty();
    }
}
