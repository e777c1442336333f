package io.deliverymetrics.core.metrics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.store.Store;
import io.deliverymetrics.core.model.Outcome;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compact, versioned binary encodings of a latency sketch, an error breakdown and a whole {@link
 * MetricBucket}.
 *
 * <p>Every encoding starts with a version byte so stored rows and checkpointed state stay readable
 * after the format evolves. Integers are unsigned LEB128 varints; sketch bin indexes are
 * delta-encoded. Encodings are deterministic: equal contents give equal bytes, whatever order the
 * inputs were merged in.
 */
public final class BucketCodec {

    static final byte SKETCH_V1 = 1;
    static final byte ERRORS_V1 = 1;
    static final byte EVENTS_V1 = 1;
    static final byte SAMPLES_V1 = 1;
    static final byte BUCKET_V1 = 1;

    /** {@link #BUCKET_V1} followed by the event breakdown; written since the breakdown exists. */
    static final byte BUCKET_V2 = 2;

    /** {@link #BUCKET_V2} followed by the error samples; written since samples exist. */
    static final byte BUCKET_V3 = 3;

    private static final Outcome[] OUTCOMES = Outcome.values();

    private BucketCodec() {}

    // ---- latency sketch

    /** Encodes a sketch built by {@link LatencySketch#create()}: zero count and non-empty bins. */
    public static byte[] encodeSketch(DDSketch sketch) {
        Writer w = new Writer(16);
        w.writeByte(SKETCH_V1);
        writeSketchBody(w, sketch);
        return w.toByteArray();
    }

    private static void writeSketchBody(Writer w, DDSketch sketch) {
        if (!sketch.getNegativeValueStore().isEmpty()) {
            throw new IllegalArgumentException("latency sketches never hold negative values");
        }
        Store positive = sketch.getPositiveValueStore();
        // forEach visits the non-empty bins (a dense store: in ascending index order) without the
        // Bin object per bin that the store's streams allocate.
        double[] positiveTotal = {0};
        int[] bins = {0};
        positive.forEach(
                (index, count) -> {
                    if (count != 0) {
                        positiveTotal[0] += count;
                        bins[0]++;
                    }
                });
        w.writeVarLong(exactCount(sketch.getCount() - positiveTotal[0]));
        w.writeVarLong(bins[0]);
        int[] previous = {0};
        positive.forEach(
                (index, count) -> {
                    if (count != 0) {
                        w.writeVarLong(zigZag(index - (long) previous[0]));
                        w.writeVarLong(exactCount(count));
                        previous[0] = index;
                    }
                });
    }

