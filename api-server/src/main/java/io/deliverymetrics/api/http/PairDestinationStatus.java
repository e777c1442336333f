package io.deliverymetrics.api.http;

import io.deliverymetrics.api.query.MetricsService;
import io.deliverymetrics.api.query.StorageException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code destination_status} of a workspace's pair responses ("is it me or them?"): the type
 * the streaming job last saw the pair's destination named by, read with one primary-key statement
 * on the workspace's shard, and, when the public status view lists that type, exactly its public
 * entry from the cached report ({@link StatusRoutes#publicEntry}); otherwise the type alone. Never
 * workspace counts, workspace ids or reasons, and never a read of the global database per request.
 *
 * <p>No object when no record of the destination named a type ({@code unknown} says nothing about a
 * partner), or when the status cannot be read from the global database: the pair's own answer does
 * not depend on it.
 */
final class PairDestinationStatus {

    private static final Logger LOG = LoggerFactory.getLogger(PairDestinationStatus.class);

    private final MetricsService service;
    private final StatusRoutes status;

    PairDestinationStatus(MetricsService service, StatusRoutes status) {
        this.service = Objects.requireNonNull(service, "service");
        this.status = Objects.requireNonNull(status, "status");
    }

    /** The object for {@code destinationId} of {@code workspaceId}; {@code null} for none. */
    Map<String, Object> of(String workspaceId, String destinationId) {
        Optional<String> type = service.destinationType(workspaceId, destinationId);
        if (type.isEmpty()) {
            return null;
        }
        try {
            return status.publicEntry(type.get())
                    .orElseGet(() -> Map.of("destination_type", type.get()));
        } catch (StorageException e) {
            LOG.warn(
                    "Pair response without destination_status: the destination status cannot be"
                            + " read: {}",
                    e.getMessage());
            return null;
        }
    }
}
