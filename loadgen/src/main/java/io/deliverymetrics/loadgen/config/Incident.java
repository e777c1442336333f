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
 * every destination of one type is down, rate-limited or failing, one pair discards a share of its
 * events, or one workspace sends many times its usual events.
 *
 * <p>Written on the command line as {@code type-down:TYPE:+START:LENGTH}, {@code
 * type-rate-limited:TYPE:+START:LENGTH}, {@code type-failing:TYPE:+START:LENGTH}, {@code
 * pair-discards:WS/SRC/DST:SHARE:+START:LENGTH} or {@code workspace-surge:WS:FACTOR:+START:LENGTH}
 * ({@link #parse}); durations as for {@code --duration} ({@code 90s}, {@code 5m}, {@code 1h}).
 *
 * @param kind what goes wrong
 * @param target the destination type ({@code braze}), the pair key ({@code ws/src/dst}) or the
 *     workspace ({@code ws_acme})
 * @param share for {@link Kind#PAIR_DISCARDS}: the share of the pair's events it discards; 1 for
 *     the other kinds
 * @param factor for {@link Kind#WORKSPACE_SURGE}: how many times its usual event rate the workspace
 *     sends (more than 1); 1 for the other kinds
 * @param start offset of the incident from the run's start (the first event's receipt)
 * @param length how long it lasts
 */
public record Incident(
        Kind kind, String target, double share, double factor, Duration start, Duration length) {

    /** Largest factor of a workspace surge. */
    public static final double MAX_SURGE_FACTOR = 10_000;

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
        PAIR_DISCARDS("pair-discards"),
        /**
         * Every destination of the type fails every attempt ({@code http_503}); each event is
         * retried quickly up to a fixed number of attempts, whatever the run's maximum, so the
         * type's attempt records multiply.
         */
        TYPE_FAILING("type-failing"),
        /**
         * One workspace receives {@code factor} times its usual events (the other workspaces are
         * unchanged).
         */
        WORKSPACE_SURGE("workspace-surge");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The name on the command line, e.g. {@code type-down}. */
        public String wireName() {
            return wireName;
        }

        /** Whether the incident hits a destination type rather than one pair or workspace. */
        public boolean typeWide() {
            return this == TYPE_DOWN || this == TYPE_RATE_LIMITED || this == TYPE_FAILING;
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
                            + "'; use type-down, type-rate-limited, type-failing, pair-discards"
                            + " or workspace-surge");
        }
    }

    /** A destination type as the record contract allows it: a lower-case slug. */
    static final Pattern TYPE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /** A pair key: three ids of the contract's characters, separated by slashes. */
    static final Pattern PAIR = Pattern.compile("[A-Za-z0-9_.:-]{1,64}(/[A-Za-z0-9_.:-]{1,64}){2}");

    /** A workspace id of the contract's characters. */
    static final Pattern WORKSPACE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    public Incident {
        Objects.requireNonNull(kind, "kind");
        List<String> problems = problems(kind, target, share, factor, start, length);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid incident " + kind.wireName() + ": " + String.join("; ", problems));
        }
    }

    private static List<String> problems(
            Kind kind,
            String target,
            double share,
            double factor,
            Duration start,
            Duration length) {
        List<String> problems = new ArrayList<>();
        Pattern targetPattern =
                kind.typeWide() ? TYPE : kind == Kind.PAIR_DISCARDS ? PAIR : WORKSPACE;
        if (target == null || !targetPattern.matcher(target).matches()) {
            problems.add(
                    (kind.typeWide()
                                    ? "the destination type must be a lower-case slug such as"
                                            + " braze or google-ads"
                                    : kind == Kind.PAIR_DISCARDS
                                            ? "the pair must be WORKSPACE/SOURCE/DESTINATION, e.g."
                                                    + " ws_acme/src_web/dst_braze"
                                            : "the workspace must be an id such as ws_acme")
                            + ", was "
                            + target);
        }
        if (kind == Kind.PAIR_DISCARDS ? !(share > 0 && share <= 1) : share != 1) {
            problems.add(
                    kind == Kind.PAIR_DISCARDS
                            ? "the share must be greater than 0 and at most 1, was " + share
                            : "only a pair incident has a share");
        }
        if (kind == Kind.WORKSPACE_SURGE
                ? !(factor > 1 && factor <= MAX_SURGE_FACTOR)
                : factor != 1) {
            problems.add(
                    kind == Kind.WORKSPACE_SURGE
                            ? "the factor must be greater than 1 and at most "
                                    + (long) MAX_SURGE_FACTOR
                                    + ", was "
                                    + factor
                            : "only a workspace surge has a factor");
        }
        if (start == null || start.isNegative()) {
            problems.add("the start must be an offset of 0 or more, was " + start);
        }
        if (length == null || length.toMillis() < 1) {
            problems.add("the length must be at least 1 ms, was " + length);
        }
        return problems;
    }

    /** A type-wide incident: {@code type} is down, rate-limited or failing for {@code length}. */
    public static Incident ofType(Kind kind, String type, Duration start, Duration length) {
        return new Incident(kind, type, 1, 1, start, length);
    }

    /** {@code pairKey} ({@code ws/src/dst}) discards {@code share} of its events. */
    public static Incident pairDiscards(
            String pairKey, double share, Duration start, Duration length) {
        return new Incident(Kind.PAIR_DISCARDS, pairKey, share, 1, start, length);
    }

    /** {@code workspace} receives {@code factor} times its usual events. */
    public static Incident workspaceSurge(
            String workspace, double factor, Duration start, Duration length) {
        return new Incident(Kind.WORKSPACE_SURGE, workspace, 1, factor, start, length);
    }

    /**
     * Parses {@code type-down:braze:+5m:10m}, {@code type-rate-limited:hubspot:+2m:5m}, {@code
     * type-failing:braze:+5m:2m}, {@code pair-discards:ws_acme/src_web/dst_braze:0.5:+1m:30m} or
     * {@code workspace-surge:ws_acme:100:+5m:2m}.
     *
     * @throws IllegalArgumentException naming what is wrong and the accepted forms
     */
    public static Incident parse(String text) {
        String[] parts = text.trim().split(":", -1);
        String usage =
                " (use type-down:TYPE:+START:LENGTH, type-rate-limited:TYPE:+START:LENGTH,"
                        + " type-failing:TYPE:+START:LENGTH,"
                        + " pair-discards:WS/SRC/DST:SHARE:+START:LENGTH or"
                        + " workspace-surge:WS:FACTOR:+START:LENGTH, e.g."
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
            if (kind == Kind.WORKSPACE_SURGE) {
                return workspaceSurge(parts[1], number(parts[2], "factor"), start, length);
            }
            return pairDiscards(parts[1], number(parts[2], "share"), start, length);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid --incident '" + text + "': " + e.getMessage() + usage, e);
        }
    }

    private static double number(String s, String what) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a " + what);
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
                + (kind == Kind.PAIR_DISCARDS ? ":" + share : "")
                + (kind == Kind.WORKSPACE_SURGE ? ":" + number(factor) : "")
                + ":+"
                + text(start)
                + ":"
                + text(length);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String text(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
