package io.deliverymetrics.core.metrics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.Store;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The delivery metrics of one pair over one time bucket: outcome counters, successes by attempt,
 * latency statistics with a mergeable sketch, and error counts.
 *
 * <p>This is the project's single aggregation implementation: the streaming job {@link
 * #add(DeliveryAttempt) adds} attempts into it, compaction and the API {@link #merge(MetricBucket)
 * merge} buckets. {@code merge} is exact, associative and commutative, including the sketch and the
 * capped error breakdown, so any grouping of the same inputs gives identical results.
 *
 * <p>Counting rules: terminal outcomes ({@code delivered}, {@code discarded}, {@code expired},
 * {@code filtered}) count events; {@code retrying} counts attempts. Latency is recorded for {@code
 * delivered} only. Error rows are kept for failure outcomes; a failure without a code counts under
 * {@value ErrorKey#UNKNOWN}.
 *
 * <p>Error cap: at most {@link #MAX_ERROR_CODES} distinct (outcome, code) rows besides the {@code
 * other} rows. When more exist, the rows that sort first by (outcome, code) are kept and the rest
 * are folded into the {@code (outcome, "other")} row of their outcome. Choosing the kept rows by
 * key rather than by count is deliberate: a count-based top-N would make the result depend on merge
 * order, a key-based one does not, so per-outcome totals and every kept row stay exact.
 *
 * <p>Event breakdown: per (event type, event name) the five outcome counters, so the rows of a
 * bucket always add up to the bucket's counters exactly. At most {@link #MAX_EVENT_KEYS} keys are
 * kept besides {@link EventKey#OTHER}; when more exist, the keys with the most attempts (ties: the
 * key that sorts first) are kept and the rest are folded into the {@code other} row. The sums are
 * exact whatever the merge order; the rows themselves are exact as long as no input of a bucket
 * ever held more than the cap (every merge of inputs that never folded keeps every key). Once a
 * bucket folds, which names are kept and how much of a kept name's count went to {@code other}
 * before it was kept may depend on the order partial buckets were merged in, unlike the error rows,
 * whose key-based cap is order-free: a key-based cap would keep alphabetically first names, where a
 * breakdown is meant to show the busiest.
 *
 * <p>Error samples: per error key up to {@value ErrorSamples#MAX_SAMPLES} failed attempts, the
 * bottom-k by a hash of (event id, attempt) ({@link ErrorSamples}), so replays keep the same
 * samples and merges are exact. Samples follow their key through the error cap: when a key is
 * folded into {@code (outcome, "other")}, its samples are merged into that row's samples, which are
 * then the bottom-k over every folded key's attempts (the sample keeps its own error code). As the
 * kept keys do not depend on merge order, neither do the samples of any row.
 *
 * <p>Not thread-safe; instances are mutable for cheap incremental aggregation.
 */
public final class MetricBucket {

    /** Attempt numbers at or above this are counted together in the last histogram slot. */
    public static final int MAX_TRACKED_ATTEMPT = 10;

    /** Distinct error rows kept per bucket before folding into {@code other}. */
    public static final int MAX_ERROR_CODES = 100;

    /**
     * Distinct (event type, event name) rows kept per bucket before folding into {@link
     * EventKey#OTHER}. A constant and not configuration: the job, compaction and replays must fold
     * the same way, or rows written by one would not match rows recomputed by another. Large enough
     * for a typical tracking plan's names in one pair and minute.
     */
    public static final int MAX_EVENT_KEYS = 200;

    /** Kept-first order of event rows when folding: most attempts, then key order. */
    private static final Comparator<Map.Entry<EventKey, OutcomeCounts>> KEEP_FIRST =
            Comparator.<Map.Entry<EventKey, OutcomeCounts>>comparingLong(
                            e -> -e.getValue().attempts())
                    .thenComparing(Map.Entry::getKey);

    private long successes;
    private long retried;
    private long discarded;
    private long expired;
    private long filtered;
    private final long[] successesByAttempt = new long[MAX_TRACKED_ATTEMPT];
    private long latencyCount;
    private long latencySumMs;
    private long latencyMaxMs;
    private final Latencies latency;
    private final TreeMap<ErrorKey, Long> errors = new TreeMap<>();

    /**
     * Hashed, not sorted: every attempt looks its key up here, and a sorted map's string
     * comparisons were the largest part of what the breakdown cost per attempt. {@link #events()}
     * sorts.
     */
    private final HashMap<EventKey, OutcomeCounts> events = new HashMap<>();

    private final TreeMap<ErrorKey, ErrorSamples> samples = new TreeMap<>();

    /**
     * The event breakdown as {@link BucketCodec#encodeEvents} encodes it, while it has not been
     * decoded into {@link #events} (which is then empty); {@code null} otherwise. A bucket decoded
     * from its encoding keeps the breakdown encoded until something reads or changes it: a bucket
     * that only passes through (a shuffle, the sink) is encoded again, or written, from these very
     * bytes, without building its names or sorting its keys. Never mutated; copies share it.
     */
    private byte[] encodedEvents;

    /**
     * {@link #events}' entries in key order, kept between encodings until a key is added or removed
     * (the counts are updated in place, so the entries stay current): a window's bucket is encoded
     * at every firing and checkpoint, and its keys rarely change after its first attempts.
     */
    private List<Map.Entry<EventKey, OutcomeCounts>> sortedEvents;

    /**
     * The error samples as {@link BucketCodec#encode} encodes them (every key's list), while they
     * have not been decoded into {@link #samples} (which is then empty); {@code null} otherwise. As
     * {@link #encodedEvents}.
     */
    private byte[] encodedSamples;

    public MetricBucket() {
        this.latency = new Latencies();
    }

    private MetricBucket(Latencies latency) {
        this.latency = latency;
    }

    /** Adds one attempt. The caller decides which bucket the attempt belongs to. */
    public MetricBucket add(DeliveryAttempt a) {
        switch (a.outcome()) {
            case DELIVERED -> {
                successes++;
                successesByAttempt[Math.min(a.attempt(), MAX_TRACKED_ATTEMPT) - 1]++;
                long ms = a.latencyMillis();
                latencyCount++;
                latencySumMs += ms;
                latencyMaxMs = Math.max(latencyMaxMs, ms);
                latency.add(ms);
            }
            case RETRYING -> retried++;
            case DISCARDED -> discarded++;
            case EXPIRED -> expired++;
            case FILTERED -> filtered++;
        }
        if (a.outcome().isFailure()) {
            decodeSamples();
            String code = a.errorCode() == null ? ErrorKey.UNKNOWN : a.errorCode();
            ErrorKey key = new ErrorKey(a.outcome(), code);
            errors.merge(key, 1L, Long::sum);
            ErrorSamples s = samples.get(key);
            if (s == null) {
                s = new ErrorSamples();
                samples.put(key, s);
            }
            s.add(a);
            enforceErrorCap();
        }
        decodeEvents();
        EventKey key = new EventKey(a.eventType(), a.eventName());
        OutcomeCounts counts = events.get(key);
        if (counts == null) {
            counts = new OutcomeCounts();
            events.put(key, counts);
            sortedEvents = null;
            counts.increment(a.outcome());
            enforceEventCap();
        } else {
            counts.increment(a.outcome());
        }
        return this;
    }

    /** Merges {@code other} into this bucket (exactly) and returns this bucket. */
    public MetricBucket merge(MetricBucket other) {
        successes += other.successes;
        retried += other.retried;
        discarded += other.discarded;
        expired += other.expired;
        filtered += other.filtered;
        for (int i = 0; i < MAX_TRACKED_ATTEMPT; i++) {
            successesByAttempt[i] += other.successesByAttempt[i];
        }
        latencyCount += other.latencyCount;
        latencySumMs += other.latencySumMs;
        latencyMaxMs = Math.max(latencyMaxMs, other.latencyMaxMs);
        latency.merge(other.latency);
        for (Map.Entry<ErrorKey, Long> e : other.errors.entrySet()) {
            errors.merge(e.getKey(), e.getValue(), Long::sum);
        }
        mergeSamplesOf(other);
        enforceErrorCap();
        mergeEventsOf(other);
        return this;
    }

    /**
     * Merges {@code other}'s samples; a bucket without samples takes over {@code other}'s encoding
     * as it is (a merge into nothing is a copy).
     */
    private void mergeSamplesOf(MetricBucket other) {
        if (other.encodedSamples != null && encodedSamples == null && samples.isEmpty()) {
            encodedSamples = other.encodedSamples;
            return;
        }
        other.decodeSamples();
        decodeSamples();
        mergeSamples(other.samples);
    }

    /** As {@link #mergeSamplesOf}, for the event breakdown. */
    private void mergeEventsOf(MetricBucket other) {
        if (other.encodedEvents != null && encodedEvents == null && events.isEmpty()) {
            encodedEvents = other.encodedEvents;
            return;
        }
        other.decodeEvents();
        decodeEvents();
        mergeEvents(other.events);
    }

    /** Decodes {@link #encodedEvents} into {@link #events}, if the breakdown is still encoded. */
    private void decodeEvents() {
        if (encodedEvents != null) {
            events.putAll(BucketCodec.decodeEvents(encodedEvents));
            sortedEvents = null;
            encodedEvents = null;
        }
    }

    /** Decodes {@link #encodedSamples} into {@link #samples}, if they are still encoded. */
    private void decodeSamples() {
        // Not restoreSamples: that also enforces the error cap, which a merge must do only once
        // both buckets' errors and samples are in.
        if (encodedSamples != null) {
            for (Map.Entry<ErrorKey, List<ErrorSample>> e :
                    BucketCodec.decodeSamplesBody(encodedSamples).entrySet()) {
                if (!e.getValue().isEmpty()) {
                    samples.put(e.getKey(), ErrorSamples.of(e.getValue()));
                }
            }
            encodedSamples = null;
        }
    }

    private void mergeSamples(Map<ErrorKey, ErrorSamples> other) {
        for (Map.Entry<ErrorKey, ErrorSamples> e : other.entrySet()) {
            ErrorSamples mine = samples.get(e.getKey());
            if (mine == null) {
                samples.put(e.getKey(), e.getValue().copy());
            } else {
                mine.merge(e.getValue());
            }
        }
    }

    private void mergeEvents(Map<EventKey, OutcomeCounts> other) {
        for (Map.Entry<EventKey, OutcomeCounts> e : other.entrySet()) {
            OutcomeCounts mine = events.get(e.getKey());
            if (mine == null) {
                events.put(e.getKey(), e.getValue().copy());
                sortedEvents = null;
            } else {
                mine.add(e.getValue());
            }
        }
        enforceEventCap();
    }

    /** A deep copy. */
    public MetricBucket copy() {
        MetricBucket c = copyWithoutEventsAndSamples();
        events.forEach((k, v) -> c.events.put(k, v.copy()));
        samples.forEach((k, v) -> c.samples.put(k, v.copy()));
        c.encodedEvents = encodedEvents;
        c.encodedSamples = encodedSamples;
        return c;
    }

    /**
     * A deep copy of the counters, latency and error counts, without the event breakdown and the
     * error samples (for roll-ups that keep neither): it merges like a bucket whose attempts named
     * no event and were never sampled.
     */
    public MetricBucket copyWithoutEventsAndSamples() {
        MetricBucket c = new MetricBucket(latency.copy());
        c.successes = successes;
        c.retried = retried;
        c.discarded = discarded;
        c.expired = expired;
        c.filtered = filtered;
        System.arraycopy(successesByAttempt, 0, c.successesByAttempt, 0, MAX_TRACKED_ATTEMPT);
        c.latencyCount = latencyCount;
        c.latencySumMs = latencySumMs;
        c.latencyMaxMs = latencyMaxMs;
        c.errors.putAll(errors);
        return c;
    }

    private void enforceEventCap() {
        int regular = events.containsKey(EventKey.OTHER) ? events.size() - 1 : events.size();
        if (regular <= MAX_EVENT_KEYS) {
            return;
        }
        // Copies of the entries: the loop below removes from the map.
        List<Map.Entry<EventKey, OutcomeCounts>> rows = new ArrayList<>(regular);
        for (Map.Entry<EventKey, OutcomeCounts> e : events.entrySet()) {
            if (!e.getKey().isOther()) {
                rows.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        rows.sort(KEEP_FIRST);
        sortedEvents = null;
        OutcomeCounts other = events.computeIfAbsent(EventKey.OTHER, k -> new OutcomeCounts());
        for (Map.Entry<EventKey, OutcomeCounts> e : rows.subList(MAX_EVENT_KEYS, regular)) {
            other.add(e.getValue());
            events.remove(e.getKey());
        }
    }

    private void enforceErrorCap() {
        if (errors.size() <= MAX_ERROR_CODES) {
            return;
        }
        int regular = 0;
        for (ErrorKey k : errors.keySet()) {
            if (!k.isOther()) {
                regular++;
            }
        }
        if (regular <= MAX_ERROR_CODES) {
            return;
        }
        decodeSamples();
        int kept = 0;
        Iterator<Map.Entry<ErrorKey, Long>> it = errors.entrySet().iterator();
        long[] foldedByOutcome = new long[Outcome.values().length];
        while (it.hasNext()) {
            Map.Entry<ErrorKey, Long> e = it.next();
            if (e.getKey().isOther()) {
                continue;
            }
            if (kept < MAX_ERROR_CODES) {
                kept++;
            } else {
                foldedByOutcome[e.getKey().outcome().ordinal()] += e.getValue();
                ErrorSamples folded = samples.remove(e.getKey());
                if (folded != null) {
                    samples.computeIfAbsent(
                                    new ErrorKey(e.getKey().outcome(), ErrorKey.OTHER),
                                    k -> new ErrorSamples())
                            .merge(folded);
                }
                it.remove();
            }
        }
        for (Outcome o : Outcome.values()) {
            if (foldedByOutcome[o.ordinal()] > 0) {
                errors.merge(
                        new ErrorKey(o, ErrorKey.OTHER), foldedByOutcome[o.ordinal()], Long::sum);
            }
        }
    }

    // ---- read-out

    public long successes() {
        return successes;
    }

    public long retried() {
        return retried;
    }

    public long discarded() {
        return discarded;
    }

    public long expired() {
        return expired;
    }

    public long filtered() {
        return filtered;
    }

    /** Successes whose attempt number was {@code attempt} (1-based; 10 means 10 or more). */
    public long successesOnAttempt(int attempt) {
        if (attempt < 1 || attempt > MAX_TRACKED_ATTEMPT) {
            throw new IllegalArgumentException(
                    "attempt must be in 1.." + MAX_TRACKED_ATTEMPT + ", was " + attempt);
        }
        return successesByAttempt[attempt - 1];
    }

    /**
     * A copy of the successes-by-attempt histogram; index 0 is attempt 1, index 9 is 10 or more.
     */
    public long[] successesByAttempt() {
        return successesByAttempt.clone();
    }

    public long latencyCount() {
        return latencyCount;
    }

    public long latencySumMs() {
        return latencySumMs;
    }

    public long latencyMaxMs() {
        return latencyMaxMs;
    }

    /** Error counts by (outcome, code), sorted, unmodifiable. */
    public NavigableMap<ErrorKey, Long> errors() {
        return Collections.unmodifiableNavigableMap(errors);
    }

    /** The event breakdown's entries sorted by key, for encodings. */
    List<Map.Entry<EventKey, OutcomeCounts>> sortedEvents() {
        decodeEvents();
        if (sortedEvents == null) {
            List<Map.Entry<EventKey, OutcomeCounts>> sorted = new ArrayList<>(events.size());
            events.forEach((k, v) -> sorted.add(Map.entry(k, v)));
            sorted.sort(Map.Entry.comparingByKey());
            sortedEvents = Collections.unmodifiableList(sorted);
        }
        return sortedEvents;
    }

    /** How many keys the event breakdown has ({@code events().size()} without its copy). */
    public int eventKeyCount() {
        decodeEvents();
        return events.size();
    }

    /**
     * Calls {@code action} with each key of the event breakdown and its counts, in no particular
     * order: for readers that do not need {@link #events()}' sorted copy. Callers must not mutate
     * the counts.
     */
    public void forEachEvent(BiConsumer<EventKey, OutcomeCounts> action) {
        decodeEvents();
        events.forEach(action);
    }

    /**
     * The event breakdown: outcome counts by (event type, event name), a sorted, unmodifiable copy
     * (of the keys; callers must not mutate the counts); its rows add up to the bucket's counters
     * for every bucket built from attempts.
     */
    public NavigableMap<EventKey, OutcomeCounts> events() {
        decodeEvents();
        return Collections.unmodifiableNavigableMap(new TreeMap<>(events));
    }

    /**
     * The error samples by error key, sorted, unmodifiable; keys are rows of {@link #errors()}.
     * Callers must not mutate the samples.
     */
    public NavigableMap<ErrorKey, ErrorSamples> samples() {
        decodeSamples();
        return Collections.unmodifiableNavigableMap(samples);
    }

    /**
     * Drops every error sample (for a deployment that stores none) and returns this bucket. The
     * bucket then merges like one whose attempts were never sampled.
     */
    public MetricBucket withoutSamples() {
        samples.clear();
        encodedSamples = null;
        return this;
    }

    /**
     * Drops the event breakdown (for a deployment that stores none) and returns this bucket. The
     * bucket then merges like one whose attempts named no event; its counters are unchanged.
     */
    public MetricBucket withoutEvents() {
        events.clear();
        sortedEvents = null;
        encodedEvents = null;
        return this;
    }

    /**
     * Adds stored samples (a database row set or a decoded encoding) and returns this bucket; the
     * samples of keys beyond the error cap fold as {@link #merge} folds them.
     */
    public MetricBucket restoreSamples(Map<ErrorKey, ? extends Collection<ErrorSample>> stored) {
        decodeSamples();
        for (Map.Entry<ErrorKey, ? extends Collection<ErrorSample>> e : stored.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            samples.computeIfAbsent(e.getKey(), k -> new ErrorSamples())
                    .merge(ErrorSamples.of(e.getValue()));
        }
        enforceErrorCap();
        return this;
    }

    /**
     * The number of attempts added (directly or through merges): every attempt counts in exactly
     * one of the five outcome counters.
     */
    public long attempts() {
        return successes + retried + discarded + expired + filtered;
    }

    /** Whether nothing was ever added or merged into this bucket. */
    public boolean isEmpty() {
        return successes == 0
                && retried == 0
                && discarded == 0
                && expired == 0
                && filtered == 0
                && errors.isEmpty()
                && events.isEmpty()
                && encodedEvents == null
                && samples.isEmpty()
                && encodedSamples == null;
    }

    /**
     * Share of terminal deliveries that succeeded: successes / (successes + discarded + expired).
     * {@code NaN} when there were no terminal deliveries (rates over nothing are undefined, not 0
     * or 1).
     */
    public double successRate() {
        long terminal = successes + discarded + expired;
        return terminal == 0 ? Double.NaN : (double) successes / terminal;
    }

    /** Mean latency in milliseconds, {@code NaN} without successes. */
    public double latencyAvgMs() {
        return latencyCount == 0 ? Double.NaN : (double) latencySumMs / latencyCount;
    }

    /**
     * Latency in milliseconds at quantile {@code q} ∈ [0, 1], within 1 % of the exact value
     * (relative), capped by the exact maximum; {@code NaN} without successes.
     */
    public double latencyQuantileMs(double q) {
        return latencyQuantilesMs(q)[0];
    }

    /**
     * How many latencies are at most each bound: a cumulative histogram of the bucket's sketch, as
     * a Prometheus histogram's {@code le} buckets count. A value is counted by the value its sketch
     * bin stands for, so a latency within 1 % of a bound may fall on either side of it; the counts
     * still add up exactly across buckets, since bins do.
     *
     * @param boundsMs upper bounds in milliseconds, ascending
     * @return one cumulative count per bound
     */
    public long[] latencyCountsAtMost(double[] boundsMs) {
        for (int i = 1; i < boundsMs.length; i++) {
            if (!(boundsMs[i] > boundsMs[i - 1])) {
                throw new IllegalArgumentException("bounds must be strictly ascending");
            }
        }
        long[] out = new long[boundsMs.length];
        if (latency.isEmpty()) {
            return out;
        }
        DDSketch sketch = latency.view();
        Store positive = sketch.getPositiveValueStore();
        long zerosAndNegatives = Math.round(sketch.getCount() - positive.getTotalCount());
        IndexMapping mapping = sketch.getIndexMapping();
        long[] perBound = new long[boundsMs.length];
        int first = 0;
        while (first < boundsMs.length && boundsMs[first] < 0) {
            first++;
        }
        if (first < boundsMs.length) {
            perBound[first] += zerosAndNegatives;
        }
        int j = first;
        for (Iterator<Bin> it = positive.getAscendingIterator(); it.hasNext(); ) {
            Bin bin = it.next();
            double v = mapping.value(bin.getIndex());
            while (j < boundsMs.length && v > boundsMs[j]) {
                j++;
            }
            if (j == boundsMs.length) {
                break;
            }
            perBound[j] += Math.round(bin.getCount());
        }
        long running = 0;
        for (int i = 0; i < boundsMs.length; i++) {
            running += perBound[i];
            out[i] = running;
        }
        return out;
    }

    /**
     * The latencies at several quantiles at once, each what {@link #latencyQuantileMs} gives for
     * it, from one pass over the sketch instead of one pass per quantile. The values are those of
     * DDSketch's {@code getValueAtQuantile}, capped by the exact maximum.
     *
     * @param qs quantiles in [0, 1], in ascending order
     * @return one value per quantile, in the same order; all {@code NaN} without successes
     */
    public double[] latencyQuantilesMs(double... qs) {
        for (int i = 0; i < qs.length; i++) {
            if (qs[i] < 0 || qs[i] > 1 || Double.isNaN(qs[i])) {
                throw new IllegalArgumentException("quantile must be in [0, 1], was " + qs[i]);
            }
            if (i > 0 && qs[i] < qs[i - 1]) {
                throw new IllegalArgumentException("quantiles must be in ascending order");
            }
        }
        double[] out = new double[qs.length];
        if (this.latency.isEmpty()) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        DDSketch latency = this.latency.sketchOrNull();
        if (latency == null) {
            return cap(quantilesOfList(qs, out));
        }
        // The walk of DDSketch.getValueAtQuantile (negative values from the most negative, then
        // zeros, then positive values), stopping at each rank q × (count − 1) in turn.
        double count = latency.getCount();
        Store negative = latency.getNegativeValueStore();
        Store positive = latency.getPositiveValueStore();
        double zeros = count - negative.getTotalCount() - positive.getTotalCount();
        IndexMapping mapping = latency.getIndexMapping();
        double seen = 0;
        int next = 0;
        for (Iterator<Bin> it = negative.getDescendingIterator();
                it.hasNext() && next < qs.length; ) {
            Bin bin = it.next();
            seen += bin.getCount();
            while (next < qs.length && seen > qs[next] * (count - 1)) {
                out[next++] = -mapping.value(bin.getIndex());
            }
        }
        seen += zeros;
        while (next < qs.length && seen > qs[next] * (count - 1)) {
            out[next++] = 0;
        }
        for (Iterator<Bin> it = positive.getAscendingIterator();
                it.hasNext() && next < qs.length; ) {
            Bin bin = it.next();
            seen += bin.getCount();
            while (next < qs.length && seen > qs[next] * (count - 1)) {
                out[next++] = mapping.value(bin.getIndex());
            }
        }
        if (next < qs.length) {
            throw new IllegalStateException("sketch counts do not add up to its count");
        }
        return cap(out);
    }

    /** The same walk over the list form (zeros, then each value's bin in ascending order). */
    private double[] quantilesOfList(double[] qs, double[] out) {
        int[] sorted = latency.sortedIndexes();
        double count = latency.zeros() + sorted.length;
        double seen = latency.zeros();
        int next = 0;
        while (next < qs.length && seen > qs[next] * (count - 1)) {
            out[next++] = 0;
        }
        for (int i = 0; i < sorted.length && next < qs.length; i++) {
            seen++;
            while (next < qs.length && seen > qs[next] * (count - 1)) {
                out[next++] = LatencySketch.MAPPING.value(sorted[i]);
            }
        }
        return out;
    }

    private double[] cap(double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(out[i], latencyMaxMs);
        }
        return out;
    }

    /** The latency sketch (built anew while its values are few). Callers must not mutate it. */
    DDSketch latencySketch() {
        return latency.view();
    }

    /** The latencies, for encoding. Callers must not mutate them. */
    Latencies latencies() {
        return latency;
    }

    // ---- restoration from storage (used by the codec and by database readers)

    /**
     * Rebuilds a bucket from stored parts, e.g. a database row.
     *
     * @param successesByAttempt 10 slots, index 0 = attempt 1
     * @param sketch the encoded latency sketch ({@link BucketCodec#encodeSketch}), may be empty
     */
    public static MetricBucket restore(
            long successes,
            long retried,
            long discarded,
            long expired,
            long filtered,
            long[] successesByAttempt,
            long latencyCount,
            long latencySumMs,
            long latencyMaxMs,
            byte[] sketch,
            Map<ErrorKey, Long> errors) {
        return restore(
                successes,
                retried,
                discarded,
                expired,
                filtered,
                successesByAttempt,
                latencyCount,
                latencySumMs,
                latencyMaxMs,
                BucketCodec.decodeLatencies(sketch),
                errors);
    }

    /**
     * As {@link #restore(long, long, long, long, long, long[], long, long, long, byte[], Map)},
     * with the bucket's event breakdown (capped as {@link #merge} caps it).
     */
    public static MetricBucket restore(
            long successes,
            long retried,
            long discarded,
            long expired,
            long filtered,
            long[] successesByAttempt,
            long latencyCount,
            long latencySumMs,
            long latencyMaxMs,
            byte[] sketch,
            Map<ErrorKey, Long> errors,
            Map<EventKey, OutcomeCounts> events) {
        MetricBucket b =
                restore(
                        successes,
                        retried,
                        discarded,
                        expired,
                        filtered,
                        successesByAttempt,
                        latencyCount,
                        latencySumMs,
                        latencyMaxMs,
                        BucketCodec.decodeLatencies(sketch),
                        errors);
        b.mergeEvents(events);
        return b;
    }

    /** Adds decoded event rows (the codec's restore path). */
    MetricBucket restoreEvents(Map<EventKey, OutcomeCounts> events) {
        decodeEvents();
        mergeEvents(events);
        return this;
    }

    /**
     * Sets the event breakdown and the error samples of a bucket that has neither to their
     * encodings, decoded when first needed (the codec's restore path; {@code null}: none).
     */
    MetricBucket restoreEncoded(byte[] eventsColumn, byte[] samplesBody) {
        if (!events.isEmpty()
                || encodedEvents != null
                || !samples.isEmpty()
                || encodedSamples != null) {
            throw new IllegalStateException("the bucket already has a breakdown or samples");
        }
        encodedEvents = eventsColumn;
        encodedSamples = samplesBody;
        return this;
    }

    /**
     * The event breakdown's encoding while it is not decoded ({@link #encodedEvents}), else null.
     */
    byte[] encodedEvents() {
        return encodedEvents;
    }

    /**
     * The error samples' encoding while they are not decoded ({@link #encodedSamples}), else null.
     */
    byte[] encodedSamples() {
        return encodedSamples;
    }

    static MetricBucket restore(
            long successes,
            long retried,
            long discarded,
            long expired,
            long filtered,
            long[] successesByAttempt,
            long latencyCount,
            long latencySumMs,
            long latencyMaxMs,
            Latencies sketch,
            Map<ErrorKey, Long> errors) {
        if (successesByAttempt.length != MAX_TRACKED_ATTEMPT) {
            throw new IllegalArgumentException(
                    "successesByAttempt must have " + MAX_TRACKED_ATTEMPT + " slots");
        }
        MetricBucket b = new MetricBucket(sketch);
        b.successes = successes;
        b.retried = retried;
        b.discarded = discarded;
        b.expired = expired;
        b.filtered = filtered;
        System.arraycopy(successesByAttempt, 0, b.successesByAttempt, 0, MAX_TRACKED_ATTEMPT);
        b.latencyCount = latencyCount;
        b.latencySumMs = latencySumMs;
        b.latencyMaxMs = latencyMaxMs;
        for (Map.Entry<ErrorKey, Long> e : errors.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("negative error count for " + e.getKey());
            }
            if (e.getValue() > 0) {
                b.errors.merge(e.getKey(), e.getValue(), Long::sum);
            }
        }
        b.enforceErrorCap();
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MetricBucket b)) {
            return false;
        }
        return successes == b.successes
                && retried == b.retried
                && discarded == b.discarded
                && expired == b.expired
                && filtered == b.filtered
                && Arrays.equals(successesByAttempt, b.successesByAttempt)
                && latencyCount == b.latencyCount
                && latencySumMs == b.latencySumMs
                && latencyMaxMs == b.latencyMaxMs
                && errors.equals(b.errors)
                && eventsEqual(b)
                && samplesEqual(b)
                && Arrays.equals(BucketCodec.encodeSketch(this), BucketCodec.encodeSketch(b));
    }

    /** Compared as encoded while both are (the encoding is canonical), else decoded. */
    private boolean eventsEqual(MetricBucket b) {
        if (encodedEvents != null && b.encodedEvents != null) {
            return Arrays.equals(encodedEvents, b.encodedEvents);
        }
        decodeEvents();
        b.decodeEvents();
        return events.equals(b.events);
    }

    private boolean samplesEqual(MetricBucket b) {
        if (encodedSamples != null && b.encodedSamples != null) {
            return Arrays.equals(encodedSamples, b.encodedSamples);
        }
        decodeSamples();
        b.decodeSamples();
        return samples.equals(b.samples);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(successes) * 31 + Long.hashCode(latencySumMs) * 17 + errors.hashCode();
    }

    @Override
    public String toString() {
        return "MetricBucket{successes="
                + successes
                + ", retried="
                + retried
                + ", discarded="
                + discarded
                + ", expired="
                + expired
                + ", filtered="
                + filtered
                + ", byAttempt="
                + Arrays.toString(successesByAttempt)
                + ", latency(count="
                + latencyCount
                + ", sumMs="
                + latencySumMs
                + ", maxMs="
                + latencyMaxMs
                + "), errors="
                + errors
                + ", events="
                + events()
                + ", samples="
                + samples()
                + '}';
    }
}
