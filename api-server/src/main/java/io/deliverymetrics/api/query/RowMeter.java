package io.deliverymetrics.api.query;

/**
 * Told how many tier rows a query has read so far, in chunks while it reads; it may make the
 * reading thread wait, which is how a workspace's read rate is bounded.
 */
@FunctionalInterface
public interface RowMeter {

    /** Counts nothing. */
    RowMeter NONE = rows -> {};

    /** {@code rows} more rows were read. */
    void read(long rows);
}
