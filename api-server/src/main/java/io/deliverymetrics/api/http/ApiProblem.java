package io.deliverymetrics.api.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem to answer with: thrown by handlers and guards, written as {@code
 * application/problem+json} by {@link Problems}.
 *
 * @param type a URI reference identifying the problem type; {@code about:blank} when the status
 *     says it all
 * @param extensions extra members, e.g. {@code invalid_params}
 * @param headers response headers to add, e.g. {@code Retry-After}
 */
public final class ApiProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Prefix of this API's problem type URIs. */
    public static final String TYPE_PREFIX = "urn:problem-type:delivery-metrics:";

    private final int status;
    private final String type;
    private final String title;
    private final transient Map<String, Object> extensions;
    private final transient Map<String, String> headers;

    public ApiProblem(
            int status,
            String type,
            String title,
            String detail,
            Map<String, Object> extensions,
            Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.type = Objects.requireNonNull(type, "type");
        this.title = Objects.requireNonNull(title, "title");
        this.extensions = new LinkedHashMap<>(extensions);
        this.headers = new LinkedHashMap<>(headers);
    }

    /** A problem of a generic type ({@code about:blank}), titled by its status. */
    public static ApiProblem of(int status, String title, String detail) {
        return new ApiProblem(status, "about:blank", title, detail, Map.of(), Map.of());
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
