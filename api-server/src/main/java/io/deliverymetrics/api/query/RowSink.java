package io.deliverymetrics.api.query;

import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.PairKey;
import java.util.function.Consumer;

/**
 * Receives a scan's rows. It may say which pairs it wants: the rows of any other pair are passed
 * over before they are decoded (a page of 15 pairs out of a workspace's 200 reads all 200 pairs'
 * rows, but decodes only its own) and only counted.
 */
public interface RowSink extends Consumer<PairBucket> {

    /**
     * Whether the rows of {@code pair} are wanted; by default all are. It may be asked once for a
     * run of consecutive rows of the pair, so the answer must not change within such a run.
     */
    default boolean wants(PairKey pair) {
        return true;
    }

    /** A row of {@code pair} was read and passed over because it was not wanted. */
    default void skipped(PairKey pair) {}
}
