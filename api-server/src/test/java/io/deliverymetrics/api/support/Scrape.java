package io.deliverymetrics.api.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a Prometheus or OpenMetrics text exposition as a test sees it. */
public final class Scrape {

    /** What Prometheus sends to ask for OpenMetrics. */
    public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";

    /** What a plain client or promtool reads: the Prometheus text format. */
    public static final String PROMETHEUS_TEXT = "text/plain";

    private Scrape() {}

    /**
     * Every sample line as "name{labels}" (labels as served) → value; comment lines skipped. Fails
     * on a line without a value, so an unparseable body does not pass as empty.
     */
    public static Map<String, Double> samples(String body) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                throw new AssertionError("not a sample line: " + line);
            }
            out.put(line.substring(0, space), parse(line.substring(space + 1)));
        }
        return out;
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

    private static double parse(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }
}
