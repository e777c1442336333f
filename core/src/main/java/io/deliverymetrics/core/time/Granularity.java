package io.deliverymetrics.core.time;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** A bucket size of the metric tiers; buckets are aligned to UTC. */
public enum Granularity {
    MINUTE(Duration.ofMinutes(1), ChronoUnit.MINUTES),
    HOUR(Duration.ofHours(1), ChronoUnit.HOURS),
    DAY(Duration.ofDays(1), ChronoUnit.DAYS);

    private final Duration size;
    private final ChronoUnit unit;
    private final String wireName = name().toLowerCase(Locale.ROOT);

    Granularity(Duration size, ChronoUnit unit) {
        this.size = size;
        this.unit = unit;
    }

    public Duration size() {
        return size;
    }

    public long sizeMillis() {
        return size.toMillis();
    }

    /** Name used in APIs, table suffixes and configuration, e.g. {@code "hour"}. */
    public String wireName() {
        return wireName;
    }

    /** The metrics table of this tier, e.g. {@code delivery_metrics_hour}. */
    public String metricsTable() {
        return "delivery_metrics_" + wireName;
    }

    /** The error breakdown table of this tier, e.g. {@code delivery_errors_hour}. */
    public String errorsTable() {
        return "delivery_errors_" + wireName;
    }

    /** Start of the bucket containing {@code t}. */
    public Instant floor(Instant t) {
        return t.truncatedTo(unit);
    }

    /** Start of the bucket containing epoch millis {@code t}. */
    public long floorMillis(long t) {
        return Math.floorDiv(t, sizeMillis()) * sizeMillis();
    }

    /** {@code t} if aligned, else the start of the next bucket. */
    public Instant ceil(Instant t) {
        Instant f = floor(t);
        return f.equals(t) ? t : f.plus(size);
    }

    public boolean isAligned(Instant t) {
        return floor(t).equals(t);
    }

    /** Number of buckets that [start, end) touches (partial buckets at either end count). */
    public long bucketsTouched(Instant start, Instant end) {
        if (!end.isAfter(start)) {
            return 0;
        }
        return Duration.between(floor(start), ceil(end)).toMillis() / sizeMillis();
    }

    /** The next finer tier, empty for {@link #MINUTE}. */
    public Optional<Granularity> finer() {
        return this == MINUTE ? Optional.empty() : Optional.of(values()[ordinal() - 1]);
    }

    /** The next coarser tier, empty for {@link #DAY}. */
    public Optional<Granularity> coarser() {
        return this == DAY ? Optional.empty() : Optional.of(values()[ordinal() + 1]);
    }

    /** Looks up by wire name ({@code minute}, {@code hour}, {@code day}). */
    public static Optional<Granularity> fromWireName(String name) {
        for (Granularity g : values()) {
            if (g.wireName.equals(name)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
