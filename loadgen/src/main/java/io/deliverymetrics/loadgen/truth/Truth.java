package io.deliverymetrics.loadgen.truth;

import io.deliverymetrics.loadgen.model.Attempt;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.model.Malformation;
import io.deliverymetrics.loadgen.sink.AckListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exact totals of everything a sink acknowledged, computed from the generated attempts without
 * the project's aggregation code, so that pipeline tests can compare against it.
 *
 * <p>VALID records (including out-of-order ones) go into per-(pair, minute of completed_at) totals,
 * per-(destination type, minute) totals and per-(pair, minute, event type, event name) outcome
 * counts, and per (pair, minute, outcome, error code) of failures the {@value #SAMPLES} error
 * samples (the attempts with the smallest sample hash, {@link SampledAttempt}); LATE records into
 * separate per-(pair, minute) totals; MALFORMED records are only counted, per {@link Malformation}.
 * Error messages longer than {@value #MAX_ERROR_MESSAGE_CODE_POINTS} code points, which the parser
 * truncates, are counted over VALID and LATE records. Thread-safe: sinks may call {@link
 * #acknowledged} from I/O threads.
 */
public final class Truth implements AckListener {

    private static final Logger LOG = LoggerFactory.getLogger(Truth.class);

    /** The contract's limit on error messages; longer ones are truncated by the parser. */
    public static final int MAX_ERROR_MESSAGE_CODE_POINTS = 1024;

    private final Map<BucketKey, BucketAccumulator> minutes = new HashMap<>();
    private final Map<BucketKey, BucketAccumulator> late = new HashMap<>();
    private final Map<TypeMinuteKey, TypeAccumulator> typeMinutes = new HashMap<>();
    private final Map<EventMinuteKey, long[]> eventMinutes = new HashMap<>();
    private final Map<ErrorSampleKey, TreeSet<SampledAttempt>> errorSamples = new HashMap<>();

    /** A destination type named by records of a minute of completed_at. */
    private record TypeSeen(Instant minute, String type) {
        boolean newerThan(TypeSeen o) {
            int byMinute = minute.compareTo(o.minute);
            return byMinute > 0 || (byMinute == 0 && type.compareTo(o.type) > 0);
        }
    }

    /** "workspace_id/destination_id" → the newest type its VALID records named. */
    private final Map<String, TypeSeen> destinationTypes = new HashMap<>();

    /** Error samples kept per error row of a pair minute. */
    public static final int SAMPLES = 10;

    private final EnumMap<Malformation, Long> malformedByKind = new EnumMap<>(Malformation.class);
    private long validRecords;
    private long lateRecords;
    private long malformedRecords;
    private long truncatedErrorMessages;

    @Override
    public synchronized void acknowledged(GeneratedRecord record) {
        switch (record.kind()) {
            case VALID -> {
                validRecords++;
                Attempt a = record.attempt();
                bucket(minutes, a).add(a);
                typeMinutes
                        .computeIfAbsent(
                                new TypeMinuteKey(a.destinationTypeOrUnknown(), minuteOf(a)),
                                k -> new TypeAccumulator())
                        .add(a);
                countEvent(a);
                sample(a);
                countTruncation(a);
                noteDestinationType(a);
            }
            case LATE -> {
                lateRecords++;
                bucket(late, record.attempt()).add(record.attempt());
                countTruncation(record.attempt());
            }
            case MALFORMED -> {
                malformedRecords++;
                malformedByKind.merge(record.malformation(), 1L, Long::sum);
            }
            default -> throw new IllegalStateException("unknown kind " + record.kind());
        }
    }

    private static Instant minuteOf(Attempt a) {
        return Instant.ofEpochMilli(Math.floorDiv(a.completedAtMs(), 60_000L) * 60_000L);
    }

    private void noteDestinationType(Attempt a) {
        if (a.destinationType() == null || a.destinationType().equals(Attempt.UNKNOWN_TYPE)) {
            return;
        }
        destinationTypes.merge(
                a.pair().workspaceId() + "/" + a.pair().destinationId(),
                new TypeSeen(minuteOf(a), a.destinationType()),
                (old, neu) -> neu.newerThan(old) ? neu : old);
    }

    private void countEvent(Attempt a) {
        long[] c =
                eventMinutes.computeIfAbsent(
                        new EventMinuteKey(
                                a.pair().workspaceId(),
                                a.pair().sourceId(),
                                a.pair().destinationId(),
                                minuteOf(a),
                                a.eventTypeOrUnknown(),
                                a.eventName()),
                        k -> new long[6]);
        c[0]++;
        switch (a.outcome()) {
            case DELIVERED -> c[1]++;
            case RETRYING -> c[2]++;
            case DISCARDED -> c[3]++;
            case EXPIRED -> c[4]++;
            case FILTERED -> c[5]++;
            default -> throw new IllegalStateException("unknown outcome " + a.outcome());
        }
    }

    private void sample(Attempt a) {
        String outcome = a.outcome().name().toLowerCase(Locale.ROOT);
        if (!outcome.equals("retrying")
                && !outcome.equals("discarded")
                && !outcome.equals("expired")) {
            return;
        }
        ErrorSampleKey key =
                new ErrorSampleKey(
                        new BucketKey(
                                a.pair().workspaceId(),
                                a.pair().sourceId(),
                                a.pair().destinationId(),
                                minuteOf(a)),
                        outcome,
                        a.errorCode() == null ? "unknown" : a.errorCode());
        TreeSet<SampledAttempt> kept = errorSamples.computeIfAbsent(key, k -> new TreeSet<>());
        kept.add(
                new SampledAttempt(
                        SampledAttempt.hash(a.eventId(), a.attempt()),
                        a.eventId(),
                        a.attempt(),
                        a.errorMessage()));
        if (kept.size() > SAMPLES) {
            kept.pollLast();
        }
    }

    /**
     * The error samples of the VALID records: per (pair, minute, outcome, error code), the at most
     * {@value #SAMPLES} attempts with the smallest sample hash, smallest first.
     */
    public synchronized SortedMap<ErrorSampleKey, List<SampledAttempt>> errorSamples() {
        TreeMap<ErrorSampleKey, List<SampledAttempt>> out = new TreeMap<>();
        errorSamples.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Collections.unmodifiableSortedMap(out);
    }

    private void countTruncation(Attempt a) {
        String m = a.errorMessage();
        if (m != null
                && m.length() > MAX_ERROR_MESSAGE_CODE_POINTS
                && m.codePointCount(0, m.length()) > MAX_ERROR_MESSAGE_CODE_POINTS) {
            truncatedErrorMessages++;
        }
    }

    private static BucketAccumulator bucket(Map<BucketKey, BucketAccumulator> map, Attempt a) {
        Instant minute = minuteOf(a);
        BucketKey key =
                new BucketKey(
                        a.pair().workspaceId(),
                        a.pair().sourceId(),
                        a.pair().destinationId(),
                        minute);
        return map.computeIfAbsent(key, k -> new BucketAccumulator());
    }

    /** Totals of VALID records per (pair, UTC minute of completed_at), in key order. */
    public SortedMap<BucketKey, BucketTotals> minutes() {
        return buckets(ChronoUnit.MINUTES);
    }

    /**
     * Totals of VALID records per pair and UTC bucket of {@code unit} (MINUTES, HOURS or DAYS),
     * merged from the minutes exactly (percentiles recomputed from all latencies).
     */
    public synchronized SortedMap<BucketKey, BucketTotals> buckets(ChronoUnit unit) {
        return snapshot(minutes, unit);
    }

    private static void checkUnit(ChronoUnit unit) {
        if (unit != ChronoUnit.MINUTES && unit != ChronoUnit.HOURS && unit != ChronoUnit.DAYS) {
            throw new IllegalArgumentException("unit must be MINUTES, HOURS or DAYS, was " + unit);
        }
    }

    /** Totals of LATE records per (pair, UTC minute of completed_at), in key order. */
    public synchronized SortedMap<BucketKey, BucketTotals> late() {
        return snapshot(late, ChronoUnit.MINUTES);
    }

    private static SortedMap<BucketKey, BucketTotals> snapshot(
            Map<BucketKey, BucketAccumulator> source, ChronoUnit unit) {
        checkUnit(unit);
        Map<BucketKey, BucketAccumulator> grouped;
        if (unit == ChronoUnit.MINUTES) {
            grouped = source;
        } else {
            grouped = new HashMap<>();
            source.forEach(
                    (k, acc) ->
                            grouped.computeIfAbsent(
                                            new BucketKey(
                                                    k.workspaceId(),
                                                    k.sourceId(),
                                                    k.destinationId(),
                                                    k.bucketStart().truncatedTo(unit)),
                                            x -> new BucketAccumulator())
                                    .merge(acc));
        }
        SortedMap<BucketKey, BucketTotals> out = new TreeMap<>();
        grouped.forEach((k, acc) -> out.put(k, acc.snapshot()));
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * Totals of VALID records per (destination type, UTC minute of completed_at), in key order;
     * records without {@code destination_type} count under {@code unknown}.
     */
    public SortedMap<TypeMinuteKey, TypeMinuteTotals> typeMinutes() {
        return typeBuckets(ChronoUnit.MINUTES);
    }

    /**
     * Totals of VALID records per destination type and UTC bucket of {@code unit} (MINUTES, HOURS
     * or DAYS; the key's {@code minute} is the bucket's start), with the distinct workspaces and
     * pairs of the whole bucket: a workspace seen in several of its minutes counts once.
     */
    public synchronized SortedMap<TypeMinuteKey, TypeMinuteTotals> typeBuckets(ChronoUnit unit) {
        checkUnit(unit);
        Map<TypeMinuteKey, TypeAccumulator> grouped = new HashMap<>();
        typeMinutes.forEach(
                (k, acc) ->
                        grouped.computeIfAbsent(
                                        new TypeMinuteKey(
                                                k.destinationType(), k.minute().truncatedTo(unit)),
                                        x -> new TypeAccumulator())
                                .merge(acc));
        SortedMap<TypeMinuteKey, TypeMinuteTotals> out = new TreeMap<>();
        grouped.forEach((k, acc) -> out.put(k, acc.snapshot()));
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * Per destination of a workspace ("workspace_id/destination_id", in key order) the destination
     * type its VALID records imply: the type named by the records of the latest minute that named
     * one (the greater of two in that minute). Destinations none of whose VALID records named a
     * type are absent.
     */
    public synchronized SortedMap<String, String> destinationTypes() {
        SortedMap<String, String> out = new TreeMap<>();
        destinationTypes.forEach((k, v) -> out.put(k, v.type()));
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * Outcome counts of VALID records per (pair, UTC minute of completed_at, event type, event
     * name), in key order; no event type counts as {@code unknown}, no name as a null name.
     */
    public synchronized SortedMap<EventMinuteKey, EventCounts> eventMinutes() {
        SortedMap<EventMinuteKey, EventCounts> out = new TreeMap<>();
        eventMinutes.forEach(
                (k, c) -> out.put(k, new EventCounts(c[0], c[1], c[2], c[3], c[4], c[5])));
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * VALID and LATE records whose error message is longer than {@value
     * #MAX_ERROR_MESSAGE_CODE_POINTS} code points: the ones the parser truncates.
     */
    public synchronized long truncatedErrorMessages() {
        return truncatedErrorMessages;
    }

    /** Number of malformed records per kind; every kind is present, zero when none was sent. */
    public synchronized SortedMap<Malformation, Long> malformedByKind() {
        SortedMap<Malformation, Long> out = new TreeMap<>();
        for (Malformation m : Malformation.values()) {
            out.put(m, malformedByKind.getOrDefault(m, 0L));
        }
        return Collections.unmodifiableSortedMap(out);
    }

    public synchronized long validRecords() {
        return validRecords;
    }

    public synchronized long lateRecords() {
        return lateRecords;
    }

    public synchronized long malformedRecords() {
        return malformedRecords;
    }

    /** All acknowledged records of every kind. */
    public synchronized long records() {
        return validRecords + lateRecords + malformedRecords;
    }

    /** Writes the truth as JSON Lines (see the module README for the format). */
    public void writeJsonLines(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeJsonLines(out);
        }
        LOG.info("wrote truth of {} records to {}", records(), file);
    }

    /** Writes the truth as JSON Lines to {@code out}, which is flushed but not closed. */
    public void writeJsonLines(OutputStream out) throws IOException {
        TruthWriter.Contents contents;
        synchronized (this) {
            contents =
                    new TruthWriter.Contents(
                            minutes(),
                            late(),
                            typeMinutes(),
                            eventMinutes(),
                            malformedByKind(),
                            validRecords,
                            lateRecords,
                            malformedRecords,
                            truncatedErrorMessages);
        }
        TruthWriter.write(out, contents);
    }
}
