package io.deliverymetrics.loadgen.generator;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Formats epoch milliseconds as {@code 2026-11-26T04:00:00.120Z} (always three fraction digits),
 * caching the per-second prefix because consecutive records share it. Not thread-safe.
 */
final class IsoTimestamps {

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final int CACHE_SIZE = 64;

    private final long[] cachedSeconds = new long[CACHE_SIZE];
    private final String[] cachedPrefixes = new String[CACHE_SIZE];
    private final StringBuilder sb = new StringBuilder(24);

    String format(long epochMs) {
        long second = Math.floorDiv(epochMs, 1000L);
        int millis = (int) Math.floorMod(epochMs, 1000L);
        int slot = (int) (second & (CACHE_SIZE - 1));
        String prefix = cachedPrefixes[slot];
        if (prefix == null || cachedSeconds[slot] != second) {
            prefix = SECONDS.format(LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC));
            cachedPrefixes[slot] = prefix;
            cachedSeconds[slot] = second;
        }
        sb.setLength(0);
        sb.append(prefix).append('.');
        if (millis < 100) {
            sb.append('0');
        }
        if (millis < 10) {
            sb.append('0');
        }
        return sb.append(millis).append('Z').toString();
    }
}
