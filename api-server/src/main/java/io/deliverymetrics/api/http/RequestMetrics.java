package io.deliverymetrics.api.http;

import io.deliverymetrics.api.RequestListener;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's own request metrics for {@code /metrics}: one latency histogram per (method, route
 * template, status). Labels use the route template, never the raw path, so the number of series is
 * bounded by the routes and statuses the server has.
 */
public final class RequestMetrics implements RequestListener {

    /** Name of the histogram family. */
    public static final String NAME = "delivery_metrics_api_request_duration_seconds";

    /** Route label of requests no route matched (unknown paths, and the dashboard's files). */
    public static final String UNMATCHED = "unmatched";

    /** Upper bounds of the buckets in seconds; {@code +Inf} follows. */
    static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private record Key(String method, String route, int status) {}

    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
        final DoubleAdder sumSeconds = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            int i = 0;
            while (i < BOUNDS.length && seconds > BOUNDS[i]) {
                i++;
            }
            buckets[i].increment();
            sumSeconds.add(seconds);
        }
    }

    private final Map<Key, Histogram> histograms = new ConcurrentHashMap<>();

    @Override
    public void onRequest(String method, String route, int status, double millis) {
        histograms
                .computeIfAbsent(
                        new Key(method, route == null ? UNMATCHED : route, status),
                        k -> new Histogram())
                .observe(Math.max(0, millis) / 1000.0);
    }

    /** Appends the histogram family to {@code w}. */
    public void writeTo(OpenMetricsWriter w) {
        w.family(
                NAME,
                "histogram",
                "seconds",
                "Time the API server spent on requests, by method, route template and status.");
        List<Map.Entry<Key, Histogram>> entries =
                histograms.entrySet().stream()
                        .sorted(
                                Map.Entry.comparingByKey(
                                        Comparator.comparing(Key::route)
                                                .thenComparing(Key::method)
                                                .thenComparingInt(Key::status)))
                        .toList();
        for (Map.Entry<Key, Histogram> e : entries) {
            Key k = e.getKey();
            String status = Integer.toString(k.status());
            long cumulative = 0;
            for (int i = 0; i < e.getValue().buckets.length; i++) {
                // One read per bucket: +Inf and _count come from the same snapshot, so they agree.
                cumulative += e.getValue().buckets[i].sum();
                String le = i < BOUNDS.length ? Double.toString(BOUNDS[i]) : "+Inf";
                w.sample(
                        NAME + "_bucket",
                        cumulative,
                        "method",
                        k.method(),
                        "route",
                        k.route(),
                        "status",
                        status,
                        "le",
                        le);
            }
            w.sample(
                    NAME + "_count",
                    cumulative,
                    "method",
                    k.method(),
                    "route",
                    k.route(),
                    "status",
                    status);
            w.sample(
                    NAME + "_sum",
                    e.getValue().sumSeconds.sum(),
                    "method",
                    k.method(),
                    "route",
                    k.route(),
                    "status",
                    status);
        }
    }
}
