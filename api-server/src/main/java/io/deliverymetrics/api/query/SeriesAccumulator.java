package io.deliverymetrics.api.query;

import io.deliverymetrics.api.model.GroupBy;
import io.deliverymetrics.api.model.SeriesKey;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.PairKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>Grouped by event type or name, each row contributes one bucket per row of its event breakdown,
 * holding that row's outcome counters only (no latencies, no attempt numbers).
 */
public final class SeriesAccumulator {

    private static final long[] NO_ATTEMPTS = new long[MetricBucket.MAX_TRACKED_ATTEMPT];
    private static final byte[] NO_SKETCH = new byte[0];

    private final Resolution resolution;
    private final boolean totals;
    private final GroupBy groupBy;
    private final Optional<SeriesKey> after;
    private final int limit;
    private final TreeMap<SeriesKey, MetricBucket[]> series = new TreeMap<>();
    private final Set<SeriesKey> only;
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
        this(resolution, totals, groupBy, after, limit, null);
    }

    /**
     * As {@link #SeriesAccumulator(Resolution, boolean, GroupBy, Optional, int)}, keeping only the
     * series of {@code only} (when not {@code null}): the previous range of a page reads exactly
     * that page's series, each present even when no row matched it.
     */
    public SeriesAccumulator(
            Resolution resolution,
            boolean totals,
            GroupBy groupBy,
            Optional<SeriesKey> after,
            int limit,
            Set<SeriesKey> only) {
        this.only = only == null ? null : Set.copyOf(only);
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
        if (this.only != null) {
            for (SeriesKey k : this.only) {
                series.put(k, newSlots());
            }
        }
    }

    /**
     * Whether rows of {@code pair} can still change the page ({@link #admits}); {@link #accept}
     * would drop the others. Grouped by event, every pair is wanted (its series come from its rows'
     * breakdown).
     */
    public boolean wants(PairKey pair) {
        if (groupBy == GroupBy.NONE || groupBy.byEvent()) {
            return true;
        }
        return admits(groupBy.keyOf(pair));
    }

    /** Adds one row (of the resolved tier or any finer one) within the resolved range. */
    public void accept(PairBucket row) {
        if (!groupBy.byEvent()) {
            add(groupBy.keyOf(row.pair()), row, row.bucket());
            return;
        }
        // One series per row of the event breakdown: its outcome counters, nothing else. The
        // series are sorted by key, so the breakdown's own order does not matter.
        row.bucket()
                .forEachEvent(
                        (key, c) ->
                                add(
                                        groupBy.keyOf(key),
                                        row,
                                        MetricBucket.restore(
                                                c.successes(),
                                                c.retried(),
                                                c.discarded(),
                                                c.expired(),
                                                c.filtered(),
                                                NO_ATTEMPTS,
                                                0,
                                                0,
                                                0,
                                                NO_SKETCH,
                                                Map.of())));
    }

    private void add(SeriesKey key, PairBucket row, MetricBucket bucket) {
        if (!admits(key)) {
            return;
        }
        MetricBucket[] slots = series.get(key);
        if (slots == null) {
            if (series.size() == limit) {
                // admits: the key is smaller than the page's last, which makes room and bounds it.
                SeriesKey last = series.lastKey();
                series.remove(last);
                bound = last;
            }
            slots = newSlots();
            series.put(key, slots);
        }
        merge(slots, row, bucket);
    }

    /**
     * Whether {@code key} is or can still be on the page: in {@code only} when that is given, else
     * after the cursor, before the bound, and on the page already or smaller than its last key when
     * it is full. A key after a full page becomes the bound: it has {@code limit} smaller keys, so
     * no later row of it or beyond it can enter.
     */
    private boolean admits(SeriesKey key) {
        if (only != null) {
            return only.contains(key);
        }
        if (after.isPresent() && key.compareTo(after.get()) <= 0) {
            return false;
        }
        if (bound != null && key.compareTo(bound) >= 0) {
            return false;
        }
        if (series.size() == limit && !series.containsKey(key)) {
            if (key.compareTo(series.lastKey()) > 0) {
                bound = key;
                return false;
            }
        }
        return true;
    }

    private void merge(MetricBucket[] slots, PairBucket row, MetricBucket bucket) {
        int i = slot(row);
        if (slots[i] == null) {
            // Merging mutates the target: never merge into the caller's bucket.
            slots[i] = bucket.copy();
        } else {
            slots[i].merge(bucket);
        }
    }

    private int slot(PairBucket row) {
        int i = resolution.indexOf(row.bucketStart());
        return totals ? 0 : i;
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
        return only == null && bound != null;
    }

    /** The cursor for the next page, empty on the last page. */
    public Optional<String> nextCursor() {
        if (!hasMore() || series.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Cursor.encode(groupBy, series.lastKey()));
    }
}
