package io.deliverymetrics.bench.model;

import java.util.Objects;

/**
 * The ratio of two figures' medians, e.g. the job's throughput over its limit.
 *
 * @param name what the ratio compares, e.g. {@code b / a (1 thread)}
 * @param numerator the figure on top
 * @param denominator the figure below
 */
public record Ratio(String name, Figure numerator, Figure denominator) {

    public Ratio {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
    }

    public double value() {
        return numerator.median() / denominator.median();
    }
}
