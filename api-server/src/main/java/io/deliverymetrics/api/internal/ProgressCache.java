package io.deliverymetrics.api.internal;

import io.deliverymetrics.core.time.Completeness;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Each shard's {@link Completeness} as last read, reused for {@code query.progress-max-age}.
 * Progress only moves forward and a request reads it before its rows, so a reused value is at worst
 * older than the rows: a bucket is then marked partial a little longer, never complete too early.
 * At 1,000 requests/s the progress query is about a quarter of the database's work per request;
 * this makes it one read per shard and period.
 */
final class ProgressCache {

    private record Entry(Optional<Completeness> value, long readAtNanos) {}

    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final AtomicReferenceArray<Entry> entries;

    /**
     * @param maxAge how long a value is reused; zero reads on every request
     * @param nanoTime a monotonic clock ({@code System::nanoTime})
     */
    ProgressCache(int shards, Duration maxAge, LongSupplier nanoTime) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative, was " + maxAge);
        }
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
        this.entries = new AtomicReferenceArray<>(shards);
    }

    /** The shard's value if read less than the maximum age ago, else a fresh {@code read}. */
    Optional<Completeness> get(int shard, Supplier<Optional<Completeness>> read) {
        long now = nanoTime.getAsLong();
        Entry e = entries.get(shard);
        if (e != null && now - e.readAtNanos() < maxAgeNanos) {
            return e.value();
        }
        Optional<Completeness> value = read.get();
        // Stamped with the time before the read: the value is at least that old.
        entries.set(shard, new Entry(value, now));
        return value;
    }
}
