package io.deliverymetrics.api.metrics;

import io.deliverymetrics.api.RequestListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.time.Duration;

/**
 * The API server's process metrics on Micrometer's Prometheus registry: requests, authentication,
 * query budgets and the JVM. The operator exposition is this registry's scrape, to which the
 * delivery series of every workspace are added as a collector.
 */
public final class ApiMetrics implements RequestListener, AutoCloseable {

    /**
     * Name of the request timer; exposed as {@code delivery_metrics_api_request_duration_seconds}.
     */
    public static final String REQUEST_DURATION = "delivery.metrics.api.request.duration";

    /** Route label of requests no route matched (unknown paths, and the dashboard's files). */
    public static final String UNMATCHED = "unmatched";

    private static final Duration[] REQUEST_BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

    public ApiMetrics() {
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
    }

    /** Where the server's components register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Adds series computed at scrape time (the delivery series) to the operator exposition. */
    public void register(MultiCollector collector) {
        registry.getPrometheusRegistry().register(collector);
    }

    /** The operator exposition in the format {@code accept} asks for. */
    public Exposition scrape(String accept) {
        return Exposition.of(registry.getPrometheusRegistry().scrape(), accept);
    }

    @Override
    public void onRequest(String method, String route, int status, double millis) {
        // Labels use the route template, never the raw path: the series are bounded by the routes.
        Timer.builder(REQUEST_DURATION)
                .description(
                        "Time the API server spent on requests, by method, route template and"
                                + " status.")
                .serviceLevelObjectives(REQUEST_BUCKETS)
                .tag("method", method)
                .tag("route", route == null ? UNMATCHED : route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(Duration.ofNanos((long) (Math.max(0, millis) * 1_000_000)));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
