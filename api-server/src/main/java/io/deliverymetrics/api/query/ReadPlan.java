package io.deliverymetrics.api.query;

import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which tier tables to read for a series at a given granularity: the real-time union.
 *
 * <p>Compaction produces hour and day rows some time after the fact. A bucket of tier {@code g}
 * that compaction has not produced yet (at or after the tier's {@code compacted_through}) is
 * computed from the next finer tier instead, recursively: hour from minute rows, day from hour rows
 * and, for the hours not compacted either, minute rows. The caller rolls the finer rows up into
 * {@code g} buckets with the one {@code merge}.
 */
public final class ReadPlan {

    private ReadPlan() {}

    /**
     * The segments covering [start, end) (aligned to {@code target}) in ascending time, none
     * overlapping.
     *
     * @param compactedThrough per coarse tier, the instant before which its buckets are compacted;
     *     empty when the tier has not been compacted at all
     */
    public static List<ReadSegment> plan(
            Granularity target,
            Instant start,
            Instant end,
            Function<Granularity, Optional<Instant>> compactedThrough) {
        List<ReadSegment> out = new ArrayList<>();
        add(out, target, requireAligned(target, start, end), end, compactedThrough);
        return out;
    }

    /**
     * The segments covering [start, end) (aligned to {@code target}) for a total over the whole
     * range: its edges at {@code target}, everything between them that a coarser tier covers whole
     * from that tier (recursively: the hours of a range's whole days from day rows), each coarse
     * segment with its real-time union as in {@link #plan}. The rows are summed into one total, so
     * which tier a bucket comes from does not change it (hour and day rows are the merge of their
     * minutes); a day's total of a pair is one row instead of 1,440.
     */
    public static List<ReadSegment> planTotal(
            Granularity target,
            Instant start,
            Instant end,
            Function<Granularity, Optional<Instant>> compactedThrough) {
        List<ReadSegment> out = new ArrayList<>();
        addTotal(out, target, requireAligned(target, start, end), end, compactedThrough);
        return out;
    }

    /** {@code start}, after checking that the range is aligned to {@code target}. */
    private static Instant requireAligned(Granularity target, Instant start, Instant end) {
        if (!target.isAligned(start) || !target.isAligned(end)) {
            throw new IllegalArgumentException(
                    "range must be aligned to " + target.wireName() + ": " + start + ".." + end);
        }
        return start;
    }

    private static void addTotal(
            List<ReadSegment> out,
            Granularity g,
            Instant start,
            Instant end,
            Function<Granularity, Optional<Instant>> compactedThrough) {
        Optional<Granularity> coarser = g.coarser();
        if (coarser.isPresent()) {
            Instant innerStart = coarser.get().ceil(start);
            Instant innerEnd = coarser.get().floor(end);
            if (innerStart.isBefore(innerEnd)) {
                add(out, g, start, innerStart, compactedThrough);
                addTotal(out, coarser.get(), innerStart, innerEnd, compactedThrough);
                add(out, g, innerEnd, end, compactedThrough);
                return;
            }
        }
        add(out, g, start, end, compactedThrough);
    }

    private static void add(
            List<ReadSegment> out,
            Granularity g,
            Instant start,
            Instant end,
            Function<Granularity, Optional<Instant>> compactedThrough) {
        if (!start.isBefore(end)) {
            return;
        }
        Optional<Granularity> finer = g.finer();
        if (finer.isEmpty()) {
            out.add(new ReadSegment(g, start, end));
            return;
        }
        // A bucket straddling compacted_through is not known to be complete: floor, so it comes
        // from finer rows. Clamp into the range.
        Instant split = compactedThrough.apply(g).map(g::floor).orElse(start);
        if (split.isBefore(start)) {
            split = start;
        } else if (split.isAfter(end)) {
            split = end;
        }
        if (start.isBefore(split)) {
            out.add(new ReadSegment(g, start, split));
        }
        add(out, finer.get(), split, end, compactedThrough);
    }
}
