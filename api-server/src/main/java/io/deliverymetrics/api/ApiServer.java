package io.deliverymetrics.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.auth.Authenticator;
import io.deliverymetrics.api.auth.CachingTokenLookup;
import io.deliverymetrics.api.auth.TokenBucketLimiter;
import io.deliverymetrics.api.cli.TokenCli;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.http.DashboardRoutes;
import io.deliverymetrics.api.http.HealthRoutes;
import io.deliverymetrics.api.http.Json;
import io.deliverymetrics.api.http.MetricsRoutes;
import io.deliverymetrics.api.http.OpenApiRoute;
import io.deliverymetrics.api.http.OpenMetricsRoute;
import io.deliverymetrics.api.http.ProblemErrorHandler;
import io.deliverymetrics.api.http.Problems;
import io.deliverymetrics.api.http.RequestGuard;
import io.deliverymetrics.api.http.RequestMetrics;
import io.deliverymetrics.api.http.WhoAmIRoute;
import io.deliverymetrics.api.internal.JdbcLastMinuteStore;
import io.deliverymetrics.api.internal.JdbcMetricStore;
import io.deliverymetrics.api.internal.Pools;
import io.deliverymetrics.api.internal.ShardPools;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.api.query.LastMinuteExport;
import io.deliverymetrics.api.query.MetricsService;
import io.deliverymetrics.api.query.QueryParser;
import io.deliverymetrics.api.query.TierResolver;
import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.sql.Migrator;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API server: Javalin over one HikariCP pool per shard and plain JDBC.
 *
 * <p>{@link #create} builds the whole app from a config without starting it, so tests run the very
 * server that {@link #main} runs, on a random port. {@code main} loads the config, migrates the
 * databases, builds and starts; {@code main token …} is the token CLI.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /** A registered route: HTTP method and path template. */
    public record Route(String method, String path) {}

    private final ApiConfig config;
    private final Javalin app;
    private final ShardPools shards;
    private final Optional<HikariDataSource> control;
    private final List<Route> routes;

    private ApiServer(
            ApiConfig config,
            Javalin app,
            ShardPools shards,
            Optional<HikariDataSource> control,
            List<Route> routes) {
        this.config = config;
        this.app = app;
        this.shards = shards;
        this.control = control;
        this.routes = routes;
    }

    /** Builds the server with the system clock, logging each request at DEBUG. */
    public static ApiServer create(ApiConfig config) {
        return create(
                config,
                Clock.systemUTC(),
                (method, route, status, millis) ->
                        LOG.debug("{} {} -> {} in {} ms", method, route, status, millis));
    }

    /**
     * Builds the server; nothing listens until {@link #start()}.
     *
     * @param clock the time queries are relative to (defaults, retention, rate-limit refills)
     * @param listener told about every finished request
     */
    public static ApiServer create(ApiConfig config, Clock clock, RequestListener listener) {
        ObjectMapper mapper = Json.mapper();
        ShardPools shards = new ShardPools(config.shards(), config.pool());
        Optional<HikariDataSource> control = controlPool(config);
        MetricsService service =
                new MetricsService(
                        new JdbcMetricStore(
                                shards, config.pipelineName(), config.query().progressMaxAge()),
                        new TierResolver(config.tiers()),
                        config.query().maxPagePoints());
        QueryParser parser =
                new QueryParser(config.query(), config.tiers().retention(Granularity.DAY));
        RequestGuard guard = guard(config, control, clock);
        MetricsRoutes metrics = new MetricsRoutes(service, parser, guard, mapper, clock);
        WhoAmIRoute whoAmI = new WhoAmIRoute(guard, mapper);
        HealthRoutes health = new HealthRoutes(dependencies(shards, control), mapper);
        OpenApiRoute openApi = new OpenApiRoute();
        RequestMetrics requestMetrics = new RequestMetrics();
        OpenMetricsRoute openMetrics =
                new OpenMetricsRoute(
                        new LastMinuteExport(
                                new JdbcLastMinuteStore(shards, config.pipelineName()),
                                config.metrics().maxPairs()),
                        requestMetrics,
                        guard,
                        config.metrics().requireToken());
        DashboardRoutes dashboard = new DashboardRoutes(config, mapper, clock);

        List<Route> routes = new CopyOnWriteArrayList<>();
        Javalin app =
                Javalin.create(
                        cfg -> {
                            cfg.showJavalinBanner = false;
                            cfg.startupWatcherEnabled = false;
                            cfg.http.defaultContentType = "application/json";
                            cfg.jetty.modifyServer(
                                    server ->
                                            server.setErrorHandler(
                                                    new ProblemErrorHandler(mapper)));
                            cfg.events.handlerAdded(
                                    meta ->
                                            routes.add(
                                                    new Route(
                                                            meta.getHttpMethod().name(),
                                                            meta.getPath())));
                            cfg.requestLogger.http(
                                    (ctx, millis) -> {
                                        String route = matchedRoute(ctx);
                                        String method = ctx.method().name();
                                        requestMetrics.onRequest(
                                                method, route, ctx.statusCode(), millis);
                                        listener.onRequest(method, route, ctx.statusCode(), millis);
                                    });
                            if (config.dashboard().enabled()) {
                                DashboardRoutes.staticFiles(cfg);
                            }
                            cfg.router.mount(
                                    router -> {
                                        metrics.register(router);
                                        whoAmI.register(router);
                                        health.register(router);
                                        openApi.register(router);
                                        if (config.metrics().enabled()) {
                                            openMetrics.register(router);
                                        }
                                        if (config.dashboard().enabled()) {
                                            dashboard.register(router);
                                        }
                                    });
                        });
        new Problems(mapper).register(app);
        return new ApiServer(config, app, shards, control, routes);
    }

    /** The token database's pool; none when auth is disabled. */
    private static Optional<HikariDataSource> controlPool(ApiConfig config) {
        if (!config.auth().enabled()) {
            return Optional.empty();
        }
        return config.control()
                .map(
                        c ->
                                Pools.create(
                                        "control",
                                        c.jdbcUrl(),
                                        c.user(),
                                        c.password(),
                                        config.pool(),
                                        false));
    }

    private static RequestGuard guard(
            ApiConfig config, Optional<HikariDataSource> control, Clock clock) {
        Optional<Authenticator> authenticator =
                control.map(
                        ds ->
                                new Authenticator(
                                        new CachingTokenLookup(
                                                new TokenStore(ds, new SecureRandom()),
                                                config.auth().tokenCacheMaxAge(),
                                                System::nanoTime)));
        Optional<TokenBucketLimiter> limiter =
                config.rateLimit().enabled()
                        ? Optional.of(
                                new TokenBucketLimiter(
                                        config.rateLimit().burst(),
                                        config.rateLimit().requestsPerMinute(),
                                        clock))
                        : Optional.empty();
        return new RequestGuard(authenticator, limiter);
    }

    /** What /readyz checks: every shard, and the control database when auth needs it. */
    private static List<HealthRoutes.Dependency> dependencies(
            ShardPools shards, Optional<HikariDataSource> control) {
        List<HealthRoutes.Dependency> out = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            HikariDataSource pool = shards.pool(i);
            out.add(new HealthRoutes.Dependency("shard-" + i, () -> Pools.reachable(pool)));
        }
        control.ifPresent(
                ds -> out.add(new HealthRoutes.Dependency("control", () -> Pools.reachable(ds))));
        return out;
    }

    private static String matchedRoute(Context ctx) {
        // Without a matching endpoint the context never left the before phase.
        return ctx.handlerType().isHttpMethod() ? ctx.endpointHandlerPath() : null;
    }

    /** Starts listening on the configured host and port (0 = a free port). */
    public ApiServer start() {
        app.start(config.server().host(), config.server().port());
        LOG.info("Delivery Metrics API listening on port {}", app.port());
        return this;
    }

    /** The port the server listens on, once started. */
    public int port() {
        return app.port();
    }

    /** Every registered route, as Javalin reported it. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Stops the server and closes every pool. */
    @Override
    public void close() {
        app.stop();
        shards.close();
        control.ifPresent(HikariDataSource::close);
    }

    /**
     * {@code [serve] [--config FILE] [--key=value …]} runs the server; {@code token create|revoke|
     * list …} manages API tokens.
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("token")) {
            System.exit(TokenCli.run(tail(args), System.getenv(), System.out, System.err));
        }
        String[] rest = args.length > 0 && args[0].equals("serve") ? tail(args) : args;
        ApiConfig config;
        try {
            config = ApiConfig.load(System.getenv(), rest);
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (config.server().migrateOnStart()) {
            Migrator.migrateShards(config.shards());
            config.control()
                    .ifPresent(c -> Migrator.migrateControl(c.jdbcUrl(), c.user(), c.password()));
        }
        ApiServer server = create(config).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "api-server-shutdown"));
    }

    private static String[] tail(String[] args) {
        String[] out = new String[args.length - 1];
        System.arraycopy(args, 1, out, 0, out.length);
        return out;
    }
}
