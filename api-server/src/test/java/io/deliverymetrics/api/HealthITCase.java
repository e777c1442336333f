package io.deliverymetrics.api;

import static io.deliverymetrics.api.TimeseriesITCase.timeseries;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.Migrator;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Liveness and readiness, including a shard that cannot be reached. */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
class HealthITCase {

    private final EmbeddedMariaDb db;
    private final UniqueNames names;
    private final ObservedResponses observed;

    HealthITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.db = db;
        this.names = names;
        this.observed = observed;
    }

    @Test
    void shouldBeLiveAndReadyWhenEveryDatabaseIsReachable() {
        try (TestDeployment api = TestDeployment.start(db, names, observed, Map.of())) {
            HttpResult live = api.get("/healthz", null);
            HttpResult ready = api.get("/readyz", null);

            assertThat(live.status()).isEqualTo(200);
            assertThat(live.json().get("status").asText()).isEqualTo("up");
            assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
            assertThat(ready.json().get("reachable").toString())
                    .isEqualTo("{\"shard-0\":true,\"shard-1\":true,\"control\":true}");
        }
    }

    @Test
    void shouldBeLiveButNotReadyAndAnswer503WhileAShardIsUnreachable() throws Exception {
        String shard0 = names.database("health_shard0");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ApiConfig config =
                ApiConfig.withOverrides(
                        Map.of(
                                "server.host", "127.0.0.1",
                                "server.port", "0",
                                "admin.port", "0",
                                "shards.0.jdbc-url", db.jdbcUrl(shard0),
                                "shards.1.jdbc-url",
                                        "jdbc:mysql://127.0.0.1:"
                                                + closedPort
                                                + "/gone?connectTimeout=500",
                                "pool.connection-timeout", "1s",
                                "auth.enabled", "false"));
        Migrator.migrateShard(config.shards().shard(0));
        try (ApiServer server = ApiServer.create(config, Clock.systemUTC(), observed).start()) {
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + server.port());
            String onShard1 = workspaceOn(config, 1);

            HttpResponse<String> live =
                    http.send(
                            HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> ready =
                    http.send(
                            HttpRequest.newBuilder(base.resolve("/readyz")).build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> query =
                    http.send(
                            HttpRequest.newBuilder(base.resolve(timeseries(onShard1))).build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> otherShard =
                    http.send(
                            HttpRequest.newBuilder(base.resolve(timeseries(workspaceOn(config, 0))))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"shard-0\":true").contains("\"shard-1\":false");
            assertThat(query.statusCode()).as(query.body()).isEqualTo(503);
            assertThat(query.headers().firstValue("Content-Type").orElse(""))
                    .startsWith("application/problem+json");
            assertThat(query.headers().firstValue("Retry-After")).isPresent();
            assertThat(otherShard.statusCode()).isEqualTo(200);
        }
    }

    private static String workspaceOn(ApiConfig config, int shard) {
        io.deliverymetrics.core.shard.ShardRouter router =
                new io.deliverymetrics.core.shard.ShardRouter(config.shards());
        for (int i = 0; ; i++) {
            if (router.shardOf("ws_health_" + i) == shard) {
                return "ws_health_" + i;
            }
        }
    }
}
