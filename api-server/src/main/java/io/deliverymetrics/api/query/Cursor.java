package io.deliverymetrics.api.query;

import io.deliverymetrics.api.model.GroupBy;
import io.deliverymetrics.api.model.SeriesKey;
import io.deliverymetrics.core.parse.AttemptParser;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque pagination cursors: the key of the last series of a page, base64url-encoded, tagged with
 * the grouping it belongs to so that a cursor cannot be replayed against another grouping.
 *
 * <p>Pair groupings hold ids (ASCII without newlines). Event groupings hold an event type and an
 * event name, which is free text (any Unicode, newlines included): its UTF-8 bytes are the last
 * part, after a marker saying whether there is a name at all, so it comes back byte-exact.
 */
public final class Cursor {

    private static final String VERSION = "c1";
    // Newline cannot occur in an id, so it separates the parts unambiguously.
    private static final String SEPARATOR = "\n";
    private static final String EVENT_VERSION = "c2";
    private static final String NO_NAME = "-";
    private static final String NAME = "=";

    /**
     * Longest cursor accepted: an event cursor of a 128-code-point name of 4-byte characters is
     * about 720 characters.
     */
    public static final int MAX_LENGTH = 1024;

    private static final int MAX_EVENT_TYPE_LENGTH = 128;
    private static final int MAX_EVENT_NAME_CODE_POINTS = AttemptParser.MAX_EVENT_NAME_CODE_POINTS;

    private Cursor() {}

    public static String encode(GroupBy groupBy, SeriesKey last) {
        if (groupBy.byEvent()) {
            String raw =
                    String.join(
                            SEPARATOR,
                            EVENT_VERSION,
                            groupBy.wireName(),
                            last.eventType(),
                            last.eventName() == null ? NO_NAME : NAME + last.eventName());
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }
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
        if (groupBy.byEvent()) {
            return decodeEvent(groupBy, cursor);
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

    private static Optional<SeriesKey> decodeEvent(GroupBy groupBy, String cursor) {
        String raw;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(cursor);
            raw =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
        // The name is last and may itself hold the separator.
        String[] parts = raw.split(SEPARATOR, 4);
        if (parts.length != 4
                || !EVENT_VERSION.equals(parts[0])
                || !groupBy.wireName().equals(parts[1])
                || parts[2].isEmpty()
                || parts[2].length() > MAX_EVENT_TYPE_LENGTH) {
            return Optional.empty();
        }
        String name;
        if (parts[3].equals(NO_NAME)) {
            name = null;
        } else if (parts[3].startsWith(NAME) && groupBy == GroupBy.EVENT_NAME) {
            name = parts[3].substring(NAME.length());
            int codePoints = name.codePointCount(0, name.length());
            if (codePoints < 1 || codePoints > MAX_EVENT_NAME_CODE_POINTS) {
                return Optional.empty();
            }
        } else {
            return Optional.empty();
        }
        return Optional.of(SeriesKey.ofEvent(parts[2], name));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
