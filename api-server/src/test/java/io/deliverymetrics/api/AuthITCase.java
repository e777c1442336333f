package io.deliverymetrics.api;

import static io.deliverymetrics.api.TimeseriesITCase.timeseries;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.auth.ApiToken;
import io.deliverymetrics.api.cli.TokenCli;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.RouteTemplates;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bearer tokens scoped to one workspace, managed with the token CLI. */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthITCase {

    private final TestDeployment api;
    private final TestDeployment open;

    AuthITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api = TestDeployment.start(db, names, observed, Map.of());
        this.open = TestDeployment.start(db, names, observed, Map.of("auth.enabled", "false"));
    }

    @AfterAll
    void stop() {
        api.close();
        open.close();
    }

    @Test
    void shouldAnswer401WithABearerChallengeWithoutAToken() {
        HttpResult r = api.get(timeseries(api.workspaceOnShard(0)), null);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).hasValue("Bearer realm=\"delivery-metrics\"");
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("title").asText()).isEqualTo("Unauthorized");
    }

    @Test
    void shouldAnswer401OnEveryV1OperationWithoutAToken() {
        Map<ApiServer.Route, HttpResult> answers =
                api.callEach(RouteTemplates.v1Routes(api.server()), api.workspaceOnShard(0), null);

        assertThat(answers)
                .allSatisfy(
                        (route, r) -> {
                            assertThat(r.status()).as("%s", route).isEqualTo(401);
                            assertThat(r.header("WWW-Authenticate")).as("%s", route).isPresent();
                            assertThat(r.contentType()).startsWith("application/problem+json");
                        });
    }

    @Test
    void shouldAnswer401ForMalformedUnknownAndWrongSecretTokensAlike() {
        String ws = api.workspaceOnShard(0);
        ApiToken valid = ApiToken.parse(api.token(ws)).orElseThrow();
        ApiToken wrongSecret =
                new ApiToken(valid.id(), ApiToken.generate(new SecureRandom()).secret());
        String unknown = ApiToken.generate(new SecureRandom()).value();

        HttpResult malformed = api.get(timeseries(ws), "not-a-token");
        HttpResult unknownToken = api.get(timeseries(ws), unknown);
        HttpResult wrong = api.get(timeseries(ws), wrongSecret.value());
        HttpResult basic =
                api.send(
                        java.net.http.HttpRequest.newBuilder(api.base().resolve(timeseries(ws)))
                                .header("Authorization", "Basic " + valid.value())
                                .build());

        assertThat(
                        List.of(
                                malformed.status(),
                                unknownToken.status(),
                                wrong.status(),
                                basic.status()))
                .containsOnly(401);
        assertThat(unknownToken.json()).isEqualTo(wrong.json());
        assertThat(malformed.json()).isEqualTo(wrong.json());
    }

    @Test
    void shouldAnswer403ForATokenOfAnotherWorkspace() {
        String mine = api.workspaceOnShard(0);
        String theirs = api.workspaceOnShard(1);

        HttpResult r = api.get(timeseries(theirs), api.token(mine));

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("detail").asText()).contains(theirs);
    }

    @Test
    void shouldAnswer403OnEveryOperationThatNamesAnotherWorkspace() {
        String mine = api.workspaceOnShard(0);
        String theirs = api.workspaceOnShard(1);
        List<ApiServer.Route> workspaceRoutes =
                RouteTemplates.v1Routes(api.server()).stream()
                        .filter(route -> RouteTemplates.namesAWorkspace(route.path()))
                        .toList();

        Map<ApiServer.Route, HttpResult> answers =
                api.callEach(workspaceRoutes, theirs, api.token(mine));

        assertThat(answers).isNotEmpty();
        assertThat(answers)
                .allSatisfy(
                        (route, r) -> {
                            assertThat(r.status()).as("%s", route).isEqualTo(403);
                            assertThat(r.contentType()).startsWith("application/problem+json");
                        });
    }

    @Test
    void shouldAnswer403OnEveryOperatorOperationForAWorkspaceToken() {
        String ws = api.workspaceOnShard(0);
        List<ApiServer.Route> operatorRoutes = RouteTemplates.operatorRoutes(api.server());

        Map<ApiServer.Route, HttpResult> answers = api.callEach(operatorRoutes, ws, api.token(ws));

        assertThat(answers).isNotEmpty();
        assertThat(answers)
                .allSatisfy(
                        (route, r) -> {
                            assertThat(r.status()).as("%s", route).isEqualTo(403);
                            assertThat(r.contentType()).startsWith("application/problem+json");
                            assertThat(r.json().get("detail").asText()).contains("operator token");
                        });
    }

    @Test
    void shouldAnswer403OnEveryWorkspaceOperationForAnOperatorToken() {
        String ws = api.workspaceOnShard(1);
        String operator = api.operatorToken();
        List<ApiServer.Route> workspaceRoutes =
                RouteTemplates.v1Routes(api.server()).stream()
                        .filter(route -> RouteTemplates.namesAWorkspace(route.path()))
                        .toList();

        Map<ApiServer.Route, HttpResult> answers = api.callEach(workspaceRoutes, ws, operator);
        HttpResult me = api.get("/v1/whoami", operator);
        Map<ApiServer.Route, HttpResult> operatorAnswers =
                api.callEach(RouteTemplates.operatorRoutes(api.server()), ws, operator);

        assertThat(answers).isNotEmpty();
        assertThat(answers)
                .allSatisfy(
                        (route, r) -> {
                            assertThat(r.status()).as("%s", route).isEqualTo(403);
                            assertThat(r.contentType()).startsWith("application/problem+json");
                            assertThat(r.json().get("detail").asText()).contains("operator token");
                        });
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("scope").asText()).isEqualTo("operator");
        assertThat(me.json().get("workspace_id").isNull()).isTrue();
        assertThat(operatorAnswers)
                .allSatisfy((route, r) -> assertThat(r.status()).as("%s", route).isEqualTo(200));
    }

    @Test
    void shouldCreateAndListOperatorTokensWithTheCli() {
        Cli created = cli("create", "--operator", "--description", "status page");
        String token = created.lines().get(created.lines().size() - 1);
        String id = ApiToken.parse(token).orElseThrow().id();
        HttpResult status = api.get("/v1/destinations", token);
        HttpResult workspace = api.get(timeseries(api.workspaceOnShard(0)), token);
        Cli operators = cli("list", "--operator");
        Cli all = cli("list");
        Cli both = cli("create", "--operator", "--workspace", "ws_a");
        Cli neither = cli("create");

        assertThat(created.exit()).isZero();
        assertThat(created.out()).contains("operator").contains("not shown again");
        assertThat(status.status()).as(status.toString()).isEqualTo(200);
        assertThat(workspace.status()).isEqualTo(403);
        assertThat(operators.out()).contains(id).contains("operator").contains("status page");
        assertThat(operators.out().lines().skip(1))
                .allSatisfy(line -> assertThat(line).contains(" operator "));
        assertThat(all.out().lines().skip(1).findFirst().orElseThrow())
                .as("operator tokens first")
                .contains(" operator ");
        assertThat(all.out().lines().filter(line -> line.startsWith(id)))
                .singleElement()
                .satisfies(line -> assertThat(line).contains(" operator ").contains(" - "));
        assertThat(both.exit()).isEqualTo(2);
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(cli("revoke", id).exit()).isZero();
    }

    @Test
    void shouldCreateListAndRevokeTokensWithTheCli() {
        String ws = api.workspaceOnShard(1);

        Cli created = cli("create", "--workspace", ws, "--description", "grafana poller");
        String token = created.lines().get(created.lines().size() - 1);
        String id = ApiToken.parse(token).orElseThrow().id();
        HttpResult before = api.get(timeseries(ws), token);
        Cli listed = cli("list", "--workspace", ws);
        Cli revoked = cli("revoke", "dm_" + id);
        // The server reuses a found token for auth.token-cache-max-age (5 s by default; the
        // request before the revocation put it in the cache), so the refusal may take that long.
        HttpResult after = refusedOrLast(ws, token, Duration.ofSeconds(30));
        Cli revokedAgain = cli("revoke", id);

        assertThat(created.exit()).isZero();
        assertThat(created.out()).contains("not shown again");
        assertThat(before.status()).isEqualTo(200);
        assertThat(listed.out())
                .contains(id)
                .contains(ws)
                .contains("grafana poller")
                .doesNotContain(token);
        assertThat(revoked.exit()).isZero();
        assertThat(after.status()).isEqualTo(401);
        assertThat(revokedAgain.exit()).isEqualTo(1);
        assertThat(cli("list").out()).contains(id);
    }

    @Test
    void shouldRejectAnInvalidWorkspaceInTheCli() {
        Cli r = cli("create", "--workspace", "ws x'; DROP TABLE api_tokens;--");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--workspace");
    }

    @Test
    void shouldServeAnyWorkspaceWithoutATokenWhenAuthIsDisabled() {
        HttpResult r = open.get(timeseries(open.workspaceOnShard(1)), null);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** GET until the answer is not 200 any more, or the last answer at the deadline. */
    private HttpResult refusedOrLast(String ws, String token, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResult r = api.get(timeseries(ws), token);
        while (r.status() == 200 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            r = api.get(timeseries(ws), token);
        }
        return r;
    }

    private Cli cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--control.jdbc-url=" + api.config().control().orElseThrow().jdbcUrl());
        all.add("--control.user=" + api.config().control().orElseThrow().user());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                TokenCli.run(
                        all.toArray(String[]::new),
                        Map.of(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Cli(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }
}
