package io.deliverymetrics.loadgen.truth;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * A failed attempt as an error sample: the pipeline keeps, per error row, the ten attempts with the
 * smallest {@link #hash(String, int) sample hash} (compared as unsigned numbers).
 *
 * @param hash the sample hash of (event id, attempt)
 * @param eventId the event id
 * @param attempt the attempt number
 * @param errorMessage the record's error message as generated (before any truncation), or null
 */
public record SampledAttempt(long hash, String eventId, int attempt, String errorMessage)
        implements Comparable<SampledAttempt> {

    private static final Comparator<SampledAttempt> ORDER =
            Comparator.<SampledAttempt, Long>comparing(SampledAttempt::hash, Long::compareUnsigned)
                    .thenComparing(SampledAttempt::eventId)
                    .thenComparingInt(SampledAttempt::attempt);

    /**
     * The sample hash as the record contract defines it: 64-bit FNV-1a over the event id's UTF-8
     * bytes followed by the attempt number's four bytes (big-endian), then the SplitMix64
     * finaliser. Written here from the definition, not shared with the pipeline.
     */
    public static long hash(String eventId, int attempt) {
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[id.length + 4];
        System.arraycopy(id, 0, all, 0, id.length);
        all[id.length] = (byte) (attempt >>> 24);
        all[id.length + 1] = (byte) (attempt >>> 16);
        all[id.length + 2] = (byte) (attempt >>> 8);
        all[id.length + 3] = (byte) attempt;
        long h = 0xcbf29ce484222325L;
        for (byte b : all) {
            h = (h ^ Byte.toUnsignedLong(b)) * 0x100000001b3L;
        }
        long z = h;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** By hash as an unsigned number, then event id and attempt. */
    @Override
    public int compareTo(SampledAttempt o) {
        return ORDER.compare(this, o);
    }
}
