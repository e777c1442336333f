package io.deliverymetrics.core.status;

import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Classifies one destination type minute by minute as {@link DestinationStatus#OPERATIONAL}, {@link
 * DestinationStatus#DEGRADED} or {@link DestinationStatus#OUTAGE} from its global minute rows,
 * judged against the type's own baseline and across the workspaces that send to it.
 *
 * <p>Each minute is judged on the {@link StatusThresholds#window} ending with it (merged rows):
 *
 * <ol>
 *   <li>Fewer than {@code minAttempts} attempts: operational (too little to judge).
 *   <li>The <em>error rate</em> is failed attempts (retried, discarded, expired) ÷ attempts,
 *       filtered ones left out. Against the baseline's error rate {@code b}, the <em>loss</em> is
 *       the share of the attempts that usually succeed that now fail: {@code (rate − b) ÷ (1 − b)}.
 *       So a type that always answers a third of its attempts with 429 is judged on what it does
 *       beyond that, and a type with no baseline against 0.
 *   <li>Loss at least {@code outageLoss} with the affected workspaces (those with a failed attempt)
 *       at least {@code minWorkspaces} and at least {@code outageBreadth} of the contributing ones:
 *       outage. Loss at least {@code degradedLoss} with {@code degradedBreadth}: degraded. Failures
 *       in fewer workspaces are theirs, not the type's.
 *   <li>Otherwise a p95 latency at least {@code latencyFactor} times the baseline's and at least
 *       {@code latencyMinIncreaseMs} above it, with at least {@code minWorkspaces} contributing
 *       workspaces: degraded. (The rows do not say which workspaces were slow, so breadth here is
 *       only that many send to the type.)
 * </ol>
 *
 * <p>Distinct workspaces are the rows' sketches merged over the window (exact up to {@value
 * DistinctContributors#EXACT_UP_TO}).
 */
public final class StatusClassifier {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final StatusThresholds thresholds;

    public StatusClassifier(StatusThresholds thresholds) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    }

    /**
     * What one minute was judged on and the verdict.
     *
     * @param errorRate failed ÷ attempts in the window, {@code NaN} without attempts
     * @param baselineErrorRate the same over the baseline, 0 without attempts
     * @param p95Ms p95 latency in the window, {@code NaN} without deliveries
     * @param baselineP95Ms the baseline's, {@code NaN} without deliveries
     * @param reason why, in a sentence
     */
    public record Assessment(
            Instant minute,
            DestinationStatus status,
            long attempts,
            double errorRate,
            double baselineErrorRate,
            double p95Ms,
            double baselineP95Ms,
            long workspaces,
            long affectedWorkspaces,
            String reason) {}

    /**
     * Judges every minute of [{@code from}, {@code to}).
     *
     * @param baseline the type's attempts over its usual period (for instance the 24 hours before
     *     the window of {@code from}, read from the hour tier), merged into one bucket
     * @param minutes the type's minute rows, any order, including those of the window before {@code
     *     from}; a minute without a row had no attempts
     */
    public List<Assessment> classify(
            MetricBucket baseline, List<TypeBucket> minutes, Instant from, Instant to) {
        Instant first = from.truncatedTo(ChronoUnit.MINUTES);
        Map<Instant, TypeBucket> byMinute = new HashMap<>();
        for (TypeBucket row : minutes) {
            byMinute.put(row.bucketStart(), row);
        }
        double baseError = errorRate(baseline);
        double baseP95 = baseline.latencyQuantileMs(0.95);
        int window = thresholds.windowMinutes();
        List<Assessment> out = new ArrayList<>();
        for (Instant m = first; m.isBefore(to); m = m.plus(MINUTE)) {
            MetricBucket b = new MetricBucket();
            DistinctContributors who = new DistinctContributors();
            for (int i = window - 1; i >= 0; i--) {
                TypeBucket row = byMinute.get(m.minus(MINUTE.multipliedBy(i)));
                if (row != null) {
                    b.merge(row.bucket());
                    who.merge(row.contributors());
                }
            }
            out.add(judge(m, b, who, Double.isNaN(baseError) ? 0 : baseError, baseP95));
        }
        return out;
    }

    /** Start of the trailing run of minutes with the last one's status; null for none. */
    public static Instant since(List<Assessment> assessments) {
        if (assessments.isEmpty()) {
            return null;
        }
        DestinationStatus last = assessments.get(assessments.size() - 1).status();
        Instant since = null;
        for (int i = assessments.size() - 1; i >= 0; i--) {
            if (assessments.get(i).status() != last) {
                break;
            }
            since = assessments.get(i).minute();
        }
        return since;
    }

    private Assessment judge(
            Instant minute,
            MetricBucket b,
            DistinctContributors who,
            double baseError,
            double baseP95) {
        StatusThresholds t = thresholds;
        long attempts = judged(b);
        double error = errorRate(b);
        double p95 = b.latencyQuantileMs(0.95);
        long workspaces = who.workspaces();
        long affected = who.affectedWorkspaces();
        if (attempts < t.minAttempts()) {
            return new Assessment(
                    minute,
                    DestinationStatus.OPERATIONAL,
                    attempts,
                    error,
                    baseError,
                    p95,
                    baseP95,
                    workspaces,
                    affected,
                    "fewer than " + t.minAttempts() + " attempts in the window: too few to judge");
        }
        double loss = baseError >= 1 ? 0 : Math.max(0, (error - baseError) / (1 - baseError));
        DestinationStatus status = DestinationStatus.OPERATIONAL;
        String reason;
        if (loss >= t.outageLoss() && broad(affected, workspaces, t.outageBreadth())) {
            status = DestinationStatus.OUTAGE;
            reason = failing(loss, affected, workspaces);
        } else if (loss >= t.degradedLoss() && broad(affected, workspaces, t.degradedBreadth())) {
            status = DestinationStatus.DEGRADED;
            reason = failing(loss, affected, workspaces);
        } else if (slower(p95, baseP95) && workspaces >= t.minWorkspaces()) {
            status = DestinationStatus.DEGRADED;
            reason =
                    String.format(
                            java.util.Locale.ROOT,
                            "p95 latency %.0f ms against a usual %.0f ms",
                            p95,
                            baseP95);
        } else if (loss >= t.degradedLoss()) {
            reason =
                    "failures beyond the usual confined to "
                            + affected
                            + " of "
                            + workspaces
                            + " workspace(s)";
        } else {
            reason = "failures and latency as usual";
        }
        return new Assessment(
                minute,
                status,
                attempts,
                error,
                baseError,
                p95,
                baseP95,
                workspaces,
                affected,
                reason);
    }

    private boolean broad(long affected, long workspaces, double breadth) {
        return affected >= thresholds.minWorkspaces() && affected >= breadth * workspaces;
    }

    private boolean slower(double p95, double baseP95) {
        return !Double.isNaN(p95)
                && !Double.isNaN(baseP95)
                && p95 >= thresholds.latencyFactor() * baseP95
                && p95 - baseP95 >= thresholds.latencyMinIncreaseMs();
    }

    private static String failing(double loss, long affected, long workspaces) {
        return String.format(
                java.util.Locale.ROOT,
                "%.0f %% of the usually successful attempts fail, in %d of %d workspace(s)",
                loss * 100,
                affected,
                workspaces);
    }

    /** Attempts that count: every outcome but filtered. */
    private static long judged(MetricBucket b) {
        return b.successes() + b.retried() + b.discarded() + b.expired();
    }

    private static double errorRate(MetricBucket b) {
        long n = judged(b);
        return n == 0 ? Double.NaN : (double) (b.retried() + b.discarded() + b.expired()) / n;
    }
}
