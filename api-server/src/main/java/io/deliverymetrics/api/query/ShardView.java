package io.deliverymetrics.api.query;

import io.deliverymetrics.core.time.Completeness;
import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.util.Optional;

/**
 * A read-only view of one shard for the duration of one request: compaction and pipeline progress,
 * streamed tier rows and destination types. Methods throw {@link StorageException}.
 *
 * <p>Statements need not share a snapshot: callers read progress before the rows it describes.
 * Writers commit rows before (or with) the progress that covers them and progress never moves back,
 * so a bucket that progress read first calls complete has its final rows in every later read, and
 * buckets compacted before {@code compactedThrough} have their compacted rows. Reading progress
 * first can only make it older than the rows, which marks buckets partial a little longer.
 */
public interface ShardView extends AutoCloseable {

    /** Buckets of {@code tier} before the returned instant are compacted; empty if none are. */
    Optional<Instant> compactedThrough(Granularity tier);

    /** Which minutes are complete and final; empty until the pipeline has reported. */
    Optional<Completeness> completeness();

    /**
     * Streams the rows of one segment for a workspace, optionally filtered by source and
     * destination ({@code null} for any), in (source, destination, bucket) order. Parts that {@code
     * content} leaves out come back empty (no sketch bins, no error rows). Rows of pairs that
     * {@code sink} does not {@linkplain RowSink#wants want} are passed over undecoded and reported
     * to {@link RowSink#skipped}.
     */
    void scan(
            ReadSegment segment,
            String workspaceId,
            String sourceId,
            String destinationId,
            RowContent content,
            RowSink sink);

    /**
     * The destination type that the streaming job last saw {@code destinationId} of {@code
     * workspaceId} named by (one primary-key read of {@code destination_types}); empty when none of
     * its records named one.
     */
    Optional<String> destinationType(String workspaceId, String destinationId);

    @Override
    void close();
}
