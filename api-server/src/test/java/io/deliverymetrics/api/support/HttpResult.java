package io.deliverymetrics.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Optional;

/** A response as the tests look at it: status, headers and the parsed JSON body. */
public record HttpResult(int status, HttpResponse<String> raw, JsonNode json) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static HttpResult of(HttpResponse<String> r) {
        JsonNode body;
        try {
            body = r.body().isEmpty() ? MAPPER.nullNode() : MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("response is not JSON: " + r.body(), e);
        }
        return new HttpResult(r.statusCode(), r, body);
    }

    public Optional<String> header(String name) {
        return raw.headers().firstValue(name);
    }

    public String contentType() {
        return header("Content-Type").orElse("");
    }

    @Override
    public String toString() {
        return status + " " + raw.body();
    }
}
