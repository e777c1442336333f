package io.deliverymetrics.batch.compaction;

import io.deliverymetrics.core.time.Granularity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The pure rules of what compaction may touch: limits, dirty targets, explicit ranges and blocks.
 */
public final class CompactionLimits {

    private CompactionLimits() {}

    /**
     * The first target bucket that is not complete: the earliest of {@code to}, {@code now -
     * buffer}, the pipeline's final-through and (for the day tier) the hour tier's compacted
     * through, floored to the target tier.
     */
    public static Instant limit(
            Granularity tier,
            Instant to,
            Instant now,
            Duration buffer,
            Optional<Instant> pipelineFinalThrough,
            Optional<Instant> finerCompactedThrough) {
        Instant limit = earliest(to, now.minus(buffer));
        if (pipelineFinalThrough.isPresent()) {
            limit = earliest(limit, pipelineFinalThrough.get());
        }
        if (finerCompactedThrough.isPresent()) {
            limit = earliest(limit, finerCompactedThrough.get());
        }
        return tier.floor(limit);
    }

    /** The target buckets containing the changed finer buckets, ascending, without duplicates. */
    public static List<Instant> dirtyTargets(Granularity tier, Collection<Instant> changed) {
        SortedSet<Instant> targets = new TreeSet<>();
        for (Instant t : changed) {
            targets.add(tier.floor(t));
        }
        return List.copyOf(targets);
    }

    /** The target buckets that [from, to) touches and that start before {@code limit}. */
    public static List<Instant> explicitRange(
            Granularity tier, Instant from, Instant to, Instant limit) {
        List<Instant> out = new ArrayList<>();
        Instant end = earliest(tier.ceil(to), limit);
        for (Instant b = tier.floor(from); b.isBefore(end); b = b.plus(tier.size())) {
            out.add(b);
        }
        return out;
    }

    /**
     * How many buckets the block starting at {@code buckets[from]} holds: the run of consecutive
     * target buckets there, at most {@code maxBuckets}.
     *
     * @param buckets ascending target buckets without duplicates
     */
    public static int consecutiveBlock(
            Granularity tier, List<Instant> buckets, int from, int maxBuckets) {
        Instant first = buckets.get(from);
        int count = 1;
        while (count < maxBuckets
                && from + count < buckets.size()
                && buckets.get(from + count).equals(first.plusMillis(tier.sizeMillis() * count))) {
            count++;
        }
        return count;
    }

    /**
     * How many buckets the catch-up block starting at {@code first} holds: the buckets up to the
     * limit (a bucket boundary), at most {@code maxBuckets}.
     */
    public static int catchUpBlock(Granularity tier, Instant first, Instant limit, int maxBuckets) {
        if (!first.isBefore(limit)) {
            throw new IllegalArgumentException(first + " is not before the limit " + limit);
        }
        long left = (limit.toEpochMilli() - first.toEpochMilli()) / tier.sizeMillis();
        return (int) Math.max(1, Math.min(maxBuckets, left));
    }

    /**
     * Where catch-up starts: at the stored watermark, else (first run) at the bucket of the oldest
     * finer row; empty when there is neither.
     */
    public static Optional<Instant> catchUpStart(
            Granularity tier,
            Optional<Instant> compactedThrough,
            Optional<Instant> oldestFinerRow) {
        if (compactedThrough.isPresent()) {
            return compactedThrough;
        }
        return oldestFinerRow.map(tier::floor);
    }

    /** Complete target buckets in [compactedThrough, limit), the lag reported by status. */
    public static long lagBuckets(
            Granularity tier, Optional<Instant> compactedThrough, Instant limit) {
        if (compactedThrough.isEmpty() || !compactedThrough.get().isBefore(limit)) {
            return 0;
        }
        return (limit.toEpochMilli() - compactedThrough.get().toEpochMilli()) / tier.sizeMillis();
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
