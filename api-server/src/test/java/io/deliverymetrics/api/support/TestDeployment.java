package io.deliverymetrics.api.support;

import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.ApiServer;
import io.deliverymetrics.api.auth.ApiToken;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.internal.Pools;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.core.exposition.Scrape;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.DestinationTypeRows;
import io.deliverymetrics.sql.DestinationTypes;
import io.deliverymetrics.sql.GlobalDatabase;
import io.deliverymetrics.sql.MetricRows;
import io.deliverymetrics.sql.Migrator;
import io.deliverymetrics.sql.PipelineProgress;
import io.deliverymetrics.sql.TotalsRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A real API server for integration tests: two shard databases and a control database on the shared
 * MariaDB, migrated with the production Migrator, served over real HTTP on a free port with a fixed
 * clock.
 */
public final class TestDeployment implements AutoCloseable {

    /** The fixed time every test server runs at. */
    public static final Instant NOW = Instant.parse("2026-11-26T12:00:42Z");

    private static final AtomicInteger WORKSPACES = new AtomicInteger();

    private static final String REVOKE_TOKEN =
            "UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP(6) WHERE token_id = ?";

    private static final String RESTORE_TOKEN =
            "UPDATE api_tokens SET revoked_at = NULL WHERE token_id = ?";

    private final EmbeddedMariaDb db;
    private final ApiConfig config;
    private final ApiServer server;
    private final ShardRouter router;
    private final HikariDataSource control;
    private final ObservedResponses observed;
    private final HttpClient http;
    private final URI base;
    private final AtomicLong monotonicOffsetNanos;

    private TestDeployment(
            EmbeddedMariaDb db,
            ApiConfig config,
            ApiServer server,
            HikariDataSource control,
            ObservedResponses observed,
            AtomicLong monotonicOffsetNanos) {
        this.monotonicOffsetNanos = monotonicOffsetNanos;
        this.db = db;
        this.config = config;
        this.server = server;
        this.router = new ShardRouter(config.shards());
        this.control = control;
        this.observed = observed;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.base = URI.create("http://127.0.0.1:" + server.port());
    }

    /** Starts a deployment; {@code settings} override the test defaults. */
    public static TestDeployment start(
            EmbeddedMariaDb db,
            UniqueNames names,
            ObservedResponses observed,
            Map<String, String> settings) {
        return start(db, names, observed, settings, true);
    }

    /**
     * Starts a deployment over empty databases that nobody migrated, as a server started with
     * {@code server.migrate-on-start=false} before its operator ran the migrations would be. {@code
     * settings} may point a database elsewhere.
     */
    public static TestDeployment startUnmigrated(
            EmbeddedMariaDb db,
            UniqueNames names,
            ObservedResponses observed,
            Map<String, String> settings) {
        return start(db, names, observed, settings, false);
    }

