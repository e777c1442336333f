package io.deliverymetrics.core.metrics;

import io.deliverymetrics.core.model.DeliveryAttempt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Up to {@link #MAX_SAMPLES} failed attempts of one error key of one bucket: a bottom-k sample, the
 * attempts with the smallest {@link #hash(String, int) hash of (event id, attempt)}.
 *
 * <p>Why bottom-k: the sample depends only on the set of attempts, not on their order or grouping.
 * A replay after a failure keeps the same attempts; the samples of an hour are the bottom-k of its
 * minutes' samples, so {@link #merge} is exact, associative and commutative; and the hash makes
 * every attempt equally likely to be kept. Two records of the same (event id, attempt) count as one
 * attempt (the one that sorts first is kept).
 *
 * <p>The hash is the project's stable 64-bit string hash (FNV-1a over the UTF-8 bytes of the event
 * id, as the shard router uses) with the attempt number folded in, finalised with SplitMix64: the
 * same on every JVM and version, unlike {@code String.hashCode}-based choices.
 *
 * <p>Not thread-safe.
 */
public final class ErrorSamples {

    /** Samples kept per error key and bucket. */
    public static final int MAX_SAMPLES = 10;

    /** Ascending by {@link ErrorSample#compareTo}, at most {@link #MAX_SAMPLES}. */
    private final ArrayList<ErrorSample> kept = new ArrayList<>(2);

    /**
     * The sample hash of an attempt: FNV-1a 64 over the event id's UTF-8 bytes, then over the
     * attempt number's four bytes (big-endian), finalised with SplitMix64.
     */
    public static long hash(String eventId, int attempt) {
        long h = 0xcbf29ce484222325L;
        // An ASCII character is its own UTF-8 byte: no byte array for the usual id.
        int n = eventId.length();
        int i = 0;
        for (; i < n && eventId.charAt(i) < 0x80; i++) {
            h = fnv(h, eventId.charAt(i));
        }
        if (i < n) {
            for (byte b : eventId.substring(i).getBytes(StandardCharsets.UTF_8)) {
                h = fnv(h, b & 0xff);
            }
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            h = fnv(h, (attempt >>> shift) & 0xff);
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** One FNV-1a 64 step over the byte {@code b}. */
    private static long fnv(long h, int b) {
        return (h ^ b) * 0x100000001b3L;
    }

    /** Offers one failed attempt; builds its sample only when it would be kept. */
    public void add(DeliveryAttempt a) {
        long h = hash(a.eventId(), a.attempt());
        if (kept.size() == MAX_SAMPLES
                && Long.compareUnsigned(h, kept.get(MAX_SAMPLES - 1).hash()) > 0) {
            return;
        }
        offer(ErrorSample.of(h, a));
    }

    /** Offers one sample. */
    public void offer(ErrorSample s) {
        int i = Collections.binarySearch(kept, s);
        if (i >= 0) {
            return; // the very same sample
        }
        int at = -i - 1;
        // A sample of the same attempt sorts next to this one (same hash): keep the first.
        if (at > 0 && kept.get(at - 1).sameAttempt(s)) {
            return;
        }
        if (at < kept.size() && kept.get(at).sameAttempt(s)) {
            kept.set(at, s);
            return;
        }
        if (at >= MAX_SAMPLES) {
            return;
        }
        kept.add(at, s);
        if (kept.size() > MAX_SAMPLES) {
            kept.remove(MAX_SAMPLES);
        }
    }

    /** Merges {@code other}'s samples into these (the bottom-k of the union) and returns this. */
    public ErrorSamples merge(ErrorSamples other) {
        for (ErrorSample s : other.kept) {
            offer(s);
        }
        return this;
    }

    /** The samples from {@code samples}, bottom-k of them. */
    public static ErrorSamples of(Collection<ErrorSample> samples) {
        ErrorSamples out = new ErrorSamples();
        for (ErrorSample s : samples) {
            out.offer(s);
        }
        return out;
    }

    /** The kept samples, smallest hash first, unmodifiable. */
    public List<ErrorSample> samples() {
        return Collections.unmodifiableList(kept);
    }

    public int size() {
        return kept.size();
    }

    public boolean isEmpty() {
        return kept.isEmpty();
    }

    public ErrorSamples copy() {
        ErrorSamples c = new ErrorSamples();
        c.kept.addAll(kept);
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorSamples s && kept.equals(s.kept);
    }

    @Override
    public int hashCode() {
        return kept.hashCode();
    }

    @Override
    public String toString() {
        return kept.toString();
    }
}