    /**
     * The same bytes as {@link #writeSketchBody(Writer, DDSketch)} of the sketch they stand for.
     */
    private static void writeSketchBody(Writer w, Latencies latencies) {
        DDSketch sketch = latencies.sketchOrNull();
        if (sketch != null) {
            writeSketchBody(w, sketch);
            return;
        }
        int[] sorted = latencies.sortedIndexes();
        w.writeVarLong(latencies.zeros());
        int bins = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                bins++;
            }
        }
        w.writeVarLong(bins);
        long previous = 0;
        for (int i = 0; i < sorted.length; ) {
            int j = i;
            while (j < sorted.length && sorted[j] == sorted[i]) {
                j++;
            }
            w.writeVarLong(zigZag(sorted[i] - previous));
            w.writeVarLong(j - i);
            previous = sorted[i];
            i = j;
        }
    }

    /**
     * Encodes the latency sketch of {@code bucket}, as stored in the {@code latency_sketch} column.
     */
    public static byte[] encodeSketch(MetricBucket bucket) {
        Writer w = new Writer(16);
        w.writeByte(SKETCH_V1);
        writeSketchBody(w, bucket.latencies());
        return w.toByteArray();
    }

    /** Decodes {@link #encodeSketch}; an empty or {@code null} array gives an empty sketch. */
    public static DDSketch decodeSketch(byte[] bytes) {
        return decodeLatencies(bytes).view();
    }

    static Latencies decodeLatencies(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return new Latencies();
        }
        Reader r = new Reader(bytes);
        byte version = r.readByte();
        if (version != SKETCH_V1) {
            throw new IllegalArgumentException(
                    "unsupported latency sketch encoding version " + version);
        }
        Latencies latencies = readSketchBody(r);
        r.expectEnd();
        return latencies;
    }

    private static Latencies readSketchBody(Reader r) {
        long zeroCount = r.readVarLong();
        long bins = r.readVarLong();
        if (bins == 0) {
            Latencies few = new Latencies();
            few.addZeros(zeroCount);
            return few;
        }
        // The dense store reallocates and copies its array whenever a bin falls outside it, so
        // adding bins in ascending order grew it step by step (5–15 KB of garbage per decode).
        // A first pass finds the outermost bins; adding those two first sizes the array once.
        int start = r.position();
        long index = 0;
        long lowest = Long.MAX_VALUE;
        long highest = Long.MIN_VALUE;
        long lowestAt = -1;
        long highestAt = -1;
        long lowestCount = 0;
        long highestCount = 0;
        long total = 0;
        for (long i = 0; i < bins; i++) {
            index += unZigZag(r.readVarLong());
            long count = r.readVarLong();
            total += count;
            if (index < lowest) {
                lowest = index;
                lowestAt = i;
                lowestCount = count;
            }
            if (index > highest) {
                highest = index;
                highestAt = i;
                highestCount = count;
            }
        }
        if (total <= Latencies.SMALL) {
            Latencies few = new Latencies();
            few.addZeros(zeroCount);
            r.position(start);
            index = 0;
            for (long i = 0; i < bins; i++) {
                index += unZigZag(r.readVarLong());
                few.addBin((int) index, r.readVarLong());
            }
            return few;
        }
        DDSketch sketch = LatencySketch.create();
        if (zeroCount > 0) {
            sketch.accept(0, zeroCount);
        }
        Store store = sketch.getPositiveValueStore();
        store.add((int) highest, highestCount);
        if (lowestAt != highestAt) {
            store.add((int) lowest, lowestCount);
        }
        r.position(start);
        index = 0;
        for (long i = 0; i < bins; i++) {
            index += unZigZag(r.readVarLong());
            long count = r.readVarLong();
            if (i != lowestAt && i != highestAt) {
                store.add((int) index, count);
            }
        }
        // DDSketch keeps its own total for the positive store; accept() maintained zeroCount, and
        // the store totals are read from the store itself, so nothing else to update.
        return new Latencies(sketch);
    }

    // ---- error breakdown

    /** Encodes an error breakdown. */
    public static byte[] encodeErrors(Map<ErrorKey, Long> errors) {
        Writer w = new Writer(8 + errors.size() * 12);
        w.writeByte(ERRORS_V1);
        writeErrorsBody(w, errors);
        return w.toByteArray();
    }

    private static void writeErrorsBody(Writer w, Map<ErrorKey, Long> errors) {
        TreeMap<ErrorKey, Long> sorted = new TreeMap<>(errors);
        w.writeVarLong(sorted.size());
        for (Map.Entry<ErrorKey, Long> e : sorted.entrySet()) {
            w.writeByte((byte) e.getKey().outcome().ordinal());
            w.writeString(e.getKey().errorCode());
            w.writeVarLong(e.getValue());
        }
    }

    /** Decodes {@link #encodeErrors}. */
    public static Map<ErrorKey, Long> decodeErrors(byte[] bytes) {
        Reader r = new Reader(bytes);
        byte version = r.readByte();
        if (version != ERRORS_V1) {
            throw new IllegalArgumentException("unsupported error map encoding version " + version);
        }
        Map<ErrorKey, Long> errors = readErrorsBody(r);
        r.expectEnd();
        return errors;
    }

    private static Map<ErrorKey, Long> readErrorsBody(Reader r) {
        long n = r.readVarLong();
        TreeMap<ErrorKey, Long> errors = new TreeMap<>();
        for (long i = 0; i < n; i++) {
            int ordinal = r.readByte();
            if (ordinal < 0 || ordinal >= OUTCOMES.length) {
                throw new IllegalArgumentException("bad outcome ordinal " + ordinal);
            }
            errors.put(new ErrorKey(OUTCOMES[ordinal], r.readString()), r.readVarLong());
        }
        return errors;
    }

    // ---- event breakdown

    /**
     * Encodes {@code bucket}'s event breakdown as stored in the tier tables' {@code event_counts}
     * column: the keys in their order ({@link EventKey#compareTo}), each with its five outcome
     * counters; {@code null} for an empty breakdown.
     */
    public static byte[] encodeEvents(MetricBucket bucket) {
        byte[] encoded = bucket.encodedEvents();
        if (encoded != null) {
            return encoded;
        }
        List<Map.Entry<EventKey, OutcomeCounts>> sorted = bucket.sortedEvents();
        if (sorted.isEmpty()) {
            return null;
        }
        Writer w = new Writer(8 + sorted.size() * 32);
        w.writeByte(EVENTS_V1);
        writeEventsBody(w, sorted);
        return w.toByteArray();
    }

    /**
     * Decodes {@link #encodeEvents}, the keys in their order; {@code null} is the empty breakdown.
     */
    public static Map<EventKey, OutcomeCounts> decodeEvents(byte[] bytes) {
        if (bytes == null) {
            return Map.of();
        }
        Reader r = new Reader(bytes);
        byte version = r.readByte();
        if (version != EVENTS_V1) {
            throw new IllegalArgumentException(
                    "unsupported event breakdown encoding version " + version);
        }
        Map<EventKey, OutcomeCounts> events = readEventsBody(r);
        r.expectEnd();
        return events;
    }

    /** Writes the entries, which must be sorted by key (deterministic bytes). */
    private static void writeEventsBody(Writer w, List<Map.Entry<EventKey, OutcomeCounts>> events) {
        w.writeVarLong(events.size());
        for (Map.Entry<EventKey, OutcomeCounts> e : events) {
            w.writeString(e.getKey().eventType());
            String name = e.getKey().eventName();
            w.writeByte((byte) (name == null ? 0 : 1));
            if (name != null) {
                w.writeString(name);
            }
            OutcomeCounts c = e.getValue();
            for (Outcome o : OUTCOMES) {
                w.writeVarLong(c.count(o));
            }
        }
    }

    /** The marker before an optional text: 1 when the text follows, 0 when it is absent. */
    private static boolean readPresent(Reader r) {
        byte marker = r.readByte();
        if (marker != 0 && marker != 1) {
            throw new IllegalArgumentException("bad optional text marker " + marker);
        }
        return marker == 1;
    }

    private static Map<EventKey, OutcomeCounts> readEventsBody(Reader r) {
        long n = r.readVarLong();
        // In the encoded order, which is key order; a hashed map is what a bucket keeps.
        Map<EventKey, OutcomeCounts> events = new LinkedHashMap<>();
        for (long i = 0; i < n; i++) {
            String type = r.readString();
            String name = readPresent(r) ? r.readString() : null;
            long[] c = new long[OUTCOMES.length];
            for (int o = 0; o < c.length; o++) {
                c[o] = r.readVarLong();
            }
            events.put(
                    new EventKey(type, name),
                    OutcomeCounts.of(
                            c[Outcome.DELIVERED.ordinal()],
                            c[Outcome.RETRYING.ordinal()],
                            c[Outcome.DISCARDED.ordinal()],
                            c[Outcome.EXPIRED.ordinal()],
                            c[Outcome.FILTERED.ordinal()]));
        }
        return events;
    }

    // ---- error samples

    /**
     * Encodes the samples of one error key as stored in the error rows' {@code samples} column:
     * version byte 1, the count, then each sample (smallest hash first) with its hash, event id,
     * attempt, own error code, completion time, event type, event name and error message (text as
     * UTF-8 bytes); {@code null} for no samples.
     */
    public static byte[] encodeSamples(ErrorSamples samples) {
        if (samples == null || samples.isEmpty()) {
            return null;
        }
        Writer w = new Writer(16 + samples.size() * 96);
        w.writeByte(SAMPLES_V1);
        writeSampleList(w, samples);
        return w.toByteArray();
    }

    /** Decodes {@link #encodeSamples} of the error row {@code key}; {@code null} is no samples. */
    public static List<ErrorSample> decodeSamples(ErrorKey key, byte[] bytes) {
        if (bytes == null) {
            return List.of();
        }
        Reader r = new Reader(bytes);
        byte version = r.readByte();
        if (version != SAMPLES_V1) {
            throw new IllegalArgumentException(
                    "unsupported error samples encoding version " + version);
        }
        List<ErrorSample> samples = readSampleList(r, key);
        r.expectEnd();
        return samples;
    }

    /**
     * The {@code samples} column of each error row of {@code bucket} that has samples ({@link
     * #encodeSamples} of its samples), by error key. From a bucket whose samples are still encoded
     * (one decoded by {@link #decode} and not changed since) each column is a copy of its part of
     * that encoding: nothing is decoded.
     */
    public static Map<ErrorKey, byte[]> sampleColumns(MetricBucket bucket) {
        Map<ErrorKey, byte[]> columns = new TreeMap<>();
        byte[] encoded = bucket.encodedSamples();
        if (encoded == null) {
            for (Map.Entry<ErrorKey, ErrorSamples> e : bucket.samples().entrySet()) {
                byte[] column = encodeSamples(e.getValue());
                if (column != null) {
                    columns.put(e.getKey(), column);
                }
            }
            return columns;
        }
        Reader r = new Reader(encoded);
        long n = r.readVarLong();
        for (long i = 0; i < n; i++) {
            ErrorKey key = readErrorKey(r);
            int start = r.position();
            long count = skipSampleList(r);
            if (count > 0) {
                columns.put(key, versioned(SAMPLES_V1, encoded, start, r.position()));
            }
        }
        r.expectEnd();
        return columns;
    }

    /** Decodes the samples part of {@link #encode} (what {@link #decode} keeps encoded). */
    static Map<ErrorKey, List<ErrorSample>> decodeSamplesBody(byte[] body) {
        Reader r = new Reader(body);
        Map<ErrorKey, List<ErrorSample>> samples = readSamplesBody(r);
        r.expectEnd();
        return samples;
    }

    private static void writeSamplesBody(Writer w, Map<ErrorKey, ErrorSamples> samples) {
        w.writeVarLong(samples.size());
        for (Map.Entry<ErrorKey, ErrorSamples> e : samples.entrySet()) {
            w.writeByte((byte) e.getKey().outcome().ordinal());
            w.writeString(e.getKey().errorCode());
            writeSampleList(w, e.getValue());
        }
    }

    private static void writeSampleList(Writer w, ErrorSamples samples) {
        w.writeVarLong(samples.size());
        for (ErrorSample x : samples.samples()) {
            w.writeLong(x.hash());
            w.writeString(x.eventId());
            w.writeVarLong(x.attempt());
            w.writeString(x.errorCode());
            w.writeVarLong(zigZag(x.completedAt().getEpochSecond()));
            w.writeVarLong(x.completedAt().getNano());
            w.writeString(x.eventType());
            writeOptional(w, x.eventName());
            writeOptional(w, x.errorMessage());
        }
    }

    private static void writeOptional(Writer w, String text) {
        w.writeByte((byte) (text == null ? 0 : 1));
        if (text != null) {
            w.writeString(text);
        }
    }

    private static String readOptional(Reader r) {
        return readPresent(r) ? r.readString() : null;
    }

    private static Map<ErrorKey, List<ErrorSample>> readSamplesBody(Reader r) {
        long n = r.readVarLong();
        TreeMap<ErrorKey, List<ErrorSample>> samples = new TreeMap<>();
        for (long i = 0; i < n; i++) {
            ErrorKey key = readErrorKey(r);
            samples.put(key, readSampleList(r, key));
        }
        return samples;
    }

    private static ErrorKey readErrorKey(Reader r) {
        return new ErrorKey(readOutcome(r), r.readString());
    }

    private static Outcome readOutcome(Reader r) {
        int ordinal = r.readByte();
        if (ordinal < 0 || ordinal >= OUTCOMES.length) {
            throw new IllegalArgumentException("bad outcome ordinal " + ordinal);
        }
        return OUTCOMES[ordinal];
    }

    /**
     * Steps over the samples part of {@link #encode}, checking its structure as {@link
     * #readSamplesBody} does without building its strings; returns whether it holds any key.
     */
    private static boolean skipSamplesBody(Reader r) {
        long n = r.readVarLong();
        for (long i = 0; i < n; i++) {
            readOutcome(r);
            r.skipString();
            skipSampleList(r);
        }
        return n > 0;
    }

    /** As {@link #readSampleList}, without building anything; returns the count. */
    private static long skipSampleList(Reader r) {
        long count = r.readVarLong();
        if (count > ErrorSamples.MAX_SAMPLES) {
            throw new IllegalArgumentException("more than the kept samples: " + count);
        }
        for (long j = 0; j < count; j++) {
            r.readLong();
            r.skipString();
            if (r.readVarLong() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("attempt out of range");
            }
            r.skipString();
            r.readVarLong();
            if (r.readVarLong() >= 1_000_000_000L) {
                throw new IllegalArgumentException("nanos out of range");
            }
            r.skipString();
            skipOptional(r);
            skipOptional(r);
        }
        return count;
    }

    private static void skipOptional(Reader r) {
        if (readPresent(r)) {
            r.skipString();
        }
    }

    /**
     * Steps over an event breakdown body, checking its structure as {@link #readEventsBody} does
     * without building its strings; returns whether it holds any key.
     */
    private static boolean skipEventsBody(Reader r) {
        long n = r.readVarLong();
        for (long i = 0; i < n; i++) {
            r.skipString();
            skipOptional(r);
            for (int o = 0; o < OUTCOMES.length; o++) {
                r.readVarLong();
            }
        }
        return n > 0;
    }

    private static List<ErrorSample> readSampleList(Reader r, ErrorKey key) {
        long count = r.readVarLong();
        if (count > ErrorSamples.MAX_SAMPLES) {
            throw new IllegalArgumentException("more than the kept samples: " + count);
        }
        List<ErrorSample> list = new ArrayList<>((int) count);
        for (long j = 0; j < count; j++) {
            long hash = r.readLong();
            String eventId = r.readString();
            long attempt = r.readVarLong();
            if (attempt > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("attempt out of range " + attempt);
            }
            String code = r.readString();
            long seconds = unZigZag(r.readVarLong());
            long nanos = r.readVarLong();
            if (nanos >= 1_000_000_000L) {
                throw new IllegalArgumentException("nanos out of range " + nanos);
            }
            String type = r.readString();
            String name = readOptional(r);
            String message = readOptional(r);
            list.add(
                    new ErrorSample(
                            hash,
                            eventId,
                            (int) attempt,
                            key.outcome(),
                            code,
                            Instant.ofEpochSecond(seconds, nanos),
                            type,
                            name,
                            message));
        }
        return list;
    }

    // ---- whole bucket

    /**
     * Encodes a whole bucket (used for checkpointed state and transport) in the newest version,
     * {@link #BUCKET_V3}.
     */
    public static byte[] encode(MetricBucket b) {
        Writer w = new Writer(64);
        w.writeByte(BUCKET_V3);
        w.writeVarLong(b.successes());
        w.writeVarLong(b.retried());
        w.writeVarLong(b.discarded());
        w.writeVarLong(b.expired());
        w.writeVarLong(b.filtered());
        for (long c : b.successesByAttempt()) {
            w.writeVarLong(c);
        }
        w.writeVarLong(b.latencyCount());
        w.writeVarLong(b.latencySumMs());
        w.writeVarLong(b.latencyMaxMs());
        writeSketchBody(w, b.latencies());
        writeErrorsBody(w, b.errors());
        byte[] events = b.encodedEvents();
        if (events != null) {
            w.writeBytes(events, 1, events.length - 1);
        } else {
            writeEventsBody(w, b.sortedEvents());
        }
        byte[] samples = b.encodedSamples();
        if (samples != null) {
            w.writeBytes(samples, 0, samples.length);
        } else {
            writeSamplesBody(w, b.samples());
        }
        return w.toByteArray();
    }

    /**
     * Decodes {@link #encode}, and the older {@link #BUCKET_V1} (checkpoints and savepoints taken
     * before the event breakdown existed) as a bucket with an empty breakdown and {@link
     * #BUCKET_V2} (before error samples existed) as a bucket without samples.
     */
    public static MetricBucket decode(byte[] bytes) {
        Reader r = new Reader(bytes);
        byte version = r.readByte();
        if (version != BUCKET_V1 && version != BUCKET_V2 && version != BUCKET_V3) {
            throw new IllegalArgumentException("unsupported bucket encoding version " + version);
        }
        long successes = r.readVarLong();
        long retried = r.readVarLong();
        long discarded = r.readVarLong();
        long expired = r.readVarLong();
        long filtered = r.readVarLong();
        long[] byAttempt = new long[MetricBucket.MAX_TRACKED_ATTEMPT];
        for (int i = 0; i < byAttempt.length; i++) {
            byAttempt[i] = r.readVarLong();
        }
        long latencyCount = r.readVarLong();
        long latencySum = r.readVarLong();
        long latencyMax = r.readVarLong();
        Latencies sketch = readSketchBody(r);
        Map<ErrorKey, Long> errors = readErrorsBody(r);
        // The breakdown and the samples stay encoded in the bucket until they are needed
        // (MetricBucket.encodedEvents): kept as the events column and the samples part.
        byte[] events = null;
        if (version != BUCKET_V1) {
            int start = r.position();
            if (skipEventsBody(r)) {
                events = versioned(EVENTS_V1, bytes, start, r.position());
            }
        }
        byte[] samples = null;
        if (version == BUCKET_V3) {
            int start = r.position();
            if (skipSamplesBody(r)) {
                samples = Arrays.copyOfRange(bytes, start, r.position());
            }
        }
        r.expectEnd();
        MetricBucket b =
                MetricBucket.restore(
                        successes,
                        retried,
                        discarded,
                        expired,
                        filtered,
                        byAttempt,
                        latencyCount,
                        latencySum,
                        latencyMax,
                        sketch,
                        errors);
        return b.restoreEncoded(events, samples);
    }

    /**
     * The {@link #BUCKET_V1} encoding of the bucket {@code encoded} holds, without its event
     * breakdown and error samples: its counters, latency and error counts, copied as they are
     * encoded (they lead every version). For holders of a bucket that need only those, such as
     * running totals: it decodes without building the breakdown's and the samples' strings, and
     * keeps a fraction of the bytes.
     */
    public static byte[] withoutEventsAndSamples(byte[] encoded) {
        Reader r = new Reader(encoded);
        byte version = r.readByte();
        if (version != BUCKET_V1 && version != BUCKET_V2 && version != BUCKET_V3) {
            throw new IllegalArgumentException("unsupported bucket encoding version " + version);
        }
        // Five counters, the attempt histogram, the three latency totals.
        for (int i = 0; i < 5 + MetricBucket.MAX_TRACKED_ATTEMPT + 3; i++) {
            r.readVarLong();
        }
        readSketchBody(r);
        readErrorsBody(r);
        byte[] prefix = Arrays.copyOf(encoded, r.position());
        prefix[0] = BUCKET_V1;
        return prefix;
    }

    // ---- primitives

    /** {@code version} followed by {@code bytes[from, to)}: a part of an encoding as a column. */
    private static byte[] versioned(byte version, byte[] bytes, int from, int to) {
        byte[] out = new byte[1 + to - from];
        out[0] = version;
        System.arraycopy(bytes, from, out, 1, to - from);
        return out;
    }

    private static long exactCount(double count) {
        long l = (long) count;
        if (l != count || l < 0) {
            throw new IllegalStateException("sketch count is not a non-negative integer: " + count);
        }
        return l;
    }

    private static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unZigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /**
     * Growable byte buffer with varint helpers (not a ByteArrayOutputStream, whose synchronized
     * write of every byte was most of the encoding's cost).
     */
    private static final class Writer {
        private byte[] buf;
        private int size;

        Writer(int capacity) {
            buf = new byte[Math.max(capacity, 16)];
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        void writeByte(byte b) {
            ensure(1);
            buf[size++] = b;
        }

        void writeVarLong(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("negative value in unsigned varint: " + v);
            }
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void writeLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
        }

        void writeString(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeVarLong(b.length);
            writeBytes(b, 0, b.length);
        }

        void writeBytes(byte[] b, int from, int length) {
            ensure(length);
            System.arraycopy(b, from, buf, size, length);
            size += length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** Bounds-checked reader for the encodings above. */
    private static final class Reader {
        private final ByteBuffer in;

        Reader(byte[] bytes) {
            in = ByteBuffer.wrap(bytes);
        }

        byte readByte() {
            try {
                return in.get();
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("truncated encoding", e);
            }
        }

        long readVarLong() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = readByte();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes");
        }

        long readLong() {
            try {
                return in.getLong();
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("truncated encoding", e);
            }
        }

        String readString() {
            // Decoded from the wrapped array in place (no copy of the bytes first).
            int at = skipString();
            return new String(in.array(), at, in.position() - at, StandardCharsets.UTF_8);
        }

        /** Steps over a string; returns the position after its length, where its bytes start. */
        int skipString() {
            long len = readVarLong();
            if (len > in.remaining()) {
                throw new IllegalArgumentException("string length " + len + " beyond the encoding");
            }
            int at = in.position();
            in.position(at + (int) len);
            return at;
        }

        int position() {
            return in.position();
        }

        void position(int position) {
            in.position(position);
        }

        void expectEnd() {
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " unexpected trailing bytes");
            }
        }
    }
}
