package io.deliverymetrics.api.config;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.config.ConfigLoader;
import io.deliverymetrics.core.config.Settings;
import io.deliverymetrics.core.shard.ShardMap;
import io.deliverymetrics.core.status.StatusThresholds;
import io.deliverymetrics.core.time.TierPolicy;
import io.deliverymetrics.sql.GlobalDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The API server's typed, validated configuration, built from {@link Settings} over the bundled
 * defaults in {@value #DEFAULTS_RESOURCE}.
 *
 * @param shards the shard databases, routed with the same {@code core} router as the job
 * @param control the control database holding API tokens; empty only when auth is disabled
 * @param global the global database (roll-ups per destination type over all workspaces), {@code
 *     global.*}; by default {@value GlobalDatabase#DEFAULT_DATABASE} beside shard 0
 * @param pipelineName the speed-layer pipeline whose progress marks complete minutes
 * @param tiers retention per tier and the point cap
 */
public record ApiConfig(
        Server server,
        ShardMap shards,
        Optional<Database> control,
        Database global,
        Pool pool,
        String pipelineName,
        TierPolicy tiers,
        Query query,
        Auth auth,
        RateLimit rateLimit,
        Metrics metrics,
        Admin admin,
        Dashboard dashboard,
        Status status) {

    /** Classpath resource with every key and its default. */
    public static final String DEFAULTS_RESOURCE = "/delivery-metrics-api.yaml";

    public ApiConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(shards, "shards");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(global, "global");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(pipelineName, "pipelineName");
        Objects.requireNonNull(tiers, "tiers");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(dashboard, "dashboard");
        Objects.requireNonNull(status, "status");
        if (auth.enabled() && control.isEmpty()) {
            throw new ConfigException(
                    "auth.enabled is true but control.jdbc-url is not set: tokens live in the"
                            + " control database");
        }
    }

    /** Where and how the HTTP server listens. */
    public record Server(String host, int port, boolean migrateOnStart) {
        public Server {
            Objects.requireNonNull(host, "host");
            check(port >= 0 && port <= 65_535, "server.port must be in 0..65535, was " + port);
        }
    }

    /** A database to connect to. */
    public record Database(String jdbcUrl, String user, String password) {
        public Database {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            check(jdbcUrl.startsWith("jdbc:"), "control.jdbc-url must start with jdbc:");
            Objects.requireNonNull(user, "user");
            password = password == null ? "" : password;
        }

        @Override
        public String toString() {
            return "Database[jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
        }
    }

    /** Connection pool sizing, per shard. */
    public record Pool(int maxSize, Duration connectionTimeout) {
        public Pool {
            check(
                    maxSize >= 1 && maxSize <= 500,
                    "pool.max-size must be in 1..500, was " + maxSize);
            check(
                    connectionTimeout.toMillis() >= 250,
                    "pool.connection-timeout must be at least 250ms, was " + connectionTimeout);
        }
    }

    /**
     * Query defaults and limits.
     *
     * @param maxPagePoints most points (series × buckets) one page of series may hold; pages shrink
     *     below {@code limit} to stay within it
     * @param parallelPerWorkspace how many of one workspace's admitted queries work at the same
     *     moment; the others wait their turn (see {@code QueryBudget})
     * @param rowsPerSecondPerWorkspace the average rate at which one workspace's queries read tier
     *     rows; faster reading is paced (see {@code QueryBudget})
     */
    public record Query(
            Duration defaultRange,
            Duration maxFuture,
            int defaultPageSize,
            int maxPageSize,
            int maxPagePoints,
            Duration progressMaxAge,
            int maxConcurrentPerWorkspace,
            int parallelPerWorkspace,
            int maxResponseBytes,
            int rowsPerSecondPerWorkspace) {
        public Query {
            check(
                    !defaultRange.isNegative() && !defaultRange.isZero(),
                    "query.default-range must be positive, was " + defaultRange);
            check(!maxFuture.isNegative(), "query.max-future must not be negative");
            check(
                    maxPageSize >= 1 && maxPageSize <= 10_000,
                    "query.max-page-size must be in 1..10000, was " + maxPageSize);
            check(
                    defaultPageSize >= 1 && defaultPageSize <= maxPageSize,
                    "query.default-page-size must be in 1..query.max-page-size, was "
                            + defaultPageSize);
            check(
                    maxPagePoints >= 1,
                    "query.max-page-points must be positive, was " + maxPagePoints);
            check(
                    !progressMaxAge.isNegative(),
                    "query.progress-max-age must not be negative, was " + progressMaxAge);
            check(
                    maxConcurrentPerWorkspace >= 1,
                    "query.max-concurrent-per-workspace must be positive, was "
                            + maxConcurrentPerWorkspace);
            check(
                    parallelPerWorkspace >= 1,
                    "query.parallel-per-workspace must be positive, was " + parallelPerWorkspace);
            check(
                    maxResponseBytes >= 1024,
                    "query.max-response-bytes must be at least 1024, was " + maxResponseBytes);
            check(
                    rowsPerSecondPerWorkspace >= 1,
                    "query.rows-per-second-per-workspace must be positive, was "
                            + rowsPerSecondPerWorkspace);
        }
    }

    /**
     * Bearer-token authentication; disable only for a local quickstart.
     *
     * @param tokenCacheMaxAge how long a found token is reused before it is looked up again (a
     *     revocation takes effect within it), and how long an unknown token id is refused without a
     *     lookup; zero looks every request up
     * @param failureBurst failed authentications one client address may make at once before its
     *     requests are refused with 429 without a lookup
     * @param failuresPerMinute sustained rate at which an address earns failed attempts back
     */
    public record Auth(
            boolean enabled, Duration tokenCacheMaxAge, int failureBurst, int failuresPerMinute) {
        public Auth {
            check(
                    !tokenCacheMaxAge.isNegative(),
                    "auth.token-cache-max-age must not be negative, was " + tokenCacheMaxAge);
            check(failureBurst >= 1, "auth.failure-burst must be positive, was " + failureBurst);
            check(
                    failuresPerMinute >= 1,
                    "auth.failures-per-minute must be positive, was " + failuresPerMinute);
        }
    }

    /** Per-token token-bucket rate limit. */
    public record RateLimit(boolean enabled, int burst, int requestsPerMinute) {
        public RateLimit {
            check(burst >= 1, "rate-limit.burst must be positive, was " + burst);
            check(
                    requestsPerMinute >= 1,
                    "rate-limit.requests-per-minute must be positive, was " + requestsPerMinute);
        }
    }

    /**
     * The metrics expositions: a workspace's own series at {@code /v1/workspaces/{ws}/metrics} (its
     * token), every workspace and the process on the admin listener's {@code /metrics}.
     *
     * @param enabled serve the delivery series at all (the admin listener keeps the process's)
     * @param maxPairs most (workspace, source, destination) pairs one scrape exports
     */
    public record Metrics(boolean enabled, int maxPairs) {
        public Metrics {
            check(
                    maxPairs >= 1 && maxPairs <= 1_000_000,
                    "metrics.max-pairs must be in 1..1000000, was " + maxPairs);
        }
    }

    /**
     * The operator listener: {@code /metrics} of every workspace plus the process's own metrics,
     * {@code /healthz} and {@code /readyz}. Loopback by default, so only the host (an Agent or a
     * Prometheus beside the server) reaches it; it has no authentication of its own.
     *
     * @param enabled open the admin listener at all
     * @param port 0 picks a free port
     */
    public record Admin(boolean enabled, String host, int port) {
        public Admin {
            Objects.requireNonNull(host, "host");
            check(port >= 0 && port <= 65_535, "admin.port must be in 0..65535, was " + port);
        }
    }

    /**
     * The built-in dashboard at {@code /}.
     *
     * @param enabled serve the dashboard and {@code /dashboard-config}
     * @param successRateThreshold pairs below this success rate are highlighted
     * @param latencyP95Threshold pairs whose p95 latency is above this are highlighted
     * @param refreshInterval how often the page reloads a range that ends now
     */
    public record Dashboard(
            boolean enabled,
            double successRateThreshold,
            Duration latencyP95Threshold,
            Duration refreshInterval) {
        public Dashboard {
            check(
                    refreshInterval.toMillis() >= 1_000,
                    "dashboard.refresh-interval must be at least 1s, was " + refreshInterval);
            check(
                    successRateThreshold >= 0 && successRateThreshold <= 1,
                    "dashboard.success-rate-threshold must be in 0..1, was "
                            + successRateThreshold);
            check(
                    latencyP95Threshold.toMillis() >= 1,
                    "dashboard.latency-p95-threshold must be at least 1ms, was "
                            + latencyP95Threshold);
        }
    }

    /**
     * The destination-status endpoints ({@code GET /v1/destinations} for operators, the public
     * {@code GET /v1/status}).
     *
     * @param thresholds the classifier's rules, {@code status.window}, {@code status.min-attempts},
     *     … (see {@link StatusThresholds})
     * @param horizon the minutes evaluated, ending at the global database's {@code
     *     complete_through}: a status that held for all of them started at the horizon or before
     * @param baseline the period before the horizon whose hour rows make each type's baseline
     * @param publicMinWorkspaces contributing workspaces a type needs in the status window to be
     *     shown by the public view at all
     * @param cacheMaxAge how long a computed answer is served without asking the database; after
     *     it, one read of the progress decides whether the answer is computed again (only when
     *     {@code complete_through} moved)
     */
    public record Status(
            StatusThresholds thresholds,
            Duration horizon,
            Duration baseline,
            int publicMinWorkspaces,
            Duration cacheMaxAge) {
        public Status {
            Objects.requireNonNull(thresholds, "thresholds");
            check(
                    horizon.toMinutes() >= 1
                            && horizon.equals(Duration.ofMinutes(horizon.toMinutes()))
                            && horizon.compareTo(Duration.ofDays(1)) <= 0,
                    "status.horizon must be whole minutes from 1m to 1d, was " + horizon);
            check(
                    baseline.toHours() >= 1
                            && baseline.equals(Duration.ofHours(baseline.toHours()))
                            && baseline.compareTo(Duration.ofDays(7)) <= 0,
                    "status.baseline must be whole hours from 1h to 7d, was " + baseline);
            check(
                    publicMinWorkspaces >= 2,
                    "status.public-min-workspaces must be at least 2, was " + publicMinWorkspaces);
            check(
                    !cacheMaxAge.isNegative() && cacheMaxAge.compareTo(Duration.ofMinutes(5)) <= 0,
                    "status.cache-max-age must be in 0s..5m, was " + cacheMaxAge);
        }
    }

    /** Defaults, then {@code --config FILE} or {@code DM_CONFIG}, then env, then arguments. */
    public static ApiConfig load(Map<String, String> environment, String... args) {
        return from(
                ConfigLoader.create()
                        .withDefaultsResource(ApiConfig.class, DEFAULTS_RESOURCE)
                        .withEnvironment(environment)
                        .withArgs(args)
                        .load());
    }

    /** The bundled defaults with {@code overrides} on top; for tests and embedding. */
    public static ApiConfig withOverrides(Map<String, String> overrides) {
        return from(
                ConfigLoader.create()
                        .withDefaultsResource(ApiConfig.class, DEFAULTS_RESOURCE)
                        .withOverrides(overrides)
                        .load());
    }

    /** Builds and validates the configuration; every problem is a {@link ConfigException}. */
    public static ApiConfig from(Settings s) {
        try {
            Optional<Database> control =
                    s.optional("control.jdbc-url")
                            .map(
                                    url ->
                                            new Database(
                                                    url,
                                                    s.string("control.user", "root"),
                                                    s.string("control.password", "")));
            ShardMap shards = ShardMap.fromSettings(s);
            GlobalDatabase g = GlobalDatabase.fromSettings(s, shards);
            check(g.jdbcUrl().startsWith("jdbc:"), "global.jdbc-url must start with jdbc:");
            TierPolicy tiers =
                    new TierPolicy(
                            s.duration("retention.minute"),
                            s.duration("retention.hour"),
                            s.duration("retention.day"),
                            s.integer("query.max-points"));
            return new ApiConfig(
                    new Server(
                            s.string("server.host"),
                            s.integer("server.port"),
                            s.bool("server.migrate-on-start", true)),
                    shards,
                    control,
                    new Database(g.jdbcUrl(), g.user(), g.password()),
                    new Pool(s.integer("pool.max-size"), s.duration("pool.connection-timeout")),
                    s.string("pipeline-name"),
                    tiers,
                    new Query(
                            s.duration("query.default-range"),
                            s.duration("query.max-future"),
                            s.integer("query.default-page-size"),
                            s.integer("query.max-page-size"),
                            s.integer("query.max-page-points"),
                            s.duration("query.progress-max-age"),
                            s.integer("query.max-concurrent-per-workspace"),
                            s.integer("query.parallel-per-workspace"),
                            s.integer("query.max-response-bytes"),
                            s.integer("query.rows-per-second-per-workspace")),
                    new Auth(
                            s.bool("auth.enabled", true),
                            s.duration("auth.token-cache-max-age"),
                            s.integer("auth.failure-burst"),
                            s.integer("auth.failures-per-minute")),
                    new RateLimit(
                            s.bool("rate-limit.enabled", true),
                            s.integer("rate-limit.burst"),
                            s.integer("rate-limit.requests-per-minute")),
                    new Metrics(s.bool("metrics.enabled", true), s.integer("metrics.max-pairs")),
                    new Admin(
                            s.bool("admin.enabled", true),
                            s.string("admin.host"),
                            s.integer("admin.port")),
                    new Dashboard(
                            s.bool("dashboard.enabled", true),
                            s.decimal("dashboard.success-rate-threshold", 0.99),
                            s.duration("dashboard.latency-p95-threshold"),
                            s.duration("dashboard.refresh-interval")),
                    new Status(
                            StatusThresholds.fromSettings(s),
                            s.duration("status.horizon"),
                            s.duration("status.baseline"),
                            s.integer("status.public-min-workspaces"),
                            s.duration("status.cache-max-age")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new ConfigException(message);
        }
    }
}
