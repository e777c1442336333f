package io.deliverymetrics.loadgen.generator;

import java.util.SplittableRandom;

/**
 * Random draws built only from {@link SplittableRandom} and {@link StrictMath}, so that the same
 * seed gives bit-identical values on every JVM and CPU.
 */
final class Draws {

    private Draws() {}

    /** A standard normal value (Box–Muller). */
    static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(); // in (0, 1], so log is finite
        double u2 = rng.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** A log-normal value with the given median and shape, rounded to whole ms and clamped. */
    static long logNormalMs(
            SplittableRandom rng, double medianMs, double sigma, long minMs, long maxMs) {
        double v = medianMs * StrictMath.exp(sigma * gaussian(rng));
        long ms = (long) StrictMath.rint(v);
        return Math.max(minMs, Math.min(maxMs, ms));
    }

    /** A value uniformly distributed on a log scale between {@code lo} and {@code hi}. */
    static double logUniform(SplittableRandom rng, double lo, double hi) {
        double l = StrictMath.log(lo);
        return StrictMath.exp(l + rng.nextDouble() * (StrictMath.log(hi) - l));
    }

    /** True with probability {@code p}. */
    static boolean chance(SplittableRandom rng, double p) {
        return p > 0 && rng.nextDouble() < p;
    }
}
