package io.deliverymetrics.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable, flattened view of configuration: dotted keys ({@code kafka.bootstrap-servers},
 * {@code shards.0.jdbc-url}) to string values, with typed, validating accessors.
 *
 * <p>Built by {@link ConfigLoader}; each deployable turns it into its own typed config record.
 */
public final class Settings {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final SortedMap<String, String> values;

    public Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    /** All keys and values, sorted. */
    public SortedMap<String, String> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Optional<String> optional(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String string(String key) {
        return optional(key)
                .orElseThrow(() -> new ConfigException("missing required setting '" + key + "'"));
    }

    public String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public int integer(String key) {
        return parseInt(key, string(key));
    }

    public int integer(String key, int fallback) {
        return optional(key).map(v -> parseInt(key, v)).orElse(fallback);
    }

    public long longValue(String key, long fallback) {
        return optional(key)
                .map(
                        v -> {
                            try {
                                return Long.parseLong(v);
                            } catch (NumberFormatException e) {
                                throw invalid(key, v, "an integer");
                            }
                        })
                .orElse(fallback);
    }

    public double decimal(String key, double fallback) {
        return optional(key)
                .map(
                        v -> {
                            try {
                                return Double.parseDouble(v);
                            } catch (NumberFormatException e) {
                                throw invalid(key, v, "a number");
                            }
                        })
                .orElse(fallback);
    }

    public boolean bool(String key, boolean fallback) {
        return optional(key)
                .map(
                        v ->
                                switch (v.toLowerCase(Locale.ROOT)) {
                                    case "true", "yes", "on" -> true;
                                    case "false", "no", "off" -> false;
                                    default -> throw invalid(key, v, "true or false");
                                })
                .orElse(fallback);
    }

    /**
     * A duration such as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601
     * {@code PT10S}.
     */
    public Duration duration(String key, Duration fallback) {
        return optional(key).map(v -> parseDuration(key, v)).orElse(fallback);
    }

    public Duration duration(String key) {
        return parseDuration(key, string(key));
    }

    /**
     * A comma-separated list, or the indexed entries {@code key.0}, {@code key.1}, … (e.g. a YAML
     * list).
     */
    public List<String> list(String key) {
        List<String> out = new ArrayList<>();
        Optional<String> inline = optional(key);
        if (inline.isPresent()) {
            for (String part : inline.get().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return out;
        }
        for (int i : indices(key)) {
            optional(key + "." + i).ifPresent(out::add);
        }
        return out;
    }

    /** The settings below {@code prefix.}, with that prefix removed. */
    public Settings section(String prefix) {
        String p = prefix + ".";
        TreeMap<String, String> sub = new TreeMap<>();
        for (Map.Entry<String, String> e : values.tailMap(p).entrySet()) {
            if (!e.getKey().startsWith(p)) {
                break;
            }
            sub.put(e.getKey().substring(p.length()), e.getValue());
        }
        return new Settings(sub);
    }

    /**
     * The numeric indexes present directly below {@code prefix}, ascending ({@code shards.0.x} →
     * 0).
     */
    public List<Integer> indices(String prefix) {
        TreeSet<Integer> idx = new TreeSet<>();
        for (String k : section(prefix).values.keySet()) {
            int dot = k.indexOf('.');
            String head = dot < 0 ? k : k.substring(0, dot);
            if (head.matches("\\d{1,6}")) {
                idx.add(Integer.parseInt(head));
            }
        }
        return new ArrayList<>(idx);
    }

    /** The distinct first key segments below {@code prefix} ({@code overrides.ws_a} → ws_a). */
    public List<String> childNames(String prefix) {
        TreeSet<String> names = new TreeSet<>();
        for (String k : section(prefix).values.keySet()) {
            int dot = k.indexOf('.');
            names.add(dot < 0 ? k : k.substring(0, dot));
        }
        return new ArrayList<>(names);
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, v, "an integer");
        }
    }

    /**
     * Parses a duration as the settings do: {@code 10s}, {@code 5m}, {@code 2h}, {@code 7d} or
     * ISO-8601.
     */
    public static Duration parseDuration(String key, String v) {
        String s = v.trim();
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw invalid(key, v, "a duration such as 10s, 5m, 2h, 7d or PT10S");
            }
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw invalid(key, v, "a duration such as 10s, 5m, 2h, 7d or PT10S");
        }
        try {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            // digits that overflow a long, or a count of units that overflows a Duration
            throw invalid(key, v, "a duration such as 10s, 5m, 2h, 7d or PT10S");
        }
    }

    private static ConfigException invalid(String key, String value, String expected) {
        return new ConfigException(
                "setting '" + key + "' must be " + expected + ", was '" + value + "'");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Settings{");
        for (Map.Entry<String, String> e : values.entrySet()) {
            boolean secret =
                    e.getKey().contains("password")
                            || e.getKey().contains("secret")
                            || e.getKey().contains("api-key")
                            || e.getKey().contains("token");
            sb.append(e.getKey()).append('=').append(secret ? "****" : e.getValue()).append(", ");
        }
        return sb.append('}').toString();
    }
}
