package io.deliverymetrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.http.OpenApiRoute;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.tags.Tag;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The bundled OpenAPI document, read with swagger-parser: valid OpenAPI 3.1, and the conventions
 * the API keeps (a client error on every operation, described tags, problem+json errors). No server
 * needed; {@code OpenApiDocumentITCase} checks the document against the running server.
 */
class OpenApiDocumentTest {

    private static final String PROBLEM = "application/problem+json";

    private static final String RESPONSE_REF = "#/components/responses/";

    /**
     * Error statuses answered with something other than a problem. {@code /readyz} answers its
     * readiness report with 503 while a database is unreachable: the same document as its 200, so
     * that a probe reads the status and an operator the same body either way. It reports the
     * server's state, not an error in the request.
     */
    private static final Set<String> NOT_PROBLEMS = Set.of("GET /readyz 503");

    private static final SwaggerParseResult PARSED = parse();

    @Test
    void shouldParseAsOpenApi31WithoutAnyMessage() {
        assertThat(PARSED.getMessages()).isEmpty();
        assertThat(PARSED.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(operations()).isNotEmpty();
    }

    @Test
    void shouldKeyEveryResponseByAStatusCode() {
        // OpenApiDocumentITCase checks each documented status against the tests' answers, which
        // a range (4XX) or a default response would escape.
        List<String> others = new ArrayList<>();
        for (Map.Entry<String, Operation> op : operations().entrySet()) {
            for (String status : op.getValue().getResponses().keySet()) {
                if (!status.matches("[1-5][0-9][0-9]")) {
                    others.add(op.getKey() + " " + status);
                }
            }
        }

        assertThat(others).isEmpty();
    }

    @Test
    void shouldDeclareAClientErrorOnEveryOperation() {
        List<String> without = new ArrayList<>();
        for (Map.Entry<String, Operation> op : operations().entrySet()) {
            if (op.getValue().getResponses().keySet().stream().noneMatch(s -> s.startsWith("4"))) {
                without.add(op.getKey());
            }
        }

        assertThat(without).as("operations without a 4xx response").isEmpty();
    }

    @Test
    void shouldDeclareEveryUsedTagWithADescription() {
        Map<String, String> declared = new TreeMap<>();
        for (Tag tag : PARSED.getOpenAPI().getTags()) {
            declared.put(tag.getName(), tag.getDescription());
        }
        Set<String> used = new TreeSet<>();
        for (Map.Entry<String, Operation> op : operations().entrySet()) {
            assertThat(op.getValue().getTags()).as("tags of %s", op.getKey()).isNotEmpty();
            used.addAll(op.getValue().getTags());
        }

        assertThat(declared).containsKeys(used.toArray(String[]::new));
        assertThat(declared)
                .allSatisfy(
                        (tag, description) ->
                                assertThat(description).as("description of %s", tag).isNotBlank());
    }

    @Test
    void shouldAnswerEveryErrorStatusWithAProblem() {
        Map<String, Set<String>> mediaTypes = new TreeMap<>();
        for (Map.Entry<String, Operation> op : operations().entrySet()) {
            for (Map.Entry<String, ApiResponse> r : op.getValue().getResponses().entrySet()) {
                String response = op.getKey() + " " + r.getKey();
                if (r.getKey().matches("[45][0-9][0-9]") && !NOT_PROBLEMS.contains(response)) {
                    mediaTypes.put(response, resolve(r.getValue()).getContent().keySet());
                }
            }
        }

        assertThat(mediaTypes).isNotEmpty();
        assertThat(mediaTypes)
                .allSatisfy(
                        (response, types) ->
                                assertThat(types).as(response).containsExactly(PROBLEM));
    }

    /** Every operation of the document by "METHOD /path". */
    private static Map<String, Operation> operations() {
        Map<String, Operation> ops = new LinkedHashMap<>();
        PARSED.getOpenAPI()
                .getPaths()
                .forEach(
                        (path, item) -> {
                            for (Map.Entry<PathItem.HttpMethod, Operation> op :
                                    item.readOperationsMap().entrySet()) {
                                ops.put(op.getKey() + " " + path, op.getValue());
                            }
                        });
        return ops;
    }

    /** {@code response} itself, or the one of components/responses it refers to. */
    private static ApiResponse resolve(ApiResponse response) {
        if (response.get$ref() == null) {
            return response;
        }
        assertThat(response.get$ref()).startsWith(RESPONSE_REF);
        OpenAPI api = PARSED.getOpenAPI();
        ApiResponse target =
                api.getComponents()
                        .getResponses()
                        .get(response.get$ref().substring(RESPONSE_REF.length()));
        assertThat(target).as(response.get$ref()).isNotNull();
        return target;
    }

    private static SwaggerParseResult parse() {
        try (InputStream in =
                OpenApiDocumentTest.class.getResourceAsStream(OpenApiRoute.RESOURCE)) {
            assertThat(in).as(OpenApiRoute.RESOURCE + " on the classpath").isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new OpenAPIParser().readContents(json, null, new ParseOptions());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
