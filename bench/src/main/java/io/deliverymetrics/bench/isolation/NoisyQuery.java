package io.deliverymetrics.bench.isolation;

import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.core.time.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Workspace A's request: the most expensive series query the API still answers with 200. Minute
 * granularity over the longest range the point cap ({@code query.max-points}) allows, so every
 * minute row of the workspace in that range is read and merged; every metric, so every row's
 * latency sketch and error counts are decoded and every point's percentiles computed; one series
 * per pair ({@code group_by=pair}) with as many pairs on the page as {@code query.max-page-points}
 * lets in, fewer when the response would be larger than {@code query.max-response-bytes} (422). The
 * shard reads the whole workspace's rows of the range whatever the page holds; the page only
 * decides how much is rendered.
 *
 * @param workspace A's workspace id
 * @param start inclusive, on a minute
 * @param end exclusive, on a minute
 * @param limit series per page ({@code limit})
 */
public record NoisyQuery(String workspace, Instant start, Instant end, int limit) {

    /** Share of the response-size cap a shrunk page aims at, for the pairs' differing sizes. */
    static final double SIZE_MARGIN = 0.9;

    public NoisyQuery {
        Objects.requireNonNull(workspace, "workspace");
        if (!Granularity.MINUTE.isAligned(start) || !Granularity.MINUTE.isAligned(end)) {
            throw new IllegalArgumentException(
                    "range must be on whole minutes: " + start + ".." + end);
        }
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("start must be before end: " + start + ".." + end);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
    }

    /**
     * The largest query the server's limits allow over a workspace of {@code pairs} pairs whose
     * minute rows cover {@code seeded} up to {@code end}.
     *
     * @param end the end of the data, at most an hour before the request is sent
     * @param seeded how far back from {@code end} the data goes
     */
    public static NoisyQuery largest(
            String workspace,
            Instant end,
            Duration seeded,
            TierPolicy tiers,
            ApiConfig.Query limits,
            int pairs) {
        // The retention counts back from the request time, up to an hour after end.
        long retained = tiers.retention(Granularity.MINUTE).minusHours(1).toMinutes();
        long minutes = Math.min(tiers.maxPoints(), Math.min(seeded.toMinutes(), retained));
        if (minutes < 1) {
            throw new IllegalArgumentException(
                    "no minute of data to query: seeded " + seeded + ", retained " + retained);
        }
        int seriesPerPage = (int) Math.max(1, limits.maxPagePoints() / minutes);
        int limit = Math.min(limits.maxPageSize(), Math.min(seriesPerPage, pairs));
        return new NoisyQuery(workspace, end.minus(Duration.ofMinutes(minutes)), end, limit);
    }

    /** Points per series: minutes in the range. */
    public long points() {
        return Duration.between(start, end).toMinutes();
    }

    /** Path and query string of the request. */
    public String path() {
        return String.format(
                "/v1/workspaces/%s/delivery-metrics?granularity=minute&start=%s&end=%s"
                        + "&group_by=pair&limit=%d",
                workspace, start, end, limit);
    }

    /** For names in the report, e.g. {@code 24 h minute series, group_by=pair, limit 23}. */
    public String describe() {
        Duration range = Duration.between(start, end);
        String span =
                range.toMinutesPart() == 0 ? range.toHours() + " h" : range.toMinutes() + " min";
        return span + " minute series, group_by=pair, limit " + limit;
    }

    /**
     * The next try after a 422 {@code response-too-large}: the page scaled down by how far the
     * response was over the cap, with {@link #SIZE_MARGIN}, and at least one series smaller.
     *
     * @throws IllegalArgumentException when the response was within the cap
     * @throws IllegalStateException when a single series is already too large
     */
    public NoisyQuery shrunk(long responseBytes, long maxResponseBytes) {
        if (responseBytes <= maxResponseBytes) {
            throw new IllegalArgumentException(
                    "response of " + responseBytes + " bytes is within " + maxResponseBytes);
        }
        if (limit == 1) {
            throw new IllegalStateException(
                    "one series of "
                            + points()
                            + " points is already "
                            + responseBytes
                            + " bytes, over "
                            + maxResponseBytes);
        }
        int scaled = (int) Math.floor(limit * SIZE_MARGIN * maxResponseBytes / responseBytes);
        int next = Math.max(1, Math.min(limit - 1, scaled));
        return new NoisyQuery(workspace, start, end, next);
    }
}
