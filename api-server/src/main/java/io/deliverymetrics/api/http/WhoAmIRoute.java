package io.deliverymetrics.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.api.auth.ApiToken;
import io.deliverymetrics.api.auth.Authenticator.Principal;
import io.javalin.router.JavalinDefaultRouting;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/whoami}: the calling token's id and the workspace it may read (none for an
 * operator token), so a client such as the dashboard needs only the token. It tells a caller only
 * about its own token, so it answers tokens of either scope.
 */
public final class WhoAmIRoute {

    /** Path of the endpoint. */
    public static final String PATH = "/v1/whoami";

    private final RequestGuard guard;
    private final ObjectMapper mapper;

    public WhoAmIRoute(RequestGuard guard, ObjectMapper mapper) {
        this.guard = guard;
        this.mapper = mapper;
    }

    public void register(JavalinDefaultRouting router) {
        router.get(
                PATH,
                ctx -> {
                    Optional<Principal> p = guard.admit(ctx);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("auth_enabled", guard.authEnabled());
                    body.put("token_id", p.map(t -> ApiToken.PREFIX + t.tokenId()).orElse(null));
                    body.put("workspace_id", p.map(Principal::workspaceId).orElse(null));
                    body.put(
                            "scope",
                            p.map(t -> t.operator() ? "operator" : "workspace").orElse(null));
                    ctx.contentType("application/json").result(Json.write(mapper, body));
                });
    }
}