    private static TestDeployment start(
            EmbeddedMariaDb db,
            UniqueNames names,
            ObservedResponses observed,
            Map<String, String> settings,
            boolean migrate) {
        String shard0 = names.database("api_shard0");
        String shard1 = names.database("api_shard1");
        String controlDb = names.database("api_control");
        String globalDb = names.database("api_global");
        Map<String, String> s = new HashMap<>();
        s.put("server.host", "127.0.0.1");
        s.put("server.port", "0");
        s.put("shards.0.jdbc-url", db.jdbcUrl(shard0));
        s.put("shards.0.user", db.user());
        s.put("shards.1.jdbc-url", db.jdbcUrl(shard1));
        s.put("shards.1.user", db.user());
        s.put("control.jdbc-url", db.jdbcUrl(controlDb));
        s.put("control.user", db.user());
        s.put("global.jdbc-url", db.jdbcUrl(globalDb));
        s.put("global.user", db.user());
        s.put("pool.max-size", "4");
        s.put("pool.connection-timeout", "2s");
        // The tests move pipeline progress between requests and expect the next one to see it.
        s.put("query.progress-max-age", "0s");
        s.put("rate-limit.burst", "100000");
        // The clock is fixed, so an address never earns failed attempts back: tests that send
        // bad tokens on purpose would otherwise throttle each other. AuthFloodITCase sets its own.
        s.put("auth.failure-burst", "100000");
        s.put("admin.port", "0");
        s.putAll(settings);
        ApiConfig config = ApiConfig.withOverrides(s);
        if (migrate) {
            Migrator.migrateShards(config.shards());
            config.control()
                    .ifPresent(c -> Migrator.migrateControl(c.jdbcUrl(), c.user(), c.password()));
            ApiConfig.Database g = config.global();
            Migrator.migrateGlobal(new GlobalDatabase(g.jdbcUrl(), g.user(), g.password()));
        } else {
            for (String database : List.of(shard0, shard1, controlDb, globalDb)) {
                db.createDatabase(database);
            }
        }
        // The monotonic clock runs as the system's does, and a test may move it ahead (cache ages).
        AtomicLong offset = new AtomicLong();
        ApiServer server =
                ApiServer.create(
                                config,
                                Clock.fixed(NOW, ZoneOffset.UTC),
                                observed,
                                () -> System.nanoTime() + offset.get())
                        .start();
        HikariDataSource control =
                Pools.create(
                        "test-control",
                        db.jdbcUrl(controlDb),
                        db.user(),
                        db.password(),
                        new ApiConfig.Pool(2, Duration.ofSeconds(2)),
                        false);
        return new TestDeployment(db, config, server, control, observed, offset);
    }

    /** Moves the server's monotonic clock (which ages its caches) {@code by} ahead. */
    public void advanceMonotonicClock(Duration by) {
        monotonicOffsetNanos.addAndGet(by.toNanos());
    }

    public ApiServer server() {
        return server;
    }

    public ApiConfig config() {
        return config;
    }

    public int shardOf(String workspace) {
        return router.shardOf(workspace);
    }

    /** A workspace id no other test uses, routed to {@code shard}. */
    public String workspaceOnShard(int shard) {
        while (true) {
            String ws = "ws_t" + WORKSPACES.incrementAndGet();
            if (router.shardOf(ws) == shard) {
                return ws;
            }
        }
    }

    /** Writes tier rows with sql's MetricRows, each on its workspace's shard. */
    public void write(Granularity g, List<PairBucket> rows) {
        writeOnShards(rows, r -> r.pair().workspaceId(), (c, list) -> MetricRows.write(c, g, list));
    }

    /** Writes running totals into each pair's shard, as the job does. */
    public void writeTotals(List<TotalsRows.PairTotals> rows) {
        writeOnShards(rows, r -> r.pair().workspaceId(), TotalsRows::write);
    }

    /** Writes destination types into each workspace's shard with sql's DestinationTypes. */
    public void writeDestinationTypes(List<DestinationTypes.Seen> rows) {
        writeOnShards(rows, DestinationTypes.Seen::workspaceId, DestinationTypes::write);
    }

    /** How rows of one shard are written in its transaction. */
    @FunctionalInterface
    private interface ShardWrite<T> {
        void write(Connection c, List<T> rows) throws SQLException;
    }

    private <T> void writeOnShards(
            List<T> rows, Function<T, String> workspaceOf, ShardWrite<T> write) {
        Map<Integer, List<T>> byShard = new HashMap<>();
        for (T r : rows) {
            byShard.computeIfAbsent(shardOf(workspaceOf.apply(r)), k -> new ArrayList<>()).add(r);
        }
        byShard.forEach((shard, list) -> inTransaction(shard, c -> write.write(c, list)));
    }

