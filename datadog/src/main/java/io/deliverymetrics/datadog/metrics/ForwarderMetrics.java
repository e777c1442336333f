package io.deliverymetrics.datadog.metrics;

import io.deliverymetrics.datadog.forward.ForwarderStats;
import io.deliverymetrics.datadog.forward.ForwarderStats.RetryCause;
import io.deliverymetrics.datadog.forward.ForwarderStats.Submission;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The forwarder's process metrics on Micrometer's Prometheus registry, named {@value #PREFIX}*
 * ({@code delivery_metrics_forwarder_*} in Prometheus): what {@link ForwarderStats} counted, how
 * far behind the API the forwarder is, when Datadog last accepted a request, and the JVM. No meter
 * is tagged by workspace, so the series do not grow with the configuration.
 */
public final class ForwarderMetrics implements AutoCloseable {

    /** Prefix of every meter of this process. */
    public static final String PREFIX = "delivery.metrics.forwarder.";

    /** The media type of {@link #scrape()}: the Prometheus text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    // Micrometer holds the object a function meter reads only weakly.
    private final ForwarderStats stats;

    /**
     * @param clock "now" of the lag gauge: the clock the forwarder plans its windows with
     */
    public ForwarderMetrics(ForwarderStats stats, Clock clock) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Two of the processor binder's meters break Prometheus' naming rules (promtool flags a
        // gauge named *_count and a unit spelled "ns"); process_cpu_usage says the same.
        registry.config()
                .meterFilter(
                        MeterFilter.deny(
                                id ->
                                        id.getName().equals("system.cpu.count")
                                                || id.getName().equals("process.cpu.time")));
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.stats = stats;
        bind(stats, clock);
    }

    private void bind(ForwarderStats stats, Clock clock) {
        count(
                stats,
                "polls",
                "Polls of a workspace (a poll deferred by the API's Retry-After is not one)",
                s -> s.snapshot().polls());
        String pollErrors =
                "Polls that failed: kind api = the API answered with an error or not"
                        + " at all, unexpected = anything else (the state file, a bug)";
        count(stats, "poll.errors", pollErrors, s -> s.snapshot().apiErrors(), "kind", "api");
        count(
                stats,
                "poll.errors",
                pollErrors,
                s -> s.snapshot().unexpectedErrors(),
                "kind",
                "unexpected");
        count(
                stats,
                "points.submitted",
                "Points Datadog accepted",
                s -> s.snapshot().pointsSubmitted());
        count(
                stats,
                "points.unchanged",
                "Complete points not sent because Datadog has these values already",
                s -> s.snapshot().pointsUnchanged());
        for (Submission outcome : Submission.values()) {
            count(
                    stats,
                    "submissions",
                    "Submission requests to Datadog, by how they ended after their retries",
                    s -> s.submissions(outcome),
                    "outcome",
                    outcome.label());
        }
        for (RetryCause cause : RetryCause.values()) {
            count(
                    stats,
                    "submission.retries",
                    "Submission attempts tried again, by how the attempt failed",
                    s -> s.retries(cause),
                    "outcome",
                    cause.label());
        }
        count(
                stats,
                "intake.errors",
                "Requests Datadog accepted with errors listed in its answer",
                s -> s.snapshot().intakeErrors());
        count(
                stats,
                "skipped.buckets",
                "Minute buckets further back than poll.max-catch-up, never forwarded (one per"
                        + " workspace and minute)",
                s -> s.snapshot().minutesSkipped());
        seconds(
                stats,
                "lag",
                "Now minus the end of the newest minute forwarded, for the workspace furthest"
                        + " behind (NaN before the first poll)",
                s ->
                        s.oldestForwardedThrough()
                                .map(t -> (clock.millis() - t.toEpochMilli()) / 1000.0));
        seconds(
                stats,
                "last.submission.timestamp",
                "Unix time at which Datadog last accepted a request (NaN until it first did)",
                s -> s.lastSubmission().map(t -> t.toEpochMilli() / 1000.0));
    }

    private void count(
            ForwarderStats stats,
            String name,
            String description,
            ToLongFunction<ForwarderStats> value,
            String... tags) {
        FunctionCounter.builder(PREFIX + name, stats, s -> (double) value.applyAsLong(s))
                .description(description)
                .tags(tags)
                .register(registry);
    }

    private void seconds(
            ForwarderStats stats,
            String name,
            String description,
            Function<ForwarderStats, Optional<Double>> value) {
        Gauge.builder(PREFIX + name, stats, s -> value.apply(s).orElse(Double.NaN))
                .description(description)
                .baseUnit("seconds")
                .register(registry);
    }

    /** Where further meters of the forwarder go. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
