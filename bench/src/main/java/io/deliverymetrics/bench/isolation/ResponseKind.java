package io.deliverymetrics.bench.isolation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.api.http.ApiProblem;
import java.io.IOException;
import java.util.Comparator;
import java.util.Objects;

/**
 * What kind of answer a response was: its status and, for a problem answer of this API, the last
 * segment of its problem type, so that the query budget's 429 ({@code too-many-concurrent-queries})
 * is told apart from other 429s (the failed-authentication throttle's, a rate limit's).
 *
 * @param status the HTTP status
 * @param problem e.g. {@code too-many-concurrent-queries}; empty for 200 and for answers without a
 *     problem type of this API
 */
public record ResponseKind(int status, String problem) implements Comparable<ResponseKind> {

    /** A 200. */
    public static final ResponseKind OK = new ResponseKind(200, "");

    /** The query budget's refusal. */
    public static final ResponseKind BUDGET_REFUSAL =
            new ResponseKind(429, "too-many-concurrent-queries");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Comparator<ResponseKind> ORDER =
            Comparator.comparingInt(ResponseKind::status).thenComparing(ResponseKind::problem);

    public ResponseKind {
        Objects.requireNonNull(problem, "problem");
    }

    /** Classifies a response by its status and body; only bodies of non-200 answers are read. */
    public static ResponseKind of(int status, byte[] body) {
        if (status == 200) {
            return OK;
        }
        return new ResponseKind(status, problemType(body));
    }

    private static String problemType(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return "";
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array failed", e);
        }
        String type = root == null ? "" : root.path("type").asText("");
        return type.startsWith(ApiProblem.TYPE_PREFIX)
                ? type.substring(ApiProblem.TYPE_PREFIX.length())
                : "";
    }

    /** E.g. {@code 200} or {@code 429 too-many-concurrent-queries}. */
    public String label() {
        return problem.isEmpty() ? Integer.toString(status) : status + " " + problem;
    }

    @Override
    public int compareTo(ResponseKind o) {
        return ORDER.compare(this, o);
    }
}
