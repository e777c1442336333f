package io.deliverymetrics.core.metrics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.Store;
import java.util.Arrays;

/**
 * The latency sketch of one {@link MetricBucket}, held as a short list of sketch bin indexes until
 * it has more than {@link #SMALL} values.
 *
 * <p>Most buckets the job builds and sends hold a handful of latencies: a pre-aggregated partial of
 * a quiet pair, a window's first partials. A DDSketch's dense store allocates an array spanning
 * every bin between its lowest and highest value and copies it whenever a value falls outside, so
 * for two values a few hundred bins apart it allocates and zeroes kilobytes. The short list keeps
 * each value's bin index (the one the sketch's mapping gives it) and the number of values at zero,
 * which is all a sketch records: its bins and counts, and so its encoding and every quantile, are
 * the same whichever form it was built in. Past {@link #SMALL} values, or when a sketch arrives by
 * merge, the values move into a real sketch, sized once from the lowest and highest bin.
 *
 * <p>Not thread-safe, like the bucket that owns it.
 */
final class Latencies {

    /** Most positive values held as a list before a sketch is built. */
    static final int SMALL = 16;

    private static final IndexMapping MAPPING = LatencySketch.MAPPING;

    /** DDSketch counts values at or below this (and not below its negative) in its zero bin. */
    private static final double MIN_INDEXED = Math.max(0, MAPPING.minIndexableValue());

    private static final double MAX_INDEXED = MAPPING.maxIndexableValue();

    /** The sketch; {@code null} while the values are held in {@link #indexes}. */
    private DDSketch sketch;

    /** The bin index of each positive value so far, in arrival order; allocated on first use. */
    private int[] indexes;

    private int size;

    /** Values counted in the zero bin so far. */
    private long zeros;

    Latencies() {}

    Latencies(DDSketch sketch) {
        this.sketch = sketch;
    }

    /** Adds one latency, as {@code DDSketch.accept(ms)} would. */
    void add(long ms) {
        if (sketch == null) {
            if (ms >= 0 && ms <= MIN_INDEXED) {
                zeros++;
                return;
            }
            if (ms > MIN_INDEXED && ms <= MAX_INDEXED && size < SMALL) {
                append(MAPPING.index(ms));
                return;
            }
        }
        // Out-of-range values get the sketch's own treatment (and its exception).
        materialize().accept(ms);
    }

    /** Adds {@code count} values in the bin {@code index}, as the codec reads them. */
    void addBin(int index, long count) {
        if (sketch == null && size + count <= SMALL) {
            for (long i = 0; i < count; i++) {
                append(index);
            }
        } else {
            materialize().getPositiveValueStore().add(index, count);
        }
    }

    /** Adds {@code count} values in the zero bin. */
    void addZeros(long count) {
        if (count == 0) {
            return;
        }
        if (sketch == null) {
            zeros += count;
        } else {
            sketch.accept(0, count);
        }
    }

    /** Merges {@code other} into this (exactly, like {@code DDSketch.mergeWith}). */
    void merge(Latencies other) {
        if (other.sketch != null) {
            if (!other.sketch.isEmpty()) {
                materialize().mergeWith(other.sketch);
            }
            return;
        }
        if (sketch == null && size + other.size <= SMALL) {
            for (int i = 0; i < other.size; i++) {
                append(other.indexes[i]);
            }
            zeros += other.zeros;
            return;
        }
        DDSketch s = materialize();
        if (other.zeros > 0) {
            s.accept(0, other.zeros);
        }
        Store store = s.getPositiveValueStore();
        for (int i = 0; i < other.size; i++) {
            store.add(other.indexes[i]);
        }
    }

    Latencies copy() {
        if (sketch != null) {
            return new Latencies(sketch.copy());
        }
        Latencies c = new Latencies();
        c.indexes = indexes == null ? null : indexes.clone();
        c.size = size;
        c.zeros = zeros;
        return c;
    }

    boolean isEmpty() {
        return sketch == null ? size == 0 && zeros == 0 : sketch.isEmpty();
    }

    /** The sketch, or while the values are a list, a new sketch of them. Must not be mutated. */
    DDSketch view() {
        return sketch != null ? sketch : build();
    }

    /** The sketch if one was built; {@code null} while the values are a list. */
    DDSketch sketchOrNull() {
        return sketch;
    }

    /** While the values are a list: its zero-bin count. */
    long zeros() {
        return zeros;
    }

    /** While the values are a list: the bin indexes of its positive values, sorted (a copy). */
    int[] sortedIndexes() {
        int[] sorted = indexes == null ? new int[0] : Arrays.copyOf(indexes, size);
        Arrays.sort(sorted);
        return sorted;
    }

    private void append(int index) {
        if (indexes == null) {
            indexes = new int[SMALL];
        }
        indexes[size++] = index;
    }

    private DDSketch materialize() {
        if (sketch == null) {
            sketch = build();
            indexes = null;
            size = 0;
            zeros = 0;
        }
        return sketch;
    }

    private DDSketch build() {
        DDSketch s = LatencySketch.create();
        if (zeros > 0) {
            s.accept(0, zeros);
        }
        if (size > 0) {
            // The lowest and highest bin first, so the dense store sizes its array once.
            int lowest = 0;
            int highest = 0;
            for (int i = 1; i < size; i++) {
                if (indexes[i] < indexes[lowest]) {
                    lowest = i;
                }
                if (indexes[i] > indexes[highest]) {
                    highest = i;
                }
            }
            Store store = s.getPositiveValueStore();
            store.add(indexes[highest]);
            if (lowest != highest) {
                store.add(indexes[lowest]);
            }
            for (int i = 0; i < size; i++) {
                if (i != lowest && i != highest) {
                    store.add(indexes[i]);
                }
            }
        }
        return s;
    }
}
