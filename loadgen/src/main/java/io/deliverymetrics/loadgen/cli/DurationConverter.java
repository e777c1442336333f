package io.deliverymetrics.loadgen.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses durations written as {@code 500ms}, {@code 60s}, {@code 10m}, {@code 2h}, {@code 1d} or
 * ISO-8601.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * The duration {@code value} denotes; throws TypeConversionException with the accepted forms.
     */
    public static Duration parse(String value) {
        String v = value.trim();
        Matcher m = SHORT.matcher(v);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(v);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new TypeConversionException(
                    "'"
                            + value
                            + "' is not a duration; use e.g. 500ms, 60s, 10m, 2h, 1d or PT1M30S ("
                            + e.getMessage()
                            + ")");
        }
    }
}
