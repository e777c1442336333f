package io.deliverymetrics.api.http;

import io.deliverymetrics.api.auth.Authenticator;
import io.deliverymetrics.api.auth.Authenticator.Principal;
import io.deliverymetrics.api.auth.TokenBucketLimiter;
import io.deliverymetrics.api.query.Ids;
import io.deliverymetrics.api.query.InvalidRequestException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;
import java.util.Optional;

/**
 * Runs before every {@code /v1} handler: authenticates the bearer token (401, or 429 for an address
 * that failed too often), applies the token's rate limit (429, with {@code X-RateLimit-*} headers
 * on every answer), checks the workspace id (400) and that the token may read that workspace (403).
 *
 * <p>Two scopes of token: a workspace token reads its one workspace and nothing else; an operator
 * token is accepted only on the operator routes ({@link #protectOperator}) and gets 403 on every
 * workspace's route, so operators never read tenant data through it. Public routes ({@link
 * #admitPublic}) take no token and are rate-limited per client address.
 */
public final class RequestGuard {

    static final String WORKSPACE_PARAM = "workspace_id";
    private static final String BEARER_CHALLENGE = "Bearer realm=\"delivery-metrics\"";

    private final Optional<Authenticator> authenticator;
    private final Optional<TokenBucketLimiter> limiter;

    /**
     * @param authenticator empty when auth is disabled: every caller may read every workspace
     * @param limiter empty when rate limiting is disabled
     */
    public RequestGuard(
            Optional<Authenticator> authenticator, Optional<TokenBucketLimiter> limiter) {
        this.authenticator = authenticator;
        this.limiter = limiter;
    }

    /** {@code handler} behind the checks. */
    public Handler protect(Handler handler) {
        return ctx -> {
            Optional<Principal> principal = admit(ctx);
            String workspace = ctx.pathParam(WORKSPACE_PARAM);
            if (!Ids.isValid(workspace)) {
                throw new InvalidRequestException(WORKSPACE_PARAM, Ids.RULE);
            }
            if (principal.isPresent() && principal.get().operator()) {
                throw ApiProblem.of(
                        403,
                        "Forbidden",
                        "an operator token is accepted on the operator routes only and may not"
                                + " read workspace "
                                + workspace);
            }
            if (principal.isPresent() && !principal.get().mayRead(workspace)) {
                throw ApiProblem.of(
                        403,
                        "Forbidden",
                        "this token is scoped to another workspace and may not read " + workspace);
            }
            handler.handle(ctx);
        };
    }

    /**
     * {@code handler} of an operator route behind the checks: authenticated (401), rate-limited
     * (429), and only for an operator token (403 for a workspace token). With auth disabled every
     * caller passes, as for the workspace routes.
     */
    public Handler protectOperator(Handler handler) {
        return ctx -> {
            Optional<Principal> principal = admit(ctx);
            if (principal.isPresent() && !principal.get().operator()) {
                throw ApiProblem.of(
                        403,
                        "Forbidden",
                        "this route needs an operator token; a workspace token reads only its"
                                + " workspace");
            }
            handler.handle(ctx);
        };
    }

    /**
     * Rate-limits a request to a public route, which takes no token (an {@code Authorization}
     * header is ignored): per client address, with the same bucket size and refill as a token's
     * ({@code rate-limit.*}), as every request is limited when auth is disabled.
     */
    public void admitPublic(Context ctx) {
        rateLimit(ctx, "ip:" + ctx.ip());
    }

    /**
     * Authenticates (401) and rate-limits (429) a request that names no workspace.
     *
     * @return the caller; empty when auth is disabled
     */
    public Optional<Principal> admit(Context ctx) {
        Optional<Principal> principal = authenticate(ctx);
        rateLimit(ctx, principal.map(p -> "token:" + p.tokenId()).orElse("ip:" + ctx.ip()));
        return principal;
    }

    /** Whether requests must carry a token. */
    public boolean authEnabled() {
        return authenticator.isPresent();
    }

    private Optional<Principal> authenticate(Context ctx) {
        if (authenticator.isEmpty()) {
            return Optional.empty();
        }
        Authenticator.Result r =
                authenticator.get().authenticate(ctx.header("Authorization"), ctx.ip());
        if (r instanceof Authenticator.Result.Throttled t) {
            throw new ApiProblem(
                    429,
                    ApiProblem.TYPE_PREFIX + "too-many-failed-authentications",
                    "Too Many Requests",
                    "too many failed authentications from this address; retry after "
                            + t.retryAfterSeconds()
                            + " s",
                    Map.of(),
                    Map.of("Retry-After", Long.toString(t.retryAfterSeconds())));
        }
        if (r instanceof Authenticator.Result.Rejected rejected) {
            throw new ApiProblem(
                    401,
                    "about:blank",
                    "Unauthorized",
                    rejected.reason(),
                    Map.of(),
                    Map.of("WWW-Authenticate", BEARER_CHALLENGE));
        }
        return Optional.of(((Authenticator.Result.Authenticated) r).principal());
    }

    private void rateLimit(Context ctx, String key) {
        if (limiter.isEmpty()) {
            return;
        }
        TokenBucketLimiter.Decision d = limiter.get().acquire(key);
        ctx.header("X-RateLimit-Limit", Integer.toString(d.limit()));
        ctx.header("X-RateLimit-Remaining", Integer.toString(d.remaining()));
        ctx.header("X-RateLimit-Reset", Long.toString(d.resetSeconds()));
        if (!d.allowed()) {
            throw new ApiProblem(
                    429,
                    "about:blank",
                    "Too Many Requests",
                    "rate limit of "
                            + d.limit()
                            + " requests exceeded; retry after "
                            + d.retryAfterSeconds()
                            + " s",
                    Map.of(),
                    Map.of("Retry-After", Long.toString(d.retryAfterSeconds())));
        }
    }
}
