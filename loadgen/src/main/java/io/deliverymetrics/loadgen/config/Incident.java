package io.deliverymetrics.loadgen.config;

import io.deliverymetrics.loadgen.cli.DurationConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A scheduled incident of a load run: for {@code length} from {@code start} after the run's start,
 * every destination of one type is down or rate-limited, or one pair discards a share of its
 * events.
 *
 * <p>Written on the command line as {@code type-down:TYPE:+START:LENGTH}, {@code
 * type-rate-limited:TYPE:+START:LENGTH} or {@code pair-discards:WS/SRC/DST:SHARE:+START:LENGTH}
 * ({@link #parse}); durations as for {@code --duration} ({@code 90s}, {@code 5m}, {@code 1h}).
 *
 * @param kind what goes wrong
 * @param target the destination type ({@code braze}) or the pair key ({@code ws/src/dst})
 * @param share for {@link Kind#PAIR_DISCARDS}: the share of the pair's events it discards; 1 for
 *     the type kinds
 * @param start offset of the incident from the run's start (the first event's receipt)
 * @param length how long it lasts
 */
public record Incident(Kind kind, String target, double share, Duration start, Duration length) {

    /** What goes wrong during an incident. */
    public enum Kind {
        /**
         * Every destination of the type answers most attempts with {@code http_503} or a timeout;
         * the attempts that get through are slow. Events are retried, some expire.
         */
        TYPE_DOWN("type-down"),
        /** Every destination of the type answers most attempts with {@code http_429}. */
        TYPE_RATE_LIMITED("type-rate-limited"),
        /**
         * One pair's destination rejects a share of the pair's events on the first attempt ({@code
         * http_400}, discarded).
         */
        PAIR_DISCARDS("pair-discards");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The name on the command line, e.g. {@code type-down}. */
        public String wireName() {
            return wireName;
        }

        /** Whether the incident hits a destination type rather than one pair. */
        public boolean typeWide() {
            return this != PAIR_DISCARDS;
        }

        static Kind fromWireName(String s) {
            for (Kind k : values()) {
                if (k.wireName.equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException(
                    "unknown incident kind '"
                            + s
                            + "'; use type-down, type-rate-limited or pair-discards");
        }
    }

    /** A destination type as the record contract allows it: a lower-case slug. */
    static final Pattern TYPE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /** A pair key: three ids of the contract's characters, separated by slashes. */
    static final Pattern PAIR = Pattern.compile("[A-Za-z0-9_.:-]{1,64}(/[A-Za-z0-9_.:-]{1,64}){2}");

    public Incident {
        Objects.requireNonNull(kind, "kind");
        List<String> problems = problems(kind, target, share, start, length);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid incident " + kind.wireName() + ": " + String.join("; ", problems));
        }
    }

    private static List<String> problems(
            Kind kind, String target, double share, Duration start, Duration length) {
        List<String> problems = new ArrayList<>();
        if (target == null || !(kind.typeWide() ? TYPE : PAIR).matcher(target).matches()) {
            problems.add(
                    (kind.typeWide()
                                    ? "the destination type must be a lower-case slug such as"
                                            + " braze or google-ads"
                                    : "the pair must be WORKSPACE/SOURCE/DESTINATION, e.g."
                                            + " ws_acme/src_web/dst_braze")
                            + ", was "
                            + target);
        }
        if (kind.typeWide() ? share != 1 : !(share > 0 && share <= 1)) {
            problems.add(
                    kind.typeWide()
                            ? "a type incident has no share"
                            : "the share must be greater than 0 and at most 1, was " + share);
        }
        if (start == null || start.isNegative()) {
            problems.add("the start must be an offset of 0 or more, was " + start);
        }
        if (length == null || length.toMillis() < 1) {
            problems.add("the length must be at least 1 ms, was " + length);
        }
        return problems;
    }

    /** A type-wide incident: {@code type} is down or rate-limited for {@code length}. */
    public static Incident ofType(Kind kind, String type, Duration start, Duration length) {
        return new Incident(kind, type, 1, start, length);
    }

    /** {@code pairKey} ({@code ws/src/dst}) discards {@code share} of its events. */
    public static Incident pairDiscards(
            String pairKey, double share, Duration start, Duration length) {
        return new Incident(Kind.PAIR_DISCARDS, pairKey, share, start, length);
    }

    /**
     * Parses {@code type-down:braze:+5m:10m}, {@code type-rate-limited:hubspot:+2m:5m} or {@code
     * pair-discards:ws_acme/src_web/dst_braze:0.5:+1m:30m}.
     *
     * @throws IllegalArgumentException naming what is wrong and the accepted forms
     */
    public static Incident parse(String text) {
        String[] parts = text.trim().split(":", -1);
        String usage =
                " (use type-down:TYPE:+START:LENGTH, type-rate-limited:TYPE:+START:LENGTH or"
                        + " pair-discards:WS/SRC/DST:SHARE:+START:LENGTH, e.g."
                        + " type-down:braze:+5m:10m)";
        try {
            Kind kind = Kind.fromWireName(parts[0].toLowerCase(Locale.ROOT));
            int expected = kind.typeWide() ? 4 : 5;
            if (parts.length != expected) {
                throw new IllegalArgumentException(
                        "expected " + expected + " parts separated by ':', found " + parts.length);
            }
            Duration start = offset(parts[expected - 2]);
            Duration length = duration(parts[expected - 1]);
            if (kind.typeWide()) {
                return ofType(kind, parts[1], start, length);
            }
            double share;
            try {
                share = Double.parseDouble(parts[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + parts[2] + "' is not a share");
            }
            return pairDiscards(parts[1], share, start, length);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid --incident '" + text + "': " + e.getMessage() + usage, e);
        }
    }

    private static Duration offset(String s) {
        if (!s.startsWith("+")) {
            throw new IllegalArgumentException(
                    "the start '" + s + "' must be an offset from the run's start, such as +5m");
        }
        return duration(s.substring(1));
    }

    private static Duration duration(String s) {
        try {
            return DurationConverter.parse(s);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The command-line form, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return kind.wireName()
                + ":"
                + target
                + (kind.typeWide() ? "" : ":" + share)
                + ":+"
                + text(start)
                + ":"
                + text(length);
    }

    private static String text(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
