package io.deliverymetrics.core.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
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
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} only; {@code null} for anything else. */
    static Instant parseUtcFast(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z') {
            return null;
        }
        if (s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0
                || hour > 23
                || minute > 59
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            if (s.charAt(19) != '.') {
                return null;
            }
            int fractionDigits = n - 21;
            if (fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            int f = digits(s, 20, fractionDigits);
            if (f < 0) {
                return null;
            }
            nanos = f;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(
                epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The non-negative number in {@code s[from, from+count)}, or -1 if any char is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
