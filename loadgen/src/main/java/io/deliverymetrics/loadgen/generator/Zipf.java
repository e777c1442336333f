package io.deliverymetrics.loadgen.generator;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws ranks 0..n-1 with weights {@code (rank + 1)^-exponent}; immutable. */
public final class Zipf {

    private final double[] cumulativeWeight;

    public Zipf(int n, double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        cumulativeWeight = new double[n];
        double total = 0;
        for (int r = 0; r < n; r++) {
            total += StrictMath.pow(r + 1, -exponent);
            cumulativeWeight[r] = total;
        }
    }

    /** The weight of {@code rank} relative to {@link #totalWeight}. */
    double weight(int rank) {
        return rank == 0
                ? cumulativeWeight[0]
                : cumulativeWeight[rank] - cumulativeWeight[rank - 1];
    }

    /** The sum of all ranks' weights. */
    double totalWeight() {
        return cumulativeWeight[cumulativeWeight.length - 1];
    }

    /** A rank, 0 = most popular; one {@code nextDouble} of {@code rng}. */
    public int sample(SplittableRandom rng) {
        double u = rng.nextDouble() * cumulativeWeight[cumulativeWeight.length - 1];
        int i = Arrays.binarySearch(cumulativeWeight, u);
        int rank = i >= 0 ? i + 1 : -i - 1;
        return Math.min(rank, cumulativeWeight.length - 1);
    }
}
