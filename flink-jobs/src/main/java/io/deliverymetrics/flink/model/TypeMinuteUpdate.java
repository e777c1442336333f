package io.deliverymetrics.flink.model;

/**
 * The full aggregate of one destination type's minute over all workspaces, as of one window firing.
 *
 * @param bucket the merged metrics, encoded with {@code BucketCodec.encode}
 * @param contributors the distinct contributors, encoded with {@code DistinctContributors.encode}
 */
public record TypeMinuteUpdate(
        String destinationType, long bucketStartMs, byte[] bucket, byte[] contributors) {}
