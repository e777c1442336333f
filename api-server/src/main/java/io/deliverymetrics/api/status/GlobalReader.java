package io.deliverymetrics.api.status;

import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.time.Completeness;
import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the destination status reads from the global database. Each call is one statement (the type
 * rows two: errors, then metrics); failures are {@link
 * io.deliverymetrics.api.query.StorageException}s.
 */
public interface GlobalReader {

    /** The streaming job's progress on the global tables; empty until it has reported. */
    Optional<Completeness> completeness();

    /** Before which instant the global hour tier is compacted; empty when nothing is. */
    Optional<Instant> compactedThrough(Granularity tier);

    /**
     * The type rows of tier {@code g} with {@code from <= bucket_start < to}, of one destination
     * type or ({@code type == null}) of every type, by type and bucket start.
     */
    List<TypeBucket> rows(Granularity g, String type, Instant from, Instant to);
}
