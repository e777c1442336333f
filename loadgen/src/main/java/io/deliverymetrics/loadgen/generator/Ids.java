package io.deliverymetrics.loadgen.generator;

/** Event ids that are unique within a run and look like the ones real delivery systems use. */
final class Ids {

    /** Set on the index of ids that belong to malformed records, so they never collide. */
    static final long MALFORMED_BIT = 1L << 62;

    /** Set on the index of the extra events of workspace surges, so they never collide. */
    static final long SURGE_BIT = 1L << 61;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {}

    /**
     * The event id of the {@code index}-th event of a run seeded with {@code seed}.
     *
     * <p>XOR with a constant and the MurmurHash3 finaliser are both bijections, so distinct indexes
     * give distinct ids.
     */
    static String eventId(long seed, long index) {
        long x = fmix64(index ^ fmix64(seed ^ 0x9E3779B97F4A7C15L));
        char[] out = new char[20];
        out[0] = 'm';
        out[1] = 's';
        out[2] = 'g';
        out[3] = '_';
        for (int i = 0; i < 16; i++) {
            out[4 + i] = HEX[(int) (x >>> (60 - 4 * i)) & 0xF];
        }
        return new String(out);
    }

    /**
     * A well-mixed seed for the stream of item {@code index} of a run whose seed is {@code seed}.
     */
    static long mix(long seed, long index) {
        return fmix64(fmix64(seed) ^ fmix64(index + 0x632BE59BD9B4E019L));
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
