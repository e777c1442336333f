package io.deliverymetrics.api;

import static io.deliverymetrics.api.TimeseriesITCase.timeseries;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One workspace's queries are bounded: past {@code query.max-concurrent-per-workspace} running at
 * once its next query gets 429 at once while other workspaces are served, and an answer larger than
 * {@code query.max-response-bytes} gets 422 saying how to narrow the query. Queries are held open
 * by a table lock the test takes on one shard, so "running at once" needs no timing.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryBudgetITCase {

    private static final int BUDGET = 2;

    private final EmbeddedMariaDb db;
    private final UniqueNames names;
    private final ObservedResponses observed;
    private final TestDeployment api;

    QueryBudgetITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.db = db;
        this.names = names;
        this.observed = observed;
        this.api =
                TestDeployment.start(
                        db,
                        names,
                        observed,
                        Map.of(
                                "query.max-concurrent-per-workspace",
                                Integer.toString(BUDGET),
                                // All admitted queries work at once, so that each is seen
                                // waiting on the table lock (QueryBudgetTest checks the turns).
                                "query.parallel-per-workspace",
                                Integer.toString(BUDGET),
                                "pool.max-size",
                                "8"));
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldRefuseAWorkspacesQueryBeyondItsBudgetWhileOthersAreServed() throws Exception {
        String busy = api.workspaceOnShard(0);
        String other = api.workspaceOnShard(1);
        String busyToken = api.token(busy);
        String otherToken = api.token(other);
        ExecutorService pool = Executors.newFixedThreadPool(BUDGET);
        List<Future<HttpResult>> held = new ArrayList<>();
        HttpResult refused;
        HttpResult otherWorkspace;
        try (Connection lock = lockMinuteTable(0)) {
            for (int i = 0; i < BUDGET; i++) {
                held.add(pool.submit(() -> api.get(timeseries(busy), busyToken)));
            }
            awaitQueriesWaitingOnTheLock(0, BUDGET);

            refused = api.get(timeseries(busy), busyToken);
            otherWorkspace = api.get(timeseries(other), otherToken);
        } finally {
            pool.shutdown();
        }
        List<Integer> heldStatuses = new ArrayList<>();
        for (Future<HttpResult> f : held) {
            heldStatuses.add(f.get().status());
        }

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).hasValue("1");
        assertThat(refused.json().get("type").asText()).endsWith("too-many-concurrent-queries");
        assertThat(refused.json().get("max_concurrent_queries").asInt()).isEqualTo(BUDGET);
        assertThat(otherWorkspace.status()).isEqualTo(200);
        assertThat(heldStatuses).containsOnly(200);
        // The permits came back: the workspace is served again.
        assertThat(api.get(timeseries(busy), busyToken).status()).isEqualTo(200);
        assertThat(
                        api.adminSamples()
                                .get(
                                        "delivery_metrics_api_query_refused_total"
                                                + "{reason=\"concurrency\"}"))
                .isEqualTo(1);
    }

    @Test
    void shouldAnswerALargerResponseThanAllowedWith422SayingHowToNarrowTheQuery() {
        try (TestDeployment small =
                TestDeployment.start(
                        db, names, observed, Map.of("query.max-response-bytes", "2048"))) {
            String ws = small.workspaceOnShard(1);
            Instant to = TestDeployment.NOW.minus(Duration.ofMinutes(5));
            small.write(
                    Granularity.MINUTE,
                    Attempts.rows(
                            Granularity.MINUTE,
                            Attempts.generate(
                                    new Random(3),
                                    new PairKey(ws, "src_web", "dst_amp"),
                                    to.minus(Duration.ofMinutes(50)),
                                    to,
                                    2_000)));
            String token = small.token(ws);

            HttpResult tooLarge = small.get(timeseries(ws), token);
            HttpResult narrowed =
                    small.get(timeseries(ws) + "?metrics=successes&granularity=hour", token);

            assertThat(tooLarge.status()).isEqualTo(422);
            assertThat(tooLarge.contentType()).startsWith("application/problem+json");
            assertThat(tooLarge.json().get("type").asText()).endsWith("response-too-large");
            assertThat(tooLarge.json().get("max_response_bytes").asInt()).isEqualTo(2048);
            assertThat(tooLarge.json().get("response_bytes").asInt()).isGreaterThan(2048);
            assertThat(tooLarge.json().get("detail").asText())
                    .contains("narrow the query")
                    .contains("granularity");
            assertThat(narrowed.status()).isEqualTo(200);
        }
    }

    /** Takes a write lock on a shard's minute table: reads of it wait until the lock is closed. */
    private Connection lockMinuteTable(int shard) throws SQLException {
        Connection c =
                DriverManager.getConnection(
                        api.config().shards().shard(shard).jdbcUrl(), db.user(), db.password());
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLES delivery_metrics_minute WRITE");
        }
        return c;
    }

    private void awaitQueriesWaitingOnTheLock(int shard, int count) throws Exception {
        String url = api.config().shards().shard(shard).jdbcUrl();
        String database = url.substring(url.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection c = DriverManager.getConnection(url, db.user(), db.password());
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                                        + " WHERE DB = ? AND STATE LIKE 'Waiting for table%'")) {
            ps.setString(1, database);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= count) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(count + " queries never waited on the lock");
                }
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
        }
    }
}
