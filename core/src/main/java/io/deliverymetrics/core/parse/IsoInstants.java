package io.deliverymetrics.core.parse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Exact ISO-8601 parsing of the contract's timestamps, with a fast path for the form producers send
 * almost always ({@code 2026-11-26T04:00:01.456Z}: UTC, 0–9 fraction digits).
 *
 * <p>The fast path accepts only strings that {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} also
 * accepts and returns the same instant; everything else (offsets, lower case, odd years, invalid
 * values) goes through {@link OffsetDateTime#parse}. It exists because the general parser is the
 * single largest cost of reading a record.
 */
final class IsoInstants {

    private IsoInstants() {}

    /** The instant, or {@code null} if {@code s} is not an ISO-8601 date-time with an offset. */
    static Instant parse(String s) {
        Instant fast = parseUtcFast(s);
        return fast != null ? fast : parseGeneral(s);
    }

    /** {@link #parse} without the fast path, for callers that have tried it already. */
    static Instant parseGeneral(String s) {
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} only; {@code null} for anything else. */
    static Instant parseUtcFast(String s) {
        int n = s.length();
        if (n < 20 || n > 30) {
            return null;
        }
        // Chars beyond Latin-1 become '?', which the byte form refuses like any other non-digit.
        return parseUtcFast(s.getBytes(StandardCharsets.ISO_8859_1), 0, n);
    }

    /** As {@link #parseUtcFast(String)}, of the ASCII bytes {@code b[off, off + n)}. */
    static Instant parseUtcFast(byte[] b, int off, int n) {
        if (n < 20 || n > 30 || b[off + n - 1] != 'Z') {
            return null;
        }
        if (b[off + 4] != '-'
                || b[off + 7] != '-'
                || b[off + 10] != 'T'
                || b[off + 13] != ':'
                || b[off + 16] != ':') {
            return null;
        }
        int year = digits(b, off, 4);
        int month = digits(b, off + 5, 2);
        int day = digits(b, off + 8, 2);
        int hour = digits(b, off + 11, 2);
        int minute = digits(b, off + 14, 2);
        int second = digits(b, off + 17, 2);
        if ((year | month | day | hour | minute | second) < 0
                || hour > 23
                || minute > 59
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            if (b[off + 19] != '.') {
                return null;
            }
            int fractionDigits = n - 21;
            if (fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            int f = digits(b, off + 20, fractionDigits);
            if (f < 0) {
                return null;
            }
            nanos = f;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay = epochDay(year, month, day);
        if (epochDay == INVALID_DATE) {
            return null;
        }
        return Instant.ofEpochSecond(
                epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** What {@link #epochDay} returns for a date that does not exist. */
    static final long INVALID_DATE = Long.MIN_VALUE;

    /**
     * {@code LocalDate.of(year, month, day).toEpochDay()} for years 0–9999 (the proleptic Gregorian
     * calendar, as java.time), or {@link #INVALID_DATE} where {@code LocalDate.of} throws;
     * computed, because building the LocalDate was a tenth of reading a record.
     */
    static long epochDay(int year, int month, int day) {
        if (year < 0 || year > 9999 || month < 1 || month > 12 || day < 1) {
            return INVALID_DATE;
        }
        boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        int monthLength =
                switch (month) {
                    case 2 -> leap ? 29 : 28;
                    case 4, 6, 9, 11 -> 30;
                    default -> 31;
                };
        if (day > monthLength) {
            return INVALID_DATE;
        }
        // Days from 0000-03-01 in 400-year eras of 146,097 days, the year starting in March so
        // that the leap day comes last; 0000-03-01 is epoch day -719,468.
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int monthFromMarch = month > 2 ? month - 3 : month + 9;
        int dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    /** The non-negative number in {@code b[from, from+count)}, or -1 if any byte is not a digit. */
    private static int digits(byte[] b, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int c = b[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
