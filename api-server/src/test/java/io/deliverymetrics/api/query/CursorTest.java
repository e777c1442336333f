package io.deliverymetrics.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.model.GroupBy;
import io.deliverymetrics.api.model.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTest {

    @Test
    void shouldRoundTripTheLastKeyOfEachGrouping() {
        SeriesKey pair = new SeriesKey("src.a:1", "dst-b_2");
        SeriesKey source = new SeriesKey("src", null);
        SeriesKey destination = new SeriesKey(null, "dst");

        assertThat(Cursor.decode(GroupBy.PAIR, Cursor.encode(GroupBy.PAIR, pair))).contains(pair);
        assertThat(Cursor.decode(GroupBy.SOURCE, Cursor.encode(GroupBy.SOURCE, source)))
                .contains(source);
        assertThat(
                        Cursor.decode(
                                GroupBy.DESTINATION,
                                Cursor.encode(GroupBy.DESTINATION, destination)))
                .contains(destination);
    }

    @Test
    void shouldRejectTamperedOrForeignCursors() {
        String forged =
                Base64.getUrlEncoder()
                        .encodeToString(
                                "c1\npair\nsrc' OR 1=1\ndst".getBytes(StandardCharsets.US_ASCII));

        assertThat(Cursor.decode(GroupBy.PAIR, forged)).isEmpty();
        assertThat(Cursor.decode(GroupBy.PAIR, "!!!")).isEmpty();
        assertThat(Cursor.decode(GroupBy.PAIR, "")).isEmpty();
        assertThat(
                        Cursor.decode(
                                GroupBy.SOURCE,
                                Cursor.encode(GroupBy.PAIR, new SeriesKey("s", "d"))))
                .isEmpty();
    }

    @Test
    void shouldRoundTripEventNamesByteExactWhateverTheyHold() {
        String fourByte = "\uD83D\uDE80"; // U+1F680, 4 bytes of UTF-8
        List<String> names =
                List.of(
                        "Order \"Completed\"",
                        "back\\slash\\",
                        "line\nbreak\nc1\nevent_name",
                        "=-",
                        "-",
                        " ",
                        "caf\u00e9 \u65e5\u672c " + fourByte,
                        fourByte.repeat(128),
                        "\u0000\u0001\u007f");
        for (String name : names) {
            SeriesKey key = SeriesKey.ofEvent("track", name);
            String cursor = Cursor.encode(GroupBy.EVENT_NAME, key);
            assertThat(cursor)
                    .matches("[A-Za-z0-9_-]+")
                    .hasSizeLessThanOrEqualTo(Cursor.MAX_LENGTH);
            assertThat(Cursor.decode(GroupBy.EVENT_NAME, cursor)).as(name).contains(key);
        }
        SeriesKey noName = SeriesKey.ofEvent("track", null);
        assertThat(Cursor.decode(GroupBy.EVENT_NAME, Cursor.encode(GroupBy.EVENT_NAME, noName)))
                .contains(noName);
        SeriesKey other = SeriesKey.ofEvent("*", null);
        assertThat(Cursor.decode(GroupBy.EVENT_TYPE, Cursor.encode(GroupBy.EVENT_TYPE, other)))
                .contains(other);
    }

    @Test
    void shouldRejectEventCursorsOfAnotherGroupingOrNotUtf8() {
        String byName = Cursor.encode(GroupBy.EVENT_NAME, SeriesKey.ofEvent("track", "x"));
        String byType = Cursor.encode(GroupBy.EVENT_TYPE, SeriesKey.ofEvent("track", null));

        assertThat(Cursor.decode(GroupBy.EVENT_TYPE, byName)).isEmpty();
        assertThat(Cursor.decode(GroupBy.EVENT_NAME, byType)).isEmpty();
        assertThat(Cursor.decode(GroupBy.PAIR, byName)).isEmpty();
        byte[] bad = {
            'c',
            '2',
            '\n',
            'e',
            'v',
            'e',
            'n',
            't',
            '_',
            'n',
            'a',
            'm',
            'e',
            '\n',
            't',
            '\n',
            '=',
            (byte) 0xC3,
            (byte) 0x28
        };
        assertThat(
                        Cursor.decode(
                                GroupBy.EVENT_NAME,
                                Base64.getUrlEncoder().withoutPadding().encodeToString(bad)))
                .isEmpty();
        String tooLong =
                Cursor.encode(GroupBy.EVENT_NAME, SeriesKey.ofEvent("track", "x".repeat(129)));
        assertThat(Cursor.decode(GroupBy.EVENT_NAME, tooLong)).isEmpty();
    }
}
