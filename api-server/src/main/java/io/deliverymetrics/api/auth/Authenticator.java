package io.deliverymetrics.api.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks an {@code Authorization: Bearer <token>} header against the stored tokens, and throttles
 * failed authentications per client address: past {@code auth.failure-burst} failures an address is
 * refused without a lookup until it has earned attempts back, so a stream of guessed tokens turns
 * into 429s, not into queries of the control database. A token already cached as valid is checked
 * even then, since checking it costs nothing.
 */
public final class Authenticator {

    private static final String SCHEME = "bearer ";

    private final CachingTokenLookup tokens;
    private final TokenBucketLimiter failures;
    private final Map<String, Counter> failureCounters;
    private final Counter throttled;

    /**
     * @param failures token buckets of failed authentications, keyed by client address
     */
    public Authenticator(
            CachingTokenLookup tokens, TokenBucketLimiter failures, MeterRegistry registry) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.failureCounters =
                Map.of(
                        "missing", failureCounter(registry, "missing"),
                        "malformed", failureCounter(registry, "malformed"),
                        "invalid", failureCounter(registry, "invalid"));
        this.throttled =
                Counter.builder("delivery.metrics.api.auth.throttled")
                        .description(
                                "Requests refused with 429 because their client address failed"
                                        + " authentication too often.")
                        .register(registry);
    }

    private static Counter failureCounter(MeterRegistry registry, String reason) {
        return Counter.builder("delivery.metrics.api.auth.failures")
                .description(
                        "Failed authentications: no header (missing), not a bearer token"
                                + " (malformed), or an unknown, revoked or wrong token (invalid).")
                .tag("reason", reason)
                .register(registry);
    }

    /**
     * The caller behind a request: a token's id and the one workspace it may read, or an operator.
     *
     * @param workspaceId {@code null} for an operator token
     * @param operator an operator token: accepted on the operator routes only, never on a
     *     workspace's
     */
    public record Principal(String tokenId, String workspaceId, boolean operator) {

        /** A workspace token's caller. */
        public Principal(String tokenId, String workspaceId) {
            this(tokenId, Objects.requireNonNull(workspaceId, "workspaceId"), false);
        }

        /** Whether this caller may read {@code workspace}: its own workspace token only. */
        public boolean mayRead(String workspace) {
            return !operator && workspaceId.equals(workspace);
        }
    }

    /** A principal, the reason the request is not authenticated, or that its address must wait. */
    public sealed interface Result {
        /** The token is valid. */
        record Authenticated(Principal principal) implements Result {}

        /** Missing, malformed, unknown, revoked or wrong secret. */
        record Rejected(String reason) implements Result {}

        /** The client address failed too often; nothing was looked up. */
        record Throttled(long retryAfterSeconds) implements Result {}
    }

    /**
     * Unknown ids, revoked tokens and wrong secrets get the same answer, so a caller learns nothing
     * about which ids exist. The secret is compared in constant time.
     *
     * @param clientAddress whom failures are counted against
     */
    public Result authenticate(String authorizationHeader, String clientAddress) {
        String failure;
        String reason;
        Optional<ApiToken> token = Optional.empty();
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            failure = "missing";
            reason = "missing Authorization header; send 'Authorization: Bearer <token>'";
        } else if (authorizationHeader.length() <= SCHEME.length()
                || !authorizationHeader
                        .substring(0, SCHEME.length())
                        .toLowerCase(Locale.ROOT)
                        .equals(SCHEME)) {
            failure = "malformed";
            reason = "the Authorization header must use the Bearer scheme";
        } else {
            token = ApiToken.parse(authorizationHeader.substring(SCHEME.length()).trim());
            failure = token.isPresent() ? "invalid" : "malformed";
            reason = "the token is invalid or has been revoked";
        }
        if (token.isPresent() && tokens.knownValid(token.get().id())) {
            return check(token.get(), clientAddress);
        }
        // Only failures are charged; a lookup is made while the address has failures left. So
        // concurrent requests with valid tokens are never refused for each other, and a flood
        // from one address costs at most its burst plus the requests it has in flight at once.
        TokenBucketLimiter.Decision allowance = failures.peek(clientAddress);
        if (!allowance.allowed()) {
            throttled.increment();
            return new Result.Throttled(allowance.retryAfterSeconds());
        }
        if (token.isEmpty()) {
            failures.acquire(clientAddress);
            failureCounters.get(failure).increment();
            return new Result.Rejected(reason);
        }
        return check(token.get(), clientAddress);
    }

    /** Checks a well-formed token; a failure is charged to {@code chargeTo}. */
    private Result check(ApiToken token, String chargeTo) {
        Optional<StoredToken> stored = tokens.find(token.id());
        if (stored.isEmpty()
                || stored.get().revoked()
                || !token.matches(stored.get().secretHash())) {
            failures.acquire(chargeTo);
            failureCounters.get("invalid").increment();
            return new Result.Rejected("the token is invalid or has been revoked");
        }
        return new Result.Authenticated(
                new Principal(
                        stored.get().id(), stored.get().workspaceId(), stored.get().operator()));
    }
}
