package io.deliverymetrics.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.router.JavalinDefaultRouting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code /healthz} (the process is up) and {@code /readyz} (every database is reachable). */
public final class HealthRoutes {

    /** A named dependency that must be reachable for the server to be ready. */
    public record Dependency(String name, BooleanSupplier reachable) {}

    private final List<Dependency> dependencies;
    private final ObjectMapper mapper;

    public HealthRoutes(List<Dependency> dependencies, ObjectMapper mapper) {
        this.dependencies = List.copyOf(dependencies);
        this.mapper = mapper;
    }

    public void register(JavalinDefaultRouting router) {
        router.get(
                "/healthz",
                ctx ->
                        ctx.contentType("application/json")
                                .result(Json.write(mapper, Map.of("status", "up"))));
        router.get(
                "/readyz",
                ctx -> {
                    Map<String, Boolean> checks = new LinkedHashMap<>();
                    boolean ready = true;
                    for (Dependency d : dependencies) {
                        boolean ok = d.reachable().getAsBoolean();
                        checks.put(d.name(), ok);
                        ready &= ok;
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", ready ? "ready" : "unavailable");
                    body.put("reachable", checks);
                    ctx.status(ready ? 200 : 503)
                            .contentType("application/json")
                            .result(Json.write(mapper, body));
                });
    }
}
