package io.deliverymetrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The served OpenAPI document stays true: every registered route is documented, and so is every
 * status any integration test of this JVM observed. Runs last (see junit-platform.properties) so it
 * sees the other classes' responses.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(Integer.MAX_VALUE)
class OpenApiDocumentITCase {

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
        for (ApiServer.Route route : api.server().routes()) {
            assertThat(operation(route.method(), route.path()))
                    .as("%s %s is documented", route.method(), route.path())
                    .isNotNull();
        }
    }

    @Test
    void shouldDocumentEveryStatusTheTestsObserved() {
        assertThat(observed.seen()).isNotEmpty();
        for (ObservedResponses.Observed o : observed.seen()) {
            JsonNode op = operation(o.method(), o.route());
            assertThat(op).as("%s %s is documented", o.method(), o.route()).isNotNull();
            assertThat(op.get("responses").has(Integer.toString(o.status())))
                    .as("%s %s documents status %d", o.method(), o.route(), o.status())
                    .isTrue();
        }
    }

    @Test
    void shouldDocumentEveryParameterTheParserAccepts() {
        for (io.deliverymetrics.api.query.QueryKind kind :
                io.deliverymetrics.api.query.QueryKind.values()) {
            String path =
                    switch (kind) {
                        case TIMESERIES -> io.deliverymetrics.api.http.MetricsRoutes.TIMESERIES;
                        case PAIR_TIMESERIES ->
                                io.deliverymetrics.api.http.MetricsRoutes.PAIR_TIMESERIES;
                        case SUMMARY -> io.deliverymetrics.api.http.MetricsRoutes.SUMMARY;
                        case ERRORS -> io.deliverymetrics.api.http.MetricsRoutes.ERRORS;
                    };
            java.util.List<String> documented = new java.util.ArrayList<>();
            for (JsonNode p : operation("GET", path).get("parameters")) {
                if (p.get("in").asText().equals("query")) {
                    documented.add(p.get("name").asText());
                }
            }
            assertThat(documented).as(path).containsExactlyElementsOf(kind.parameters());
        }
    }

    private JsonNode operation(String method, String path) {
        JsonNode p = document.get("paths").get(path);
        return p == null ? null : p.get(method.toLowerCase(Locale.ROOT));
    }
}
