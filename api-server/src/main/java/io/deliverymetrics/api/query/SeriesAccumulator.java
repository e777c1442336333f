package io.deliverymetrics.api.query;

import io.deliverymetrics.api.model.GroupBy;
import io.deliverymetrics.api.model.SeriesKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Folds streamed rows into one page of series, merging every row that falls into the same (series,
 * slot) with {@link MetricBucket#merge}.
 *
 * <p>A slot is a bucket of the resolved granularity, or the whole range for totals. Rows of a finer
 * tier are rolled up into the slot that contains them. Memory stays bounded by one page: only the
 * {@code limit} smallest series keys after the cursor are kept. When a key must make room, the
 * evicted key becomes a bound that no later row may re-enter (it has {@code limit} smaller keys, so
 * it cannot be on this page), which keeps the page exact even though the plan's segments are
 * streamed one after another.
 */
public final class SeriesAccumulator {

    private final Resolution resolution;
    private final boolean totals;
    private final GroupBy groupBy;
    private final Optional<SeriesKey> after;
    private final int limit;
    private final TreeMap<SeriesKey, MetricBucket[]> series = new TreeMap<>();
    private SeriesKey bound;

    /**
     * @param totals one slot for the whole range instead of one per bucket
     * @param after only keys strictly after this one (the cursor)
     * @param limit most series on the page
     */
    public SeriesAccumulator(
            Resolution resolution,
            boolean totals,
            GroupBy groupBy,
            Optional<SeriesKey> after,
            int limit) {
        this.resolution = Objects.requireNonNull(resolution, "resolution");
        this.totals = totals;
        this.groupBy = Objects.requireNonNull(groupBy, "groupBy");
        this.after = Objects.requireNonNull(after, "after");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        this.limit = limit;
        if (groupBy == GroupBy.NONE) {
            // The aggregated series exists even when no row matched: all zeros.
            series.put(SeriesKey.ALL, newSlots());
        }
    }

    /** Adds one row (of the resolved tier or any finer one) within the resolved range. */
    public void accept(PairBucket row) {
        SeriesKey key = groupBy.keyOf(row.pair());
        if (after.isPresent() && key.compareTo(after.get()) <= 0) {
            return;
        }
        if (bound != null && key.compareTo(bound) >= 0) {
            return;
        }
        MetricBucket[] slots = series.get(key);
        if (slots == null) {
            if (series.size() == limit) {
                SeriesKey last = series.lastKey();
                if (key.compareTo(last) > 0) {
                    bound = key;
                    return;
                }
                series.remove(last);
                bound = last;
            }
            slots = newSlots();
            series.put(key, slots);
        }
        int i = slot(row);
        if (slots[i] == null) {
            // Merging mutates the target: never merge into the caller's bucket.
            slots[i] = row.bucket().copy();
        } else {
            slots[i].merge(row.bucket());
        }
    }

    private int slot(PairBucket row) {
        if (row.bucketStart().isBefore(resolution.start())
                || !row.bucketStart().isBefore(resolution.end())) {
            throw new IllegalStateException(
                    "row at "
                            + row.bucketStart()
                            + " outside "
                            + resolution.start()
                            + ".."
                            + resolution.end());
        }
        if (totals) {
            return 0;
        }
        Duration offset = Duration.between(resolution.start(), row.bucketStart());
        return (int) (offset.toMillis() / resolution.granularity().sizeMillis());
    }

    private MetricBucket[] newSlots() {
        return new MetricBucket[totals ? 1 : resolution.points()];
    }

    /**
     * The page in key order; each entry's slots hold merged buckets, {@code null} where no row
     * fell.
     */
    public List<Map.Entry<SeriesKey, MetricBucket[]>> page() {
        return new ArrayList<>(series.entrySet());
    }

    /** Whether series exist beyond this page. */
    public boolean hasMore() {
        return bound != null;
    }

    /** The cursor for the next page, empty on the last page. */
    public Optional<String> nextCursor() {
        if (!hasMore() || series.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Cursor.encode(groupBy, series.lastKey()));
    }
}
