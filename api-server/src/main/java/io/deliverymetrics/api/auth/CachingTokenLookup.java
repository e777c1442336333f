package io.deliverymetrics.api.auth;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Reuses a found token for {@code auth.token-cache-max-age}, so a client polling at a high rate
 * costs the control database one lookup per token and period instead of one per request. Only
 * tokens that were found are kept: a token id that is not stored (yet) is looked up on every
 * request, so a token works as soon as it is created. A revocation takes effect once the entry is
 * older than the maximum age, at the latest that long after it was made.
 */
public final class CachingTokenLookup implements TokenLookup {

    /** Most tokens kept; past it the cache starts over, so unknown clients cannot grow it. */
    static final int MAX_ENTRIES = 10_000;

    private record Entry(StoredToken token, long readAtNanos) {}

    private final TokenLookup source;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param maxAge how long a found token is reused; zero looks every request up
     * @param nanoTime a monotonic clock ({@code System::nanoTime})
     */
    public CachingTokenLookup(TokenLookup source, Duration maxAge, LongSupplier nanoTime) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative, was " + maxAge);
        }
        this.source = Objects.requireNonNull(source, "source");
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public Optional<StoredToken> find(String tokenId) {
        long now = nanoTime.getAsLong();
        Entry e = entries.get(tokenId);
        if (e != null && now - e.readAtNanos() < maxAgeNanos) {
            return Optional.of(e.token());
        }
        Optional<StoredToken> found = source.find(tokenId);
        if (found.isEmpty() || maxAgeNanos == 0) {
            entries.remove(tokenId);
            return found;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        // Stamped with the time before the lookup: the value is at least that old.
        entries.put(tokenId, new Entry(found.get(), now));
        return found;
    }
}
