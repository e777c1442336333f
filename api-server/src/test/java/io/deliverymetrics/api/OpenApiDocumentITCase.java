package io.deliverymetrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.http.MetricsRoutes;
import io.deliverymetrics.api.http.StatusRoutes;
import io.deliverymetrics.api.query.QueryKind;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.RouteTemplates;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The served OpenAPI document and the server agree: every registered route is documented and every
 * documented operation is served, every status a test observed is documented, and every documented
 * status was produced by some test. Runs last (see junit-platform.properties) so it sees the other
 * classes' answers.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(Integer.MAX_VALUE)
class OpenApiDocumentITCase {

    /**
     * The dashboard page. Javalin's static-file handler serves it ({@code
     * DashboardRoutes.staticFiles}), which is not an endpoint: {@link ApiServer#routes()} does not
     * list it and the server's request listener names no route for it. It is documented so that
     * clients know the page is there, so instead of a route the test asks for the page itself.
     */
    private static final ApiServer.Route STATIC_ROOT = new ApiServer.Route("GET", "/");

    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** One status of one documented operation. */
    private record DocumentedStatus(String method, String path, int status) {
        @Override
        public String toString() {
            return method + " " + path + " " + status;
        }
    }

    private final TestDeployment api;
    private final ObservedResponses observed;
    private final JsonNode document;

    OpenApiDocumentITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api = TestDeployment.start(db, names, observed, Map.of());
        this.observed = observed;
        HttpResult r = api.get("/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        this.document = r.json();
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldServeAnOpenApi31Document() {
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(
                        document.get("components")
                                .get("securitySchemes")
                                .get("bearerAuth")
                                .get("scheme")
                                .asText())
                .isEqualTo("bearer");
    }

    @Test
    void shouldDocumentEveryRegisteredRoute() {
        assertThat(api.server().routes()).isNotEmpty();
        List<ApiServer.Route> undocumented = new ArrayList<>();
        for (ApiServer.Route route : api.server().routes()) {
            if (operation(route.method(), route.path()) == null) {
                undocumented.add(route);
            }
        }

        assertThat(undocumented).as("registered routes that openapi.json lacks").isEmpty();
    }

    @Test
    void shouldServeEveryDocumentedOperation() {
        Set<ApiServer.Route> registered = new HashSet<>(api.server().routes());
        List<ApiServer.Route> unserved = new ArrayList<>();
        for (ApiServer.Route op : documentedOperations()) {
            if (!op.equals(STATIC_ROOT) && !registered.contains(op)) {
                unserved.add(op);
            }
        }
        HttpResponse<String> page = api.getText("/", null);

        assertThat(unserved).as("documented operations without a registered route").isEmpty();
        assertThat(documentedOperations()).contains(STATIC_ROOT);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    }

    @Test
    void shouldDocumentEveryStatusTheTestsObserved() {
        assertThat(observed.seen()).isNotEmpty();
        List<ObservedResponses.Observed> undocumented = new ArrayList<>();
        for (ObservedResponses.Observed o : observed.seen()) {
            JsonNode op = operation(o.method(), o.route());
            if (op == null || !op.get("responses").has(Integer.toString(o.status()))) {
                undocumented.add(o);
            }
        }

        assertThat(undocumented)
                .as("observed answers that openapi.json does not document")
                .isEmpty();
    }

    @Test
    void shouldHaveEveryDocumentedStatusProducedBySomeTest() {
        Set<ObservedResponses.Observed> seen = observed.seen();
        Set<ObservedResponses.Received> received = observed.received();
        List<DocumentedStatus> neverProduced = new ArrayList<>();
        for (DocumentedStatus d : documentedStatuses()) {
            if (!producedBySomeTest(d, seen, received)) {
                neverProduced.add(d);
            }
        }

        assertThat(neverProduced).as("documented statuses that no test produced").isEmpty();
    }

    @Test
    void shouldDocumentEveryParameterTheParserAccepts() {
        for (QueryKind kind : QueryKind.values()) {
            String path =
                    switch (kind) {
                        case TIMESERIES -> MetricsRoutes.TIMESERIES;
                        case PAIR_TIMESERIES -> MetricsRoutes.PAIR_TIMESERIES;
                        case SUMMARY -> MetricsRoutes.SUMMARY;
                        case ERRORS -> MetricsRoutes.ERRORS;
                        case SAMPLES -> MetricsRoutes.SAMPLES;
                        case DESTINATION_TYPE -> StatusRoutes.DESTINATION_TYPE;
                    };
            List<String> documented = new ArrayList<>();
            for (JsonNode p : operation("GET", path).get("parameters")) {
                if (p.get("in").asText().equals("query")) {
                    documented.add(p.get("name").asText());
                }
            }
            assertThat(documented).as(path).containsExactlyElementsOf(kind.parameters());
        }
    }

    /**
     * Produced when the server's request listener saw the route answer it, or when a test's client
     * received it for a path of the operation: the latter also covers the static root and requests
     * Jetty refuses before routing, which the listener cannot attribute to a route.
     */
    private static boolean producedBySomeTest(
            DocumentedStatus d,
            Set<ObservedResponses.Observed> seen,
            Set<ObservedResponses.Received> received) {
        return seen.contains(new ObservedResponses.Observed(d.method(), d.path(), d.status()))
                || received.stream()
                        .anyMatch(
                                r ->
                                        r.method().equals(d.method())
                                                && r.status() == d.status()
                                                && RouteTemplates.matches(d.path(), r.path()));
    }

    private List<ApiServer.Route> documentedOperations() {
        List<ApiServer.Route> ops = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (HTTP_METHODS.contains(op.getKey())) {
                    ops.add(
                            new ApiServer.Route(
                                    op.getKey().toUpperCase(Locale.ROOT), path.getKey()));
                }
            }
        }
        return ops;
    }

    private List<DocumentedStatus> documentedStatuses() {
        List<DocumentedStatus> statuses = new ArrayList<>();
        for (ApiServer.Route op : documentedOperations()) {
            JsonNode responses = operation(op.method(), op.path()).get("responses");
            for (Map.Entry<String, JsonNode> status : responses.properties()) {
                statuses.add(
                        new DocumentedStatus(
                                op.method(), op.path(), Integer.parseInt(status.getKey())));
            }
        }
        return statuses;
    }

    private JsonNode operation(String method, String path) {
        JsonNode p = document.get("paths").get(path);
        return p == null ? null : p.get(method.toLowerCase(Locale.ROOT));
    }
}
