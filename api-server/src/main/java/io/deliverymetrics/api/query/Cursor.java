package io.deliverymetrics.api.query;

import io.deliverymetrics.api.model.GroupBy;
import io.deliverymetrics.api.model.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque pagination cursors: the key of the last series of a page, base64url-encoded, tagged with
 * the grouping it belongs to so that a cursor cannot be replayed against another grouping.
 */
public final class Cursor {

    private static final String VERSION = "c1";
    // Newline cannot occur in an id, so it separates the parts unambiguously.
    private static final String SEPARATOR = "\n";
    private static final int MAX_LENGTH = 400;

    private Cursor() {}

    public static String encode(GroupBy groupBy, SeriesKey last) {
        String raw =
                String.join(
                        SEPARATOR,
                        VERSION,
                        groupBy.wireName(),
                        nullToEmpty(last.sourceId()),
                        nullToEmpty(last.destinationId()));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** Decodes a cursor of {@code groupBy}; empty when it is malformed or of another grouping. */
    public static Optional<SeriesKey> decode(GroupBy groupBy, String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String[] parts = raw.split(SEPARATOR, -1);
        if (parts.length != 4
                || !VERSION.equals(parts[0])
                || !groupBy.wireName().equals(parts[1])) {
            return Optional.empty();
        }
        String src = emptyToNull(parts[2]);
        String dst = emptyToNull(parts[3]);
        boolean wantSource = groupBy == GroupBy.PAIR || groupBy == GroupBy.SOURCE;
        boolean wantDestination = groupBy == GroupBy.PAIR || groupBy == GroupBy.DESTINATION;
        if (wantSource != (src != null) || wantDestination != (dst != null)) {
            return Optional.empty();
        }
        if ((src != null && !Ids.isValid(src)) || (dst != null && !Ids.isValid(dst))) {
            return Optional.empty();
        }
        return Optional.of(new SeriesKey(src, dst));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
