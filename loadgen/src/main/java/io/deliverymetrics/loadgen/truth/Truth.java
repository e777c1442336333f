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
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exact totals of everything a sink acknowledged, computed from the generated attempts without
 * the project's aggregation code, so that pipeline tests can compare against it.
 *
 * <p>VALID records (including out-of-order ones) go into per-(pair, minute of completed_at) totals;
 * LATE records into separate per-(pair, minute) totals; MALFORMED records are only counted, per
 * {@link Malformation}. Thread-safe: sinks may call {@link #acknowledged} from I/O threads.
 */
public final class Truth implements AckListener {

    private static final Logger LOG = LoggerFactory.getLogger(Truth.class);

    private final Map<BucketKey, BucketAccumulator> minutes = new HashMap<>();
    private final Map<BucketKey, BucketAccumulator> late = new HashMap<>();
    private final EnumMap<Malformation, Long> malformedByKind = new EnumMap<>(Malformation.class);
    private long validRecords;
    private long lateRecords;
    private long malformedRecords;

    @Override
    public synchronized void acknowledged(GeneratedRecord record) {
        switch (record.kind()) {
            case VALID -> {
                validRecords++;
                bucket(minutes, record.attempt()).add(record.attempt());
            }
            case LATE -> {
                lateRecords++;
                bucket(late, record.attempt()).add(record.attempt());
            }
            case MALFORMED -> {
                malformedRecords++;
                malformedByKind.merge(record.malformation(), 1L, Long::sum);
            }
            default -> throw new IllegalStateException("unknown kind " + record.kind());
        }
    }

    private static BucketAccumulator bucket(Map<BucketKey, BucketAccumulator> map, Attempt a) {
        Instant minute = Instant.ofEpochMilli(Math.floorDiv(a.completedAtMs(), 60_000L) * 60_000L);
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

    /** Totals of LATE records per (pair, UTC minute of completed_at), in key order. */
    public synchronized SortedMap<BucketKey, BucketTotals> late() {
        return snapshot(late, ChronoUnit.MINUTES);
    }

    private static SortedMap<BucketKey, BucketTotals> snapshot(
            Map<BucketKey, BucketAccumulator> source, ChronoUnit unit) {
        if (unit != ChronoUnit.MINUTES && unit != ChronoUnit.HOURS && unit != ChronoUnit.DAYS) {
            throw new IllegalArgumentException("unit must be MINUTES, HOURS or DAYS, was " + unit);
        }
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
        SortedMap<BucketKey, BucketTotals> minuteTotals;
        SortedMap<BucketKey, BucketTotals> lateTotals;
        SortedMap<Malformation, Long> malformed;
        long valid;
        long lateCount;
        long malformedCount;
        synchronized (this) {
            minuteTotals = minutes();
            lateTotals = late();
            malformed = malformedByKind();
            valid = validRecords;
            lateCount = lateRecords;
            malformedCount = malformedRecords;
        }
        TruthWriter.write(
                out, minuteTotals, lateTotals, malformed, valid, lateCount, malformedCount);
    }
}
