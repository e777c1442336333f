package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.datadog.model.WorkspaceProgress;
import java.util.Map;

/** Keeps each workspace's progress across restarts. */
public interface StateStore {

    /** The saved progress by workspace id; empty before the first save. */
    Map<String, WorkspaceProgress> load();

    /** Replaces the saved progress atomically. */
    void save(Map<String, WorkspaceProgress> progress);
}
