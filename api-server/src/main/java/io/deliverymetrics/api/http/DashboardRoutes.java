package io.deliverymetrics.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.api.config.ApiConfig;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.JavalinDefaultRouting;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in dashboard: static files (HTML, ES modules, CSS) from the classpath folder {@value
 * #RESOURCES} served at {@code /}, and {@code GET /dashboard-config}, which tells the page whether
 * it needs a token, the server's clock and the highlight thresholds. The page talks to the {@code
 * /v1} API like any other client.
 */
public final class DashboardRoutes {

    /** Path of the configuration endpoint. */
    public static final String CONFIG_PATH = "/dashboard-config";

    /** Classpath folder of the static files. */
    public static final String RESOURCES = "/dashboard";

    // Only this origin's files run; no inline script or style, no framing, no referrer leaks.
    private static final Map<String, String> HEADERS =
            Map.of(
                    "Content-Security-Policy",
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
                            + " form-action 'self'",
                    "X-Content-Type-Options",
                    "nosniff",
                    "Referrer-Policy",
                    "no-referrer",
                    "Cache-Control",
                    "no-cache");

    private final ApiConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;

    public DashboardRoutes(ApiConfig config, ObjectMapper mapper, Clock clock) {
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Serves the static files at {@code /}. */
    public static void staticFiles(JavalinConfig cfg) {
        cfg.staticFiles.add(
                files -> {
                    files.hostedPath = "/";
                    files.directory = RESOURCES;
                    files.location = Location.CLASSPATH;
                    files.headers = HEADERS;
                });
    }

    public void register(JavalinDefaultRouting router) {
        router.get(
                CONFIG_PATH,
                ctx -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("auth_enabled", config.auth().enabled());
                    body.put("server_time", clock.instant().toString());
                    body.put(
                            "refresh_seconds",
                            config.dashboard().refreshInterval().toMillis() / 1000.0);
                    body.put("success_rate_threshold", config.dashboard().successRateThreshold());
                    body.put(
                            "latency_p95_threshold_ms",
                            config.dashboard().latencyP95Threshold().toMillis());
                    body.put("max_points", config.tiers().maxPoints());
                    ctx.header("Cache-Control", "no-store")
                            .contentType("application/json")
                            .result(Json.write(mapper, body));
                });
    }
}
