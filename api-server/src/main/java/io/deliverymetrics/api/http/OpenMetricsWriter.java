package io.deliverymetrics.api.http;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the OpenMetrics 1.0 text format: one metadata block per family, samples with escaped label
 * values, and the closing {@code # EOF}. Help texts are kept free of quotes and backslashes so the
 * output parses the same as Prometheus text format 0.0.4 (which promtool lints).
 */
public final class OpenMetricsWriter {

    /** The media type of the output. */
    public static final String CONTENT_TYPE =
            "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final StringBuilder out = new StringBuilder(4096);
    private final Set<String> families = new HashSet<>();
    private boolean finished;

    /**
     * Starts a metric family; its samples must follow before the next family starts.
     *
     * @param type {@code gauge}, {@code counter}, {@code histogram}, …
     * @param unit the unit, which must end the name (e.g. {@code seconds}); {@code null} for none
     */
    public OpenMetricsWriter family(String name, String type, String unit, String help) {
        checkName(name);
        Objects.requireNonNull(type, "type");
        if (!families.add(name)) {
            throw new IllegalStateException("family " + name + " was already written");
        }
        if (help.indexOf('"') >= 0 || help.indexOf('\\') >= 0 || help.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("help of " + name + " must be one plain line");
        }
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        if (unit != null) {
            if (!name.endsWith("_" + unit)) {
                throw new IllegalArgumentException(name + " must end with its unit " + unit);
            }
            out.append("# UNIT ").append(name).append(' ').append(unit).append('\n');
        }
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        return this;
    }

    /** One sample; {@code labels} alternate name and value. */
    public OpenMetricsWriter sample(String name, double value, String... labels) {
        return sample(name, format(value), labels);
    }

    /** One sample with an integer value; {@code labels} alternate name and value. */
    public OpenMetricsWriter sample(String name, long value, String... labels) {
        return sample(name, Long.toString(value), labels);
    }

    private OpenMetricsWriter sample(String name, String value, String... labels) {
        checkName(name);
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels must be name/value pairs");
        }
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                checkName(labels[i]);
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escapeLabelValue(labels[i + 1], out);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
        return this;
    }

    /** The whole exposition, ending with {@code # EOF}. */
    public String finish() {
        if (!finished) {
            out.append("# EOF\n");
            finished = true;
        }
        return out.toString();
    }

    /** Escapes a label value: backslash, double quote and line feed. */
    static void escapeLabelValue(String value, StringBuilder to) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> to.append("\\\\");
                case '"' -> to.append("\\\"");
                case '\n' -> to.append("\\n");
                default -> to.append(c);
            }
        }
    }

    /** A number as OpenMetrics spells it; infinities and NaN included. */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(v);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric or label name: " + name);
        }
    }
}
