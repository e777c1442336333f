package io.deliverymetrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.auth.ApiToken;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.RouteTemplates;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A database the server cannot read turns into a problem on every operation that needs it: 503 with
 * Retry-After while it is unreachable, 500 when it answers with an error (here: a database nobody
 * migrated), the SQL error staying in the server's log. The control database is read to check a
 * token, a shard to answer a query, the global database to answer the destination status.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
class StorageFailureITCase {

    private final EmbeddedMariaDb db;
    private final UniqueNames names;
    private final ObservedResponses observed;

    StorageFailureITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.db = db;
        this.names = names;
        this.observed = observed;
    }

    @Test
    void shouldAnswer503OnEveryV1OperationWhileTheControlDatabaseIsUnreachable() throws Exception {
        try (TestDeployment api =
                TestDeployment.startUnmigrated(
                        db,
                        names,
                        observed,
                        Map.of(
                                "control.jdbc-url",
                                unreachableJdbcUrl(),
                                "pool.connection-timeout",
                                "1s"))) {
            Map<ApiServer.Route, HttpResult> answers =
                    api.callEach(
                            RouteTemplates.v1Routes(api.server()),
                            api.workspaceOnShard(0),
                            wellFormedToken());

            assertThat(answers).allSatisfy((route, r) -> assertUnavailable(route, r));
        }
    }

    @Test
    void shouldAnswer500OnEveryV1OperationWhenTheControlDatabaseWasNeverMigrated() {
        try (TestDeployment api = TestDeployment.startUnmigrated(db, names, observed, Map.of())) {
            Map<ApiServer.Route, HttpResult> answers =
                    api.callEach(
                            RouteTemplates.v1Routes(api.server()),
                            api.workspaceOnShard(0),
                            wellFormedToken());

            assertThat(answers).allSatisfy((route, r) -> assertInternalError(route, r));
        }
    }

    @Test
    void shouldAnswer503OnEveryQueryWhileTheWorkspacesShardIsUnreachable() throws Exception {
        String unreachable = unreachableJdbcUrl();
        try (TestDeployment api =
                TestDeployment.startUnmigrated(
                        db,
                        names,
                        observed,
                        Map.of(
                                "shards.0.jdbc-url",
                                unreachable,
                                "shards.1.jdbc-url",
                                unreachable,
                                "pool.connection-timeout",
                                "1s",
                                "auth.enabled",
                                "false"))) {
            Map<ApiServer.Route, HttpResult> answers =
                    api.callEach(RouteTemplates.queries(), api.workspaceOnShard(1), null);

            assertThat(answers).allSatisfy((route, r) -> assertUnavailable(route, r));
        }
    }

    @Test
    void shouldAnswer500OnEveryQueryWhenTheShardWasNeverMigrated() {
        try (TestDeployment api =
                TestDeployment.startUnmigrated(
                        db, names, observed, Map.of("auth.enabled", "false"))) {
            Map<ApiServer.Route, HttpResult> answers =
                    api.callEach(RouteTemplates.queries(), api.workspaceOnShard(0), null);

            assertThat(answers).allSatisfy((route, r) -> assertInternalError(route, r));
        }
    }

    @Test
    void shouldAnswer503FromTheStatusWhileTheGlobalDatabaseIsUnreachable() throws Exception {
        try (TestDeployment api =
                TestDeployment.startUnmigrated(
                        db,
                        names,
                        observed,
                        Map.of(
                                "global.jdbc-url",
                                unreachableJdbcUrl(),
                                "pool.connection-timeout",
                                "1s",
                                "auth.enabled",
                                "false"))) {
            Map<ApiServer.Route, HttpResult> answers =
                    api.callEach(statusRoutes(api), api.workspaceOnShard(0), null);

            assertThat(answers).as("/v1/destinations, a type's series, /v1/status").hasSize(3);
            assertThat(answers).allSatisfy((route, r) -> assertUnavailable(route, r));
        }
    }

    @Test
    void shouldAnswer500FromTheStatusWhenTheGlobalDatabaseWasNeverMigrated() {
        try (TestDeployment api =
                TestDeployment.startUnmigrated(
                        db, names, observed, Map.of("auth.enabled", "false"))) {
            Map<ApiServer.Route, HttpResult> answers =
                    api.callEach(statusRoutes(api), api.workspaceOnShard(0), null);

            assertThat(answers).as("/v1/destinations, a type's series, /v1/status").hasSize(3);
            assertThat(answers).allSatisfy((route, r) -> assertInternalError(route, r));
        }
    }

    /** The routes that read the global database: the operators' and the public status. */
    private static List<ApiServer.Route> statusRoutes(TestDeployment api) {
        List<ApiServer.Route> routes = new ArrayList<>(RouteTemplates.operatorRoutes(api.server()));
        routes.addAll(RouteTemplates.publicRoutes(api.server()));
        return routes;
    }

    private static void assertUnavailable(ApiServer.Route route, HttpResult r) {
        assertThat(r.status()).as("%s: %s", route, r).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.header("Retry-After")).as("%s", route).isPresent();
    }

    private static void assertInternalError(ApiServer.Route route, HttpResult r) {
        assertThat(r.status()).as("%s: %s", route, r).isEqualTo(500);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText())
                .as("%s tells nothing about the database", route)
                .doesNotContainIgnoringCase("table")
                .doesNotContainIgnoringCase("exist");
    }

    /** A token of the right form, so that checking it needs the control database. */
    private static String wellFormedToken() {
        return ApiToken.generate(new SecureRandom()).value();
    }

    /** A JDBC URL of a port nothing listens on. */
    private static String unreachableJdbcUrl() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        return "jdbc:mysql://127.0.0.1:" + closedPort + "/gone?connectTimeout=500";
    }
}
