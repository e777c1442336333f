package io.deliverymetrics.bench.scrape;

import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark reads from a scrape's body (Prometheus text or OpenMetrics): its size, its
 * sample lines, and the export's own gauges, which say how many pairs it holds and whether {@code
 * metrics.max-pairs} cut it short.
 *
 * @param bytes the body's size
 * @param samples lines that are samples (neither comments nor blank)
 * @param pairsExported {@code event_delivery_export_pairs}, empty when absent
 * @param truncated {@code event_delivery_export_truncated}, empty when absent
 */
public record ExpositionBody(
        int bytes, long samples, OptionalDouble pairsExported, OptionalDouble truncated) {

    static ExpositionBody of(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        long samples = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
        return new ExpositionBody(
                body.length,
                samples,
                sample(text, "event_delivery_export_pairs"),
                sample(text, "event_delivery_export_truncated"));
    }

    /** The value of the first sample named {@code name} (any labels) in {@code text}. */
    public static OptionalDouble sample(String text, String name) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)")
                        .matcher(text);
        return m.find()
                ? OptionalDouble.of(Double.parseDouble(m.group(1)))
                : OptionalDouble.empty();
    }
}
