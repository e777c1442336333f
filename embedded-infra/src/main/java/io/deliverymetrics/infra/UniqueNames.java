package io.deliverymetrics.infra;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Produces topic and database names that no other test in the JVM (or a rerun) has used. */
public final class UniqueNames {

    private static final int MAX_DATABASE_NAME = 64;
    private static final int SUFFIX_LENGTH = 6;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final AtomicLong counter = new AtomicLong();

    /** Creates a generator with its own counter; the extension shares one per test JVM. */
    public UniqueNames() {}

    /** A topic name such as {@code attempts-3-k2x9qa}. */
    public String topic(String prefix) {
        return sanitize(prefix, '-') + "-" + counter.incrementAndGet() + "-" + randomSuffix();
    }

    /**
     * A database name such as {@code shard_4_p0c7zm}: lowercase letters, digits and underscores, at
     * most 64 characters, as {@link EmbeddedMariaDb#createDatabase(String)} requires.
     */
    public String database(String prefix) {
        String tail = "_" + counter.incrementAndGet() + "_" + randomSuffix();
        String head = sanitize(prefix, '_');
        return head.substring(0, Math.min(head.length(), MAX_DATABASE_NAME - tail.length())) + tail;
    }

    private static String sanitize(String prefix, char replacement) {
        String lower = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        for (char c : lower.toCharArray()) {
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            out.append(allowed ? c : replacement);
        }
        return out.length() == 0 ? "t" : out.toString();
    }

    private static String randomSuffix() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] suffix = new char[SUFFIX_LENGTH];
        for (int i = 0; i < suffix.length; i++) {
            suffix[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(suffix);
    }
}
