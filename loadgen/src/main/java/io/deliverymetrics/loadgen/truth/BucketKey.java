package io.deliverymetrics.loadgen.truth;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A pair and the UTC start of a time bucket; ordered by workspace, source, destination, then bucket
 * start.
 */
public record BucketKey(
        String workspaceId, String sourceId, String destinationId, Instant bucketStart)
        implements Comparable<BucketKey> {

    private static final Comparator<BucketKey> ORDER =
            Comparator.comparing(BucketKey::workspaceId)
                    .thenComparing(BucketKey::sourceId)
                    .thenComparing(BucketKey::destinationId)
                    .thenComparing(BucketKey::bucketStart);

    public BucketKey {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(bucketStart, "bucketStart");
    }

    @Override
    public int compareTo(BucketKey o) {
        return ORDER.compare(this, o);
    }
}
