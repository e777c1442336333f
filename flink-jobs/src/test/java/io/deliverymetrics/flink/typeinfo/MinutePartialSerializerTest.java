package io.deliverymetrics.flink.typeinfo;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.flink.model.MinutePartial;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class MinutePartialSerializerTest {

    private static final MinutePartialSerializer SERIALIZER = MinutePartialSerializer.INSTANCE;

    @Test
    void shouldRoundTripALoneAttemptToTheNanosecondWithAndWithoutAnErrorCode() throws Exception {
        for (String code : new String[] {null, "http_429"}) {
            DeliveryAttempt a =
                    new DeliveryAttempt(
                            "ws_é",
                            "src",
                            "dst",
                            "evt_1",
                            3,
                            code == null ? Outcome.DELIVERED : Outcome.RETRYING,
                            code,
                            Instant.parse("2026-11-26T04:00:00.123456789Z"),
                            Instant.parse("2026-11-26T04:00:01.000000001Z"));
            MinutePartial back = roundTrip(MinutePartial.of(a));

            assertThat(back.single()).isEqualTo(a);
            assertThat(back.bucket()).isNull();
            assertThat(back.minuteStartMs())
                    .isEqualTo(Instant.parse("2026-11-26T04:00:00Z").toEpochMilli());
        }
    }

    @Test
    void shouldRoundTripTheOptionalFieldsByteExact() throws Exception {
        String[][] texts = {
            {null, null},
            {"Order Completed", "{\"error\":\"Missing required property \\\"revenue\\\"\"}"},
            {"Cart 🛒 Updated", "línea 1\nlínea 2 \\ \"quoted\" 😀"},
        };
        for (String[] t : texts) {
            DeliveryAttempt a =
                    new DeliveryAttempt(
                            "ws_a",
                            "src",
                            "dst_braze",
                            "evt_1",
                            1,
                            Outcome.DISCARDED,
                            "http_400",
                            Instant.parse("2026-11-26T04:00:00Z"),
                            Instant.parse("2026-11-26T04:00:01Z"),
                            "braze",
                            "track",
                            t[0],
                            t[1]);

            DeliveryAttempt back = roundTrip(MinutePartial.of(a)).single();

            assertThat(back).isEqualTo(a);
            if (t[1] != null) {
                assertThat(back.errorMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(t[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void shouldRoundTripAMergedBucket() throws Exception {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < 50; i++) {
            Instant t = Instant.parse("2026-11-26T04:00:10Z").plusMillis(i);
            b.add(
                    new DeliveryAttempt(
                            "ws",
                            "src",
                            "dst",
                            "e" + i,
                            1 + i % 4,
                            i % 5 == 0 ? Outcome.DISCARDED : Outcome.DELIVERED,
                            i % 5 == 0 ? "http_4" + i : null,
                            t.minusMillis(10L * i),
                            t));
        }
        MinutePartial p =
                new MinutePartial(
                        new PairKey("ws", "src", "dst"),
                        Instant.parse("2026-11-26T04:00:00Z").toEpochMilli(),
                        b,
                        null,
                        "google-ads");

        MinutePartial back = roundTrip(p);

        assertThat(back.bucket()).isEqualTo(b);
        assertThat(back.pair()).isEqualTo(p.pair());
        assertThat(back.attempts()).isEqualTo(50);
        assertThat(back.destinationType()).isEqualTo("google-ads");
    }

    @Test
    void shouldRoundTripTheErrorSamplesOfAMergedBucketByteExact() throws Exception {
        MetricBucket b = new MetricBucket();
        String[] messages = {"quote \" back\\slash", "cart \uD83D\uDED2", "it's ", null};
        for (int i = 0; i < 40; i++) {
            Instant t = Instant.parse("2026-11-26T04:00:10.123456789Z").plusMillis(i);
            b.add(
                    new DeliveryAttempt(
                            "ws",
                            "src",
                            "dst",
                            "e" + i,
                            1 + i % 3,
                            i % 2 == 0 ? Outcome.RETRYING : Outcome.EXPIRED,
                            i % 3 == 0 ? null : "http_50" + (i % 3),
                            t.minusMillis(5),
                            t,
                            "google-ads",
                            "track",
                            i % 4 == 0 ? null : "Order \"Completed\" \uD83D\uDE00",
                            messages[i % messages.length]));
        }
        assertThat(b.samples()).isNotEmpty();
        MinutePartial p =
                new MinutePartial(
                        new PairKey("ws", "src", "dst"),
                        Instant.parse("2026-11-26T04:00:00Z").toEpochMilli(),
                        b,
                        null,
                        "google-ads");

        MinutePartial back = roundTrip(p);

        assertThat(back.bucket()).isEqualTo(b);
        assertThat(back.bucket().samples()).isEqualTo(b.samples());
    }

    @Test
    void shouldCopySerializedBytesUnchanged() throws Exception {
        MinutePartial p =
                MinutePartial.of(
                        new DeliveryAttempt(
                                "ws",
                                "src",
                                "dst",
                                "e",
                                1,
                                Outcome.EXPIRED,
                                "timeout",
                                Instant.parse("2026-11-26T04:00:00Z"),
                                Instant.parse("2026-11-26T04:00:02Z")));
        DataOutputSerializer first = new DataOutputSerializer(64);
        SERIALIZER.serialize(p, first);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        SERIALIZER.copy(new DataInputDeserializer(first.getCopyOfBuffer()), copied);

        assertThat(copied.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
    }

    private static MinutePartial roundTrip(MinutePartial p) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(p, out);
        return SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
