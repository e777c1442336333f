package io.deliverymetrics.api.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Reuses the answer of a token lookup for {@code auth.token-cache-max-age}, so a client polling at
 * a high rate costs the control database one lookup per token and period instead of one per
 * request, and a client repeating an unknown token id costs one lookup per period too. A revocation
 * takes effect once the entry is older than the maximum age, at the latest that long after it was
 * made. Ids are random, so an id that was unknown a moment ago belongs to no new token in practice.
 *
 * <p>Found and unknown ids are kept apart, each bounded: a flood of random ids can empty only the
 * cache of unknown ones, never push out the valid tokens of well-behaved clients.
 */
public final class CachingTokenLookup implements TokenLookup {

    /** Most entries of each kind kept; past it that cache starts over. */
    static final int MAX_ENTRIES = 10_000;

    private record Entry(Optional<StoredToken> token, long readAtNanos) {}

    private final TokenLookup source;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Entry> found = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Entry> unknown = new ConcurrentHashMap<>();
    private final Counter foundLookups;
    private final Counter unknownLookups;

    /**
     * @param maxAge how long an answer is reused; zero looks every request up
     * @param nanoTime a monotonic clock ({@code System::nanoTime})
     * @param registry where the lookups of the control database are counted
     */
    public CachingTokenLookup(
            TokenLookup source, Duration maxAge, LongSupplier nanoTime, MeterRegistry registry) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative, was " + maxAge);
        }
        this.source = Objects.requireNonNull(source, "source");
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.foundLookups = lookups(registry, "found");
        this.unknownLookups = lookups(registry, "unknown");
    }

    private static Counter lookups(MeterRegistry registry, String result) {
        return Counter.builder("delivery.metrics.api.token.lookups")
                .description("Token lookups in the control database, by whether the id was found.")
                .tag("result", result)
                .register(registry);
    }

    @Override
    public Optional<StoredToken> find(String tokenId) {
        long now = nanoTime.getAsLong();
        Entry e = fresh(found, tokenId, now);
        if (e == null) {
            e = fresh(unknown, tokenId, now);
        }
        if (e != null) {
            return e.token();
        }
        Optional<StoredToken> answer = source.find(tokenId);
        (answer.isPresent() ? foundLookups : unknownLookups).increment();
        if (maxAgeNanos > 0) {
            // Stamped with the time before the lookup: the answer is at least that old.
            put(answer.isPresent() ? found : unknown, tokenId, new Entry(answer, now));
            (answer.isPresent() ? unknown : found).remove(tokenId);
        }
        return answer;
    }

    /** Whether {@code tokenId} is cached as a stored token, so checking it costs no lookup. */
    public boolean knownValid(String tokenId) {
        return fresh(found, tokenId, nanoTime.getAsLong()) != null;
    }

    private Entry fresh(ConcurrentHashMap<String, Entry> cache, String tokenId, long now) {
        Entry e = cache.get(tokenId);
        return e != null && now - e.readAtNanos() < maxAgeNanos ? e : null;
    }

    private static void put(ConcurrentHashMap<String, Entry> cache, String tokenId, Entry e) {
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(tokenId, e);
    }
}
