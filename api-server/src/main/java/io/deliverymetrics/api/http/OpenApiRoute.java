package io.deliverymetrics.api.http;

import io.javalin.router.JavalinDefaultRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the hand-written OpenAPI 3.1 document bundled as {@value #RESOURCE}. */
public final class OpenApiRoute {

    /** Classpath location of the document. */
    public static final String RESOURCE = "/openapi.json";

    private final byte[] document;

    public OpenApiRoute() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public void register(JavalinDefaultRouting router) {
        router.get("/openapi.json", ctx -> ctx.contentType("application/json").result(document));
    }
}
