package io.deliverymetrics.core.exposition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Prometheus or OpenMetrics text exposition as a test sees it: each sample by its series as
 * served ({@link #samples(String)}), or by name and label values ({@link #parse(String)}).
 */
public final class Scrape {

    /** What Prometheus sends to ask for OpenMetrics. */
    public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";

    /** What a plain client or promtool reads: the Prometheus text format. */
    public static final String PROMETHEUS_TEXT = "text/plain";

    /**
     * One sample line.
     *
     * @param series the name and the label block exactly as served, e.g. {@code x_total{a="b"}}
     * @param labels the label values unescaped, in the order served
     */
    public record Sample(String series, String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private Scrape(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    /**
     * Every sample line; comment and blank lines skipped. Fails on any other line that is not a
     * sample, so an unparseable body does not pass as empty.
     */
    public static Scrape parse(String body) {
        List<Sample> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            out.add(sample(line));
        }
        return new Scrape(out);
    }

    /** Every sample as "name{labels}" (labels as served) → value. */
    public static Map<String, Double> samples(String body) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Sample s : parse(body).samples) {
            out.put(s.series(), s.value());
        }
        return out;
    }

    /**
     * The value of the one sample named {@code name} whose labels include {@code labels} (pairs of
     * name and value).
     */
    public double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(
                    found.size() + " samples " + name + " " + List.of(labels) + " in " + samples);
        }
        return found.get(0).value();
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels}. */
    public double sum(String name, String... labels) {
        return find(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** Whether any sample is named {@code name}. */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** The labels of a pair series as the exposition writes them (names in order). */
    public static String pairLabels(String workspace, String source, String destination) {
        return "{destination=\""
                + escape(destination)
                + "\",source=\""
                + escape(source)
                + "\",workspace=\""
                + escape(workspace)
                + "\"}";
    }

    /** A number as the text formats write it (an {@code le} bound, for one). */
    public static String number(double v) {
        return Double.toString(v);
    }

    /** A label value escaped as the text formats escape it. */
    public static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private List<Sample> find(String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name-value pairs");
        }
        List<Sample> out = new ArrayList<>();
        outer:
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                    continue outer;
                }
            }
            out.add(s);
        }
        return out;
    }

    /** {@code name{label="value",…} value [timestamp] [# exemplar]}, label values escaped. */
    private static Sample sample(String line) {
        try {
            int i = 0;
            while (i < line.length() && isNameChar(line.charAt(i), i == 0)) {
                i++;
            }
            if (i == 0) {
                throw new IllegalArgumentException("no metric name");
            }
            String name = line.substring(0, i);
            Map<String, String> labels = new LinkedHashMap<>();
            if (line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String label = line.substring(i, eq);
                    if (line.charAt(eq + 1) != '"') {
                        throw new IllegalArgumentException("unquoted value of " + label);
                    }
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2;
                    for (char c = line.charAt(j); c != '"'; c = line.charAt(j)) {
                        if (c == '\\') {
                            char escaped = line.charAt(j + 1);
                            value.append(escaped == 'n' ? '\n' : escaped);
                            j += 2;
                        } else {
                            value.append(c);
                            j++;
                        }
                    }
                    labels.put(label, value.toString());
                    i = line.charAt(j + 1) == ',' ? j + 2 : j + 1;
                }
                i++;
            }
            String[] rest = line.substring(i).strip().split("\\s+");
            return new Sample(line.substring(0, i), name, labels, number(rest[0]));
        } catch (RuntimeException e) {
            throw new AssertionError("not a sample line: " + line, e);
        }
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_'
                || c == ':'
                || (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (!first && c >= '0' && c <= '9');
    }

    private static double number(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }
}
