package io.deliverymetrics.bench.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One measured quantity of a benchmark, with the value of every run.
 *
 * @param name what was measured, e.g. {@code job end to end}
 * @param unit e.g. {@code attempts/s} or {@code ms}
 * @param samples one value per run, in run order
 * @param higherIsBetter whether a larger value is better (throughput) or worse (latency)
 */
public record Figure(String name, String unit, List<Double> samples, boolean higherIsBetter) {

    public Figure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("figure " + name + " has no samples");
        }
    }

    public static Figure rate(String name, String unit, List<Double> samples) {
        return new Figure(name, unit, samples, true);
    }

    public static Figure cost(String name, String unit, List<Double> samples) {
        return new Figure(name, unit, samples, false);
    }

    /** The median over the runs (the mean of the two middle values for an even count). */
    public double median() {
        double[] s = sorted();
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public double min() {
        return sorted()[0];
    }

    public double max() {
        double[] s = sorted();
        return s[s.length - 1];
    }

    /** (max − min) / median, the spread over the runs; 0 for a single run. */
    public double spread() {
        double m = median();
        return m == 0 ? 0 : (max() - min()) / m;
    }

    /** Whether every sample is a finite number above zero. */
    public boolean allFinitePositive() {
        return samples.stream().allMatch(v -> Double.isFinite(v) && v > 0);
    }

    private double[] sorted() {
        double[] s = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s;
    }
}
