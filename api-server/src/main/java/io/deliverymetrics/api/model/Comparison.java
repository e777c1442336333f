package io.deliverymetrics.api.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A range's values against the previous range's: the same metrics over the range of the same length
 * that ends where the range starts, read from the same tier, and the change of each.
 */
public final class Comparison {

    private Comparison() {}

    /**
     * The metrics over the range, over the previous range (each by wire name), and the change of
     * each scalar metric: {@code {"absolute": current − previous, "relative": (current − previous)
     * ÷ previous}}, each {@code null} when undefined (either value {@code null}; for the relative
     * change also a previous value of 0).
     */
    public record Values(
            Map<String, Object> total,
            Map<String, Object> previous,
            Map<String, Map<String, Object>> change) {}

    /** The comparison of {@code current} with {@code previous}, both rendered by {@code values}. */
    public static Values of(
            List<Metric> metrics, Map<String, Object> current, Map<String, Object> previous) {
        Map<String, Map<String, Object>> change = new LinkedHashMap<>();
        for (Metric m : metrics) {
            String name = m.wireName();
            Object c = current.get(name);
            Object p = previous.get(name);
            if (c instanceof long[] || p instanceof long[]) {
                // Attempt numbers: an array, compared element by element by whoever needs it.
                continue;
            }
            change.put(name, change(c, p));
        }
        return new Values(current, previous, change);
    }

    /** One metric's change; both values are {@code Long}, {@code Double} or {@code null}. */
    public static Map<String, Object> change(Object current, Object previous) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (current == null || previous == null) {
            out.put("absolute", null);
            out.put("relative", null);
            return out;
        }
        if (current instanceof Long c && previous instanceof Long p) {
            out.put("absolute", c - p);
            out.put("relative", p == 0 ? null : (double) (c - p) / p);
            return out;
        }
        double c = ((Number) current).doubleValue();
        double p = ((Number) previous).doubleValue();
        out.put("absolute", c - p);
        out.put("relative", p == 0 ? null : (c - p) / p);
        return out;
    }
}
