package io.deliverymetrics.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.auth.Authenticator;
import io.deliverymetrics.api.auth.CachingTokenLookup;
import io.deliverymetrics.api.auth.TokenBucketLimiter;
import io.deliverymetrics.api.cli.GoalCli;
import io.deliverymetrics.api.cli.TokenCli;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.goals.GoalEvaluator;
import io.deliverymetrics.api.goals.GoalParser;
import io.deliverymetrics.api.http.DashboardRoutes;
import io.deliverymetrics.api.http.GoalRoutes;
import io.deliverymetrics.api.http.HealthRoutes;
import io.deliverymetrics.api.http.Json;
import io.deliverymetrics.api.http.MetricsExpositionRoutes;
import io.deliverymetrics.api.http.MetricsRoutes;
import io.deliverymetrics.api.http.OpenApiRoute;
import io.deliverymetrics.api.http.ProblemErrorHandler;
import io.deliverymetrics.api.http.Problems;
import io.deliverymetrics.api.http.QueryBudget;
import io.deliverymetrics.api.http.RequestGuard;
import io.deliverymetrics.api.http.StatusRoutes;
import io.deliverymetrics.api.http.WhoAmIRoute;
import io.deliverymetrics.api.internal.GoalStore;
import io.deliverymetrics.api.internal.JdbcGlobalReader;
import io.deliverymetrics.api.internal.JdbcMetricStore;
import io.deliverymetrics.api.internal.JdbcTotalsStore;
import io.deliverymetrics.api.internal.Pools;
import io.deliverymetrics.api.internal.ShardPools;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.api.metrics.ApiMetrics;
import io.deliverymetrics.api.query.MetricsService;
import io.deliverymetrics.api.query.QueryParser;
import io.deliverymetrics.api.query.TierResolver;
import io.deliverymetrics.api.query.TotalsExport;
import io.deliverymetrics.api.status.DestinationMetricsService;
import io.deliverymetrics.api.status.DestinationStatusService;
import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.sql.GlobalDatabase;
import io.deliverymetrics.sql.Migrator;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API server: Javalin over one HikariCP pool per shard and plain JDBC, with a second,
 * operator-only listener (loopback by default) for the exposition of every workspace and the
 * process.
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
    private final Optional<Javalin> admin;
    private final ShardPools shards;
    private final Optional<HikariDataSource> control;
    private final HikariDataSource global;
    private final ApiMetrics metrics;
    private final List<Route> routes;

    private ApiServer(
            ApiConfig config,
            Javalin app,
            Optional<Javalin> admin,
            ShardPools shards,
            Optional<HikariDataSource> control,
            HikariDataSource global,
            ApiMetrics metrics,
            List<Route> routes) {
        this.config = config;
        this.app = app;
        this.admin = admin;
        this.shards = shards;
        this.control = control;
        this.global = global;
        this.metrics = metrics;
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
        return create(config, clock, listener, System::nanoTime);
    }

    /**
     * As above, with the monotonic clock that ages the server's caches (the token cache and the
     * destination status): {@code System::nanoTime} but in tests that move it.
     */
    public static ApiServer create(
            ApiConfig config, Clock clock, RequestListener listener, LongSupplier nanoTime) {
        ObjectMapper mapper = Json.mapper();
        ApiMetrics apiMetrics = new ApiMetrics();
        ShardPools shards = new ShardPools(config.shards(), config.pool());
        Optional<HikariDataSource> control = controlPool(config);
        HikariDataSource global =
                Pools.create(
                        "global",
                        config.global().jdbcUrl(),
                        config.global().user(),
                        config.global().password(),
                        config.pool(),
                        true);
        TierResolver tiers = new TierResolver(config.tiers());
        MetricsService service =
                new MetricsService(
                        new JdbcMetricStore(
                                shards, config.pipelineName(), config.query().progressMaxAge()),
                        tiers,
                        config.query().maxPagePoints());
        QueryParser parser =
                new QueryParser(config.query(), config.tiers().retention(Granularity.DAY));
        RequestGuard guard = guard(config, control, clock, nanoTime, apiMetrics);
        QueryBudget budget =
                new QueryBudget(
                        config.query().maxConcurrentPerWorkspace(),
                        config.query().parallelPerWorkspace(),
                        config.query().rowsPerSecondPerWorkspace(),
                        apiMetrics.registry());
        JdbcGlobalReader globalReader =
                new JdbcGlobalReader(global, config.pipelineName(), apiMetrics.registry());
        StatusRoutes destinationStatus =
                new StatusRoutes(
                        new DestinationStatusService(
                                globalReader, config.status(), clock, nanoTime),
                        new DestinationMetricsService(globalReader, tiers),
                        parser,
                        budget,
                        guard,
                        mapper,
                        clock,
                        config.status().publicMinWorkspaces());
        MetricsRoutes metrics =
                new MetricsRoutes(
                        service,
                        destinationStatus,
                        parser,
                        guard,
                        mapper,
                        clock,
                        budget,
                        config.query().maxResponseBytes());
        WhoAmIRoute whoAmI = new WhoAmIRoute(guard, mapper);
        HealthRoutes health = new HealthRoutes(dependencies(shards, control), mapper);
        OpenApiRoute openApi = new OpenApiRoute();
        JdbcTotalsStore totals = new JdbcTotalsStore(shards, config.pipelineName());
        MetricsExpositionRoutes exposition =
                new MetricsExpositionRoutes(
                        new TotalsExport(totals, config.metrics().maxPairs()),
                        apiMetrics,
                        guard,
                        budget);
        if (config.metrics().enabled()) {
            exposition.addDeliverySeriesToOperatorExposition();
        }
        GoalRoutes goals =
                new GoalRoutes(
                        control.map(GoalStore::new),
                        new GoalParser(config.tiers().retention(Granularity.DAY), totals::hasPair),
                        new GoalEvaluator(service),
                        guard,
                        budget,
                        mapper,
                        clock);
        DashboardRoutes dashboard = new DashboardRoutes(config, mapper, clock);

        List<Route> routes = new CopyOnWriteArrayList<>();
        Javalin app =
                javalin(
                        mapper,
                        routes,
                        (method, route, status, millis) -> {
                            apiMetrics.onRequest(method, route, status, millis);
                            listener.onRequest(method, route, status, millis);
                        },
                        cfg -> {
                            if (config.dashboard().enabled()) {
                                DashboardRoutes.staticFiles(cfg);
                            }
                        },
                        router -> {
                            metrics.register(router);
                            goals.register(router);
                            whoAmI.register(router);
                            destinationStatus.register(router);
                            health.register(router);
                            openApi.register(router);
                            if (config.metrics().enabled()) {
                                exposition.registerWorkspace(router);
                            }
                            if (config.dashboard().enabled()) {
                                dashboard.register(router);
                            }
                        });
        Optional<Javalin> admin =
                config.admin().enabled()
                        ? Optional.of(
                                javalin(
                                        mapper,
                                        new CopyOnWriteArrayList<>(),
                                        apiMetrics,
                                        cfg -> {},
                                        router -> {
                                            exposition.registerAdmin(router);
                                            health.register(router);
                                        }))
                        : Optional.empty();
        return new ApiServer(config, app, admin, shards, control, global, apiMetrics, routes);
    }

    /** One listener: problem+json errors, request metrics, security headers, the given routes. */
    private static Javalin javalin(
            ObjectMapper mapper,
            List<Route> routes,
            RequestListener listener,
            Consumer<JavalinConfig> extra,
            Consumer<JavalinDefaultRouting> register) {
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
                                    meta -> {
                                        // Endpoints only: before-handlers are not routes.
                                        if (meta.getHttpMethod().isHttpMethod()) {
                                            routes.add(
                                                    new Route(
                                                            meta.getHttpMethod().name(),
                                                            meta.getPath()));
                                        }
                                    });
                            cfg.requestLogger.http(
                                    (ctx, millis) ->
                                            listener.onRequest(
                                                    ctx.method().name(),
                                                    matchedRoute(ctx),
                                                    ctx.statusCode(),
                                                    millis));
                            extra.accept(cfg);
                            cfg.router.mount(
                                    router -> {
                                        router.before(ApiServer::securityHeaders);
                                        register.accept(router);
                                    });
                        });
        new Problems(mapper).register(app);
        return app;
    }

    /** Headers every answer carries: no content sniffing, no referrer leaks. */
    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
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
            ApiConfig config,
            Optional<HikariDataSource> control,
            Clock clock,
            LongSupplier nanoTime,
            ApiMetrics metrics) {
        Optional<Authenticator> authenticator =
                control.map(
                        ds ->
                                new Authenticator(
                                        new CachingTokenLookup(
                                                new TokenStore(ds, new SecureRandom()),
                                                config.auth().tokenCacheMaxAge(),
                                                nanoTime,
                                                metrics.registry()),
                                        new TokenBucketLimiter(
                                                config.auth().failureBurst(),
                                                config.auth().failuresPerMinute(),
                                                clock),
                                        metrics.registry()));
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

    /**
     * What /readyz checks: every shard, and the control database when auth needs it. Not the global
     * database: without it only the destination status fails (503), and a server that can answer
     * every workspace should stay in its load balancer's rotation.
     */
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

    /**
     * Starts listening on the configured hosts and ports (0 = a free port): the public listener,
     * and the admin listener when enabled.
     */
    public ApiServer start() {
        app.start(config.server().host(), config.server().port());
        LOG.info("Delivery Metrics API listening on port {}", app.port());
        admin.ifPresent(
                a -> {
                    a.start(config.admin().host(), config.admin().port());
                    LOG.info(
                            "Admin listener (operator /metrics, health) on {}:{}",
                            config.admin().host(),
                            a.port());
                });
        return this;
    }

    /** The port the server listens on, once started. */
    public int port() {
        return app.port();
    }

    /** The admin listener's port, once started; empty when it is disabled. */
    public Optional<Integer> adminPort() {
        return admin.map(Javalin::port);
    }

    /** Every registered route, as Javalin reported it. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Stops the server and closes every pool. */
    @Override
    public void close() {
        app.stop();
        admin.ifPresent(Javalin::stop);
        metrics.close();
        shards.close();
        global.close();
        control.ifPresent(HikariDataSource::close);
    }

    /**
     * {@code [serve] [--config FILE] [--key=value …]} runs the server; {@code token create|revoke|
     * list …} manages API tokens, {@code goal set|list|delete …} delivery goals.
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("token")) {
            System.exit(TokenCli.run(tail(args), System.getenv(), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("goal")) {
            System.exit(GoalCli.run(tail(args), System.getenv(), System.out, System.err));
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
            Migrator.migrateGlobal(
                    new GlobalDatabase(
                            config.global().jdbcUrl(),
                            config.global().user(),
                            config.global().password()));
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
