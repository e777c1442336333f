package io.deliverymetrics.bench.scrape;

import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.sql.TotalsRows;
import io.deliverymetrics.sql.TotalsRows.PairTotals;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Running totals of pairs like a long-running pipeline leaves in {@code delivery_totals}: traffic
 * falling off with the pair's rank (Zipf 1.1, from about 5 million events for the busiest pair to a
 * few hundred), outcomes mostly deliveries with some retries, discards, expiries and filtered
 * events, and log-normal latencies around 300 ms counted into the histogram by the totals' own
 * {@link DeliveryTotals#plus} (through a minute's {@link MetricBucket} and its sketch), written
 * with {@link TotalsRows#write}.
 */
final class PairTotalsSeed {

    /** Synthetic attempts per pair that shape its outcome mix and latency histogram. */
    private static final int SAMPLE_ATTEMPTS = 64;

    private static final double BUSIEST_EVENTS = 5_000_000;
    private static final double ZIPF = 1.1;
    private static final int BATCH_ROWS = 1_000;

    private PairTotalsSeed() {}

    /** The totals of {@code pairs}, the i-th the (i + 1)-th busiest; the same for a seed. */
    static List<PairTotals> totals(List<PairKey> pairs, Instant finalThrough, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PairTotals> out = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            PairKey p = pairs.get(i);
            MetricBucket sample = sample(p, finalThrough, random);
            long events =
                    Math.max(SAMPLE_ATTEMPTS, Math.round(BUSIEST_EVENTS / Math.pow(i + 1, ZIPF)));
            long scale = Math.max(1, events / sample.attempts());
            long[] values = DeliveryTotals.ZERO.plus(sample).toArray();
            for (int k = 0; k < values.length; k++) {
                values[k] *= scale;
            }
            out.add(new PairTotals(p, finalThrough, DeliveryTotals.fromArray(values)));
        }
        return out;
    }

    /** Writes {@code rows} in transactions of {@value #BATCH_ROWS} rows. */
    static void write(Connection c, List<PairTotals> rows) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (int from = 0; from < rows.size(); from += BATCH_ROWS) {
                TotalsRows.write(c, rows.subList(from, Math.min(rows.size(), from + BATCH_ROWS)));
                c.commit();
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static MetricBucket sample(PairKey p, Instant at, SplittableRandom random) {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < SAMPLE_ATTEMPTS; i++) {
            int roll = random.nextInt(100);
            Outcome outcome =
                    roll < 86
                            ? Outcome.DELIVERED
                            : roll < 94
                                    ? Outcome.RETRYING
                                    : roll < 96
                                            ? Outcome.DISCARDED
                                            : roll < 97 ? Outcome.EXPIRED : Outcome.FILTERED;
            String error =
                    switch (outcome) {
                        case RETRYING -> random.nextBoolean() ? "http_429" : "http_503";
                        case DISCARDED -> "http_400";
                        case EXPIRED -> "timeout";
                        default -> null;
                    };
            // Log-normal around 300 ms (sigma 1.2): most deliveries well under a second, a tail
            // of slow destinations up to the histogram's last bounds.
            long latencyMs =
                    Math.min(
                            600_000,
                            Math.max(1, Math.round(300 * Math.exp(1.2 * gaussian(random)))));
            Instant received = at.minusSeconds(60 + random.nextInt(3_600));
            b.add(
                    new DeliveryAttempt(
                            p.workspaceId(),
                            p.sourceId(),
                            p.destinationId(),
                            "evt_" + i,
                            outcome == Outcome.DELIVERED && random.nextInt(10) == 0 ? 2 : 1,
                            outcome,
                            error,
                            received,
                            received.plusMillis(latencyMs)));
        }
        return b;
    }

    /** A standard normal sample (Box–Muller). */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
