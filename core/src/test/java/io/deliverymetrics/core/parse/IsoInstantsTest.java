package io.deliverymetrics.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {

    @Property(tries = 3000)
    void shouldAgreeWithTheJdkParserOnEveryUtcInstant(
            @ForAll("instants") Instant t, @ForAll("fractionDigits") int digits) {
        String s = format(t, digits);
        assertThat(IsoInstants.parseUtcFast(s)).isEqualTo(jdk(s)).isNotNull();
    }

    @Property(tries = 3000)
    void shouldNeverAcceptWhatTheJdkParserRejectsNorDisagree(@ForAll("nearlyTimestamps") String s) {
        Instant fast = IsoInstants.parseUtcFast(s);
        if (fast != null) {
            assertThat(fast).isEqualTo(jdk(s));
        }
        assertThat(IsoInstants.parse(s)).isEqualTo(jdk(s));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-02-29T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-11-26T24:00:00Z",
                "2026-11-26T23:60:00Z",
                "2026-11-26T23:59:60Z",
                "2026-11-26T23:59:59.1234567891Z",
                "2026-11-26 23:59:59Z",
                "2026-11-26T23:59:59",
                "+2026-11-26T23:59:59Z"
            })
    void shouldRejectInvalidValuesLikeTheJdkParser(String s) {
        assertThat(IsoInstants.parse(s)).isNull();
        assertThat(jdk(s)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-26T05:00:01.456+01:00",
                "2026-11-26t04:00:01.456z",
                "2024-02-29T04:00:01Z"
            })
    void shouldAcceptOtherValidFormsThroughTheGeneralParser(String s) {
        assertThat(IsoInstants.parse(s)).isEqualTo(jdk(s)).isNotNull();
    }

    @Test
    void shouldComputeTheEpochDayOfEveryFourDigitDateAsLocalDateAndRefuseTheOthersLikeIt() {
        int checked = 0;
        for (int year = 0; year <= 9999; year++) {
            for (int month = 0; month <= 13; month++) {
                for (int day = 0; day <= 32; day++) {
                    long expected;
                    try {
                        expected = LocalDate.of(year, month, day).toEpochDay();
                    } catch (DateTimeException e) {
                        expected = IsoInstants.INVALID_DATE;
                    }
                    assertThat(IsoInstants.epochDay(year, month, day))
                            .as("%04d-%02d-%02d", year, month, day)
                            .isEqualTo(expected);
                    checked += expected == IsoInstants.INVALID_DATE ? 0 : 1;
                }
            }
        }
        // Every real date of years 0-9999: 10,000 years of 365 days plus 2,425 leap days.
        assertThat(checked).isEqualTo(10_000 * 365 + 2_425);
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs()
                .between(
                        Instant.parse("1970-01-01T00:00:00Z").getEpochSecond(),
                        Instant.parse("2999-12-31T23:59:59Z").getEpochSecond())
                .flatMap(
                        sec ->
                                Arbitraries.integers()
                                        .between(0, 999_999_999)
                                        .map(n -> Instant.ofEpochSecond(sec, n)));
    }

    @Provide
    Arbitrary<Integer> fractionDigits() {
        return Arbitraries.integers().between(0, 9);
    }

    @Provide
    Arbitrary<String> nearlyTimestamps() {
        Arbitrary<String> valid = instants().map(t -> format(t, 3));
        return valid.flatMap(
                s ->
                        Arbitraries.integers()
                                .between(0, s.length() - 1)
                                .flatMap(
                                        pos ->
                                                Arbitraries.of(
                                                                '0', '9', 'Z', 'T', ':', '-', '.',
                                                                ' ', 'x', '+')
                                                        .map(
                                                                c ->
                                                                        s.substring(0, pos)
                                                                                + c
                                                                                + s.substring(
                                                                                        pos + 1))));
    }

    private static String format(Instant t, int digits) {
        String base =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
                        .withZone(java.time.ZoneOffset.UTC)
                        .format(t);
        if (digits == 0) {
            return base + "Z";
        }
        String nanos = String.format("%09d", t.getNano());
        return base + "." + nanos.substring(0, digits) + "Z";
    }

    private static Instant jdk(String s) {
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
