package io.deliverymetrics.api.query;

/**
 * Told how many tier rows a query has read so far, in chunks while it reads, and how many points
 * its answer has rendered; it may make the thread wait, which is how a workspace's read rate is
 * bounded.
 */
@FunctionalInterface
public interface RowMeter {

    /** Counts nothing. */
    RowMeter NONE =
            new RowMeter() {
                @Override
                public void read(long rows) {}

                @Override
                public void rendered(long points) {}
            };

    /** {@code rows} more rows were read. */
    void read(long rows);

    /** {@code points} more points of the answer were rendered; by default a point costs a row. */
    default void rendered(long points) {
        read(points);
    }
}
