package io.deliverymetrics.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.model.GroupBy;
import io.deliverymetrics.api.model.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
}