    /** Sets the shard's compaction progress of {@code tier} (hour or day). */
    public void compactedThrough(int shard, Granularity tier, Instant t) {
        inTransaction(
                shard,
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    """
                                    INSERT INTO compaction_progress
                                        (tier, compacted_through, changes_seen_through)
                                    VALUES (?, ?, CURRENT_TIMESTAMP(6))
                                    ON DUPLICATE KEY UPDATE compacted_through = VALUES(compacted_through)""")) {
                        ps.setString(1, tier.wireName());
                        ps.setObject(2, MetricRows.toDateTime(t));
                        ps.executeUpdate();
                    }
                });
    }

    /** Removes the shard's compaction progress of {@code tier}: nothing counts as compacted. */
    public void clearCompactedThrough(int shard, Granularity tier) {
        inTransaction(
                shard,
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement("DELETE FROM compaction_progress WHERE tier = ?")) {
                        ps.setString(1, tier.wireName());
                        ps.executeUpdate();
                    }
                });
    }

    /**
     * Records the pipeline's progress on {@code shard} as one subtask of parallelism 1: minutes
     * before {@code t} complete and final.
     */
    public void completeThrough(int shard, Instant t) {
        progress(shard, t, t);
    }

    /** Records one subtask's watermark and final-through on {@code shard} (parallelism 1). */
    public void progress(int shard, Instant watermark, Instant finalThrough) {
        inTransaction(
                shard,
                c ->
                        PipelineProgress.write(
                                c, config.pipelineName(), 0, 1, watermark, finalThrough));
    }

    /** A new token for {@code workspace}, stored as the CLI stores it. */
    public String token(String workspace) {
        return new TokenStore(control, new SecureRandom()).create(workspace, "test").value();
    }

    /** A new operator token, stored as the CLI stores it. */
    public String operatorToken() {
        return new TokenStore(control, new SecureRandom()).createOperator("test").value();
    }

    /**
     * Writes global type rows of tier {@code g} with sql's DestinationTypeRows, as the job does.
     */
    public void writeGlobal(Granularity g, List<TypeBucket> rows) {
        inGlobalTransaction(c -> DestinationTypeRows.write(c, g, rows));
    }

    /**
     * Records the pipeline's progress on the global database: minutes before {@code t} complete.
     */
    public void globalCompleteThrough(Instant t) {
        inGlobalTransaction(c -> PipelineProgress.write(c, config.pipelineName(), 0, 1, t, t));
    }

    /** Sets the global database's compaction progress of {@code tier}. */
    public void globalCompactedThrough(Granularity tier, Instant t) {
        inGlobalTransaction(
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    """
                                    INSERT INTO compaction_progress
                                        (tier, compacted_through, changes_seen_through)
                                    VALUES (?, ?, CURRENT_TIMESTAMP(6))
                                    ON DUPLICATE KEY UPDATE compacted_through = VALUES(compacted_through)""")) {
                        ps.setString(1, tier.wireName());
                        ps.setObject(2, MetricRows.toDateTime(t));
                        ps.executeUpdate();
                    }
                });
    }

    /** Runs {@code work} on the global database in one transaction. */
    public void inGlobalTransaction(SqlWork work) {
        try (Connection c =
                java.sql.DriverManager.getConnection(
                        config.global().jdbcUrl(), db.user(), db.password())) {
            c.setAutoCommit(false);
            work.run(c);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("test setup failed on the global database", e);
        }
    }

    /**
     * Revokes {@code token} ({@code revoked = true}) or makes it valid again, straight in the
     * control database. The CLI only revokes; a test that fails a client on purpose for a while
     * needs the way back too. A server sees it once its cached copy is older than {@code
     * auth.token-cache-max-age}.
     */
    public void setRevoked(String token, boolean revoked) {
        String id =
                ApiToken.parse(token)
                        .orElseThrow(() -> new IllegalArgumentException("not a token"))
                        .id();
        try (Connection c = control.getConnection();
                PreparedStatement ps = c.prepareStatement(revoked ? REVOKE_TOKEN : RESTORE_TOKEN)) {
            ps.setString(1, id);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("no token with id " + id);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change token " + id, e);
        }
    }

    /** GET {@code pathAndQuery} with a bearer token ({@code null} for none). */
    public HttpResult get(String pathAndQuery, String token) {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(base.resolve(pathAndQuery))
                        .timeout(Duration.ofSeconds(30))
                        .GET();
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return send(r.build());
    }

    /**
     * Requests each of {@code routes} of {@code workspace} (and of the pair {@link
     * RouteTemplates#SOURCE} → {@link RouteTemplates#DESTINATION} where a route names one) with a
     * bearer token ({@code null} for none).
     */
    public Map<ApiServer.Route, HttpResult> callEach(
            List<ApiServer.Route> routes, String workspace, String token) {
        Map<ApiServer.Route, HttpResult> answers = new LinkedHashMap<>();
        for (ApiServer.Route route : routes) {
            HttpRequest.Builder r =
                    HttpRequest.newBuilder(
                                    base.resolve(RouteTemplates.fill(route.path(), workspace)))
                            .timeout(Duration.ofSeconds(30))
                            .method(route.method(), HttpRequest.BodyPublishers.noBody());
            if (token != null) {
                r.header("Authorization", "Bearer " + token);
            }
            answers.put(route, send(r.build()));
        }
        return answers;
    }

    /** GET {@code pathAndQuery} for a body that is not JSON; {@code token} may be null. */
    public HttpResponse<String> getText(String pathAndQuery, String token) {
        return getText(base, pathAndQuery, token, null);
    }

    /** GET {@code pathAndQuery} asking for the media type {@code accept}. */
    public HttpResponse<String> getText(String pathAndQuery, String token, String accept) {
        return getText(base, pathAndQuery, token, accept);
    }

    /** GET {@code path} on the admin listener (operator exposition, health) in {@code accept}. */
    public HttpResponse<String> getAdmin(String path, String accept) {
        URI admin =
                URI.create(
                        "http://127.0.0.1:"
                                + server.adminPort()
                                        .orElseThrow(
                                                () ->
                                                        new IllegalStateException(
                                                                "admin listener disabled")));
        return getText(admin, path, null, accept);
    }

    /** Samples of the operator exposition as "name{labels}" → value. */
    public Map<String, Double> adminSamples() {
        return Scrape.samples(getAdmin("/metrics", Scrape.OPENMETRICS).body());
    }

    private HttpResponse<String> getText(URI on, String pathAndQuery, String token, String accept) {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(on.resolve(pathAndQuery))
                        .timeout(Duration.ofSeconds(30))
                        .GET();
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        if (accept != null) {
            r.header("Accept", accept);
        }
        try {
            HttpResponse<String> response =
                    http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            received(response.request(), response.statusCode());
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends any request. */
    public HttpResult send(HttpRequest request) {
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            received(request, response.statusCode());
            return HttpResult.of(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends {@code GET target} over a plain socket, byte for byte, for request targets that
     * java.net.URI refuses to build (e.g. malformed percent-encoding). Returns the raw response.
     */
    public String rawGet(String target, String token) {
        return rawExchange(
                "GET "
                        + target
                        + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                        + "\r\n");
    }

    /**
     * Sends {@code request} (request line, headers and the empty line) over a plain socket exactly
     * as given, for requests no HTTP client sends, e.g. without a Host header. It should say {@code
     * Connection: close}. Returns the raw response.
     */
    public String rawExchange(String request) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String response =
                    new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String[] requestLine = request.split(" ", 3);
            String[] statusLine = response.split(" ", 3);
            if (requestLine.length == 3 && statusLine.length == 3) {
                // Not through java.net.URI: the target may be one it refuses.
                String path = requestLine[1].split("\\?", 2)[0];
                observed.onAnswer(requestLine[0], path, Integer.parseInt(statusLine[1]));
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tells {@link ObservedResponses} what this deployment's public listener answered. */
    private void received(HttpRequest request, int status) {
        URI uri = request.uri();
        if (uri.getPort() == base.getPort()) {
            observed.onAnswer(request.method(), uri.getRawPath(), status);
        }
    }

    public URI base() {
        return base;
    }

    /** Work to run on a shard connection. */
    @FunctionalInterface
    public interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    /** Runs {@code work} on a shard in one transaction. */
    public void inTransaction(int shard, SqlWork work) {
        String url = config.shards().shard(shard).jdbcUrl();
        try (Connection c = java.sql.DriverManager.getConnection(url, db.user(), db.password())) {
            c.setAutoCommit(false);
            work.run(c);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("test setup failed on shard " + shard, e);
        }
    }

    @Override
    public void close() {
        server.close();
        control.close();
    }
}
