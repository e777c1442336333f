package io.deliverymetrics.api.status;

import java.time.Instant;
import java.util.List;

/**
 * The status of every destination type, as of the global database's {@code complete_through}.
 *
 * @param completeThrough minutes before it are complete in the global database; {@code null} until
 *     the streaming job has reported there (the horizon then ends at the start of the current
 *     minute)
 * @param horizonStart first minute evaluated
 * @param horizonEnd end of the last minute evaluated (exclusive)
 * @param baselineStart first hour of the baseline
 * @param baselineEnd end of the baseline (exclusive): the start of the horizon's first hour
 * @param windowMinutes minutes each verdict and its figures are computed over, ending at {@code
 *     horizonEnd}
 * @param types one entry per type with rows in the horizon or the baseline, by type name
 */
public record DestinationStatusReport(
        Instant completeThrough,
        Instant horizonStart,
        Instant horizonEnd,
        Instant baselineStart,
        Instant baselineEnd,
        int windowMinutes,
        List<TypeStatus> types) {

    /**
     * One destination type now (its last evaluated minute).
     *
     * @param since start of the trailing run of minutes with {@code status}, within the horizon
     * @param sinceExact false when the run covers the whole horizon, so it started at {@code since}
     *     or earlier
     * @param attempts attempts of the status window, filtered ones left out
     * @param successRate delivered ÷ (delivered + discarded + expired) events in the window, as the
     *     workspace endpoints' {@code success_rate} ({@code MetricBucket.successRate}); NaN without
     *     such events
     * @param latencyP95Ms p95 latency of the window's deliveries; NaN without deliveries
     * @param baselineSuccessRate the same over the baseline; NaN without such events there
     * @param baselineLatencyP95Ms the baseline's p95; NaN without deliveries there
     * @param workspaces distinct workspaces sending to the type in the window
     * @param affectedWorkspaces those of them with a failed attempt
     * @param reason why, in a sentence
     */
    public record TypeStatus(
            String destinationType,
            String status,
            Instant since,
            boolean sinceExact,
            long attempts,
            double successRate,
            double latencyP95Ms,
            double baselineSuccessRate,
            double baselineLatencyP95Ms,
            long workspaces,
            long affectedWorkspaces,
            String reason) {}
}
