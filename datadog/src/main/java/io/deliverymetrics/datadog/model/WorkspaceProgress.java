package io.deliverymetrics.datadog.model;

import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What survives a restart for one workspace.
 *
 * @param forwardedThrough every complete minute before this instant has been accepted by Datadog
 * @param sentDigests per recently sent minute, a digest of every value sent for it; after a restart
 *     a minute whose values hash the same is not sent again
 */
public record WorkspaceProgress(
        Optional<Instant> forwardedThrough, SortedMap<Instant, String> sentDigests) {

    public static final WorkspaceProgress NONE =
            new WorkspaceProgress(Optional.empty(), new TreeMap<>());

    public WorkspaceProgress {
        Objects.requireNonNull(forwardedThrough, "forwardedThrough");
        sentDigests = Collections.unmodifiableSortedMap(new TreeMap<>(sentDigests));
    }
}
