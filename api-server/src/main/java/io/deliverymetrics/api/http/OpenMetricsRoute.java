package io.deliverymetrics.api.http;

import io.deliverymetrics.api.auth.Authenticator.Principal;
import io.deliverymetrics.api.model.DeliveryGauges;
import io.deliverymetrics.api.model.DeliveryGauges.ShardStatus;
import io.deliverymetrics.api.query.LastMinuteExport;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in OpenMetrics text format: per-pair gauges of each shard's last final
 * minute, the export's own health, and the server's request histogram.
 *
 * <p>The delivery counts are gauges of one final minute rather than counters: the API server keeps
 * no running totals (any replica answers, restarts lose nothing), and a final minute's count never
 * changes (a scraper never re-reads an older minute, so a minute that late data could still correct
 * is not exported), so {@code event_delivery_successes} reads directly as "deliveries per minute".
 */
public final class OpenMetricsRoute {

    private static final Logger LOG = LoggerFactory.getLogger(OpenMetricsRoute.class);

    /** Path of the endpoint. */
    public static final String PATH = "/metrics";

    private static final String MINUTE = " in the last final minute of the pair's shard.";

    private record Count(String name, String help, ToLongFunction<MetricBucket> value) {}

    private record Quantile(String name, String help, double q) {}

    private static final List<Count> COUNTS =
            List.of(
                    new Count(
                            "event_delivery_successes",
                            "Events delivered (terminal success)" + MINUTE,
                            MetricBucket::successes),
                    new Count(
                            "event_delivery_retried",
                            "Failed attempts that will be retried (attempts, not events)" + MINUTE,
                            MetricBucket::retried),
                    new Count(
                            "event_delivery_discarded",
                            "Events discarded: rejected or not retryable (terminal)" + MINUTE,
                            MetricBucket::discarded),
                    new Count(
                            "event_delivery_expired",
                            "Events whose retries ran out (terminal)" + MINUTE,
                            MetricBucket::expired),
                    new Count(
                            "event_delivery_filtered",
                            "Events dropped by a destination filter (not a failure)" + MINUTE,
                            MetricBucket::filtered));

    private static final String LATENCY =
            " end-to-end latency in milliseconds (received to delivered) of the deliveries"
                    + MINUTE
                    + " From the merged DDSketch (1 percent relative accuracy); absent when"
                    + " nothing was delivered.";

    private static final List<Quantile> QUANTILES =
            List.of(
                    new Quantile("event_delivery_latency_p50_ms", "Median" + LATENCY, 0.50),
                    new Quantile(
                            "event_delivery_latency_p95_ms", "95th percentile" + LATENCY, 0.95),
                    new Quantile(
                            "event_delivery_latency_p99_ms", "99th percentile" + LATENCY, 0.99));

    private final LastMinuteExport export;
    private final RequestMetrics requests;
    private final RequestGuard guard;
    private final boolean requireToken;

    /**
     * @param requireToken ask for a bearer token and export only its workspace
     */
    public OpenMetricsRoute(
            LastMinuteExport export,
            RequestMetrics requests,
            RequestGuard guard,
            boolean requireToken) {
        this.export = Objects.requireNonNull(export, "export");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.requireToken = requireToken;
    }

    public void register(JavalinDefaultRouting router) {
        router.get(PATH, this::answer);
    }

    private void answer(Context ctx) {
        DeliveryGauges gauges;
        if (requireToken) {
            Principal p =
                    guard.admit(ctx)
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "metrics.require-token needs auth enabled"));
            gauges = export.workspace(p.workspaceId());
        } else {
            gauges = export.all();
        }
        for (ShardStatus s : gauges.shards()) {
            s.failure().ifPresent(f -> LOG.warn("/metrics left out shard {}: {}", s.shard(), f));
        }
        OpenMetricsWriter w = new OpenMetricsWriter();
        write(gauges, w);
        requests.writeTo(w);
        ctx.contentType(OpenMetricsWriter.CONTENT_TYPE).result(w.finish());
    }

    /** Appends the delivery gauges and the export's own gauges to {@code w}. */
    static void write(DeliveryGauges gauges, OpenMetricsWriter w) {
        for (Count c : COUNTS) {
            w.family(c.name(), "gauge", null, c.help());
            for (PairBucket p : gauges.pairs()) {
                w.sample(c.name(), c.value().applyAsLong(p.bucket()), labels(p));
            }
        }
        for (Quantile q : QUANTILES) {
            w.family(q.name(), "gauge", null, q.help());
            for (PairBucket p : gauges.pairs()) {
                if (p.bucket().latencyCount() > 0) {
                    // Micro-second resolution is plenty for a 1 % relative-accuracy sketch.
                    double ms = Math.round(p.bucket().latencyQuantileMs(q.q()) * 1000) / 1000.0;
                    w.sample(q.name(), ms, labels(p));
                }
            }
        }
        w.family(
                "event_delivery_final_through_seconds",
                "gauge",
                "seconds",
                "Unix time up to which the shard's minutes are final: the exported minute ends"
                        + " here. Alert on time() minus this to catch a stalled pipeline.");
        for (ShardStatus s : gauges.shards()) {
            s.finalThrough()
                    .ifPresent(
                            t ->
                                    w.sample(
                                            "event_delivery_final_through_seconds",
                                            t.getEpochSecond(),
                                            "shard",
                                            Integer.toString(s.shard())));
        }
        w.family(
                "event_delivery_export_shard_up",
                "gauge",
                null,
                "1 when the shard was read for this scrape, 0 when it could not be reached.");
        for (ShardStatus s : gauges.shards()) {
            w.sample(
                    "event_delivery_export_shard_up",
                    s.up() ? 1 : 0,
                    "shard",
                    Integer.toString(s.shard()));
        }
        w.family("event_delivery_export_pairs", "gauge", null, "Pairs exported by this scrape.")
                .sample("event_delivery_export_pairs", gauges.pairs().size());
        w.family(
                        "event_delivery_export_max_pairs",
                        "gauge",
                        null,
                        "Most pairs one scrape exports (metrics.max-pairs).")
                .sample("event_delivery_export_max_pairs", gauges.maxPairs());
        w.family(
                        "event_delivery_export_truncated",
                        "gauge",
                        null,
                        "1 when pairs with data were left out because of metrics.max-pairs.")
                .sample("event_delivery_export_truncated", gauges.truncated() ? 1 : 0);
    }

    private static String[] labels(PairBucket p) {
        return new String[] {
            "workspace", p.pair().workspaceId(),
            "source", p.pair().sourceId(),
            "destination", p.pair().destinationId()
        };
    }
}
