package io.deliverymetrics.batch.retention;

import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How a tier's tables are partitioned: daily {@code pYYYYMMDD} for minute rows, monthly {@code
 * pYYYYMM} for hour rows, yearly {@code pYYYY} for day rows, each holding the bucket starts of its
 * period, plus the catch-all {@code p_future}.
 */
public enum PartitionScheme {
    DAILY("'p'yyyyMMdd"),
    MONTHLY("'p'yyyyMM"),
    YEARLY("'p'yyyy");

    /** The catch-all partition the retention job splits new partitions off. */
    public static final String FUTURE = "p_future";

    private final DateTimeFormatter names;

    PartitionScheme(String pattern) {
        this.names = DateTimeFormatter.ofPattern(pattern);
    }

    public static PartitionScheme of(Granularity tier) {
        return switch (tier) {
            case MINUTE -> DAILY;
            case HOUR -> MONTHLY;
            case DAY -> YEARLY;
        };
    }

    /** Start of the period containing {@code t}. */
    public Instant floor(Instant t) {
        LocalDate d = LocalDate.ofInstant(t, ZoneOffset.UTC);
        LocalDate start =
                switch (this) {
                    case DAILY -> d;
                    case MONTHLY -> d.withDayOfMonth(1);
                    case YEARLY -> d.withDayOfYear(1);
                };
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Start of the period after the one starting at {@code periodStart}. */
    public Instant next(Instant periodStart) {
        LocalDate d = LocalDate.ofInstant(periodStart, ZoneOffset.UTC);
        LocalDate next =
                switch (this) {
                    case DAILY -> d.plusDays(1);
                    case MONTHLY -> d.plusMonths(1);
                    case YEARLY -> d.plusYears(1);
                };
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Name of the partition of the period starting at {@code periodStart}. */
    public String name(Instant periodStart) {
        return names.format(LocalDate.ofInstant(periodStart, ZoneOffset.UTC));
    }
}
