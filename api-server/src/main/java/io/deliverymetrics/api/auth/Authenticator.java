package io.deliverymetrics.api.auth;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** Checks an {@code Authorization: Bearer <token>} header against the stored tokens. */
public final class Authenticator {

    private static final String SCHEME = "bearer ";

    private final TokenLookup tokens;

    public Authenticator(TokenLookup tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /** The caller behind a request: a token's id and the one workspace it may read. */
    public record Principal(String tokenId, String workspaceId) {
        public boolean mayRead(String workspace) {
            return workspaceId.equals(workspace);
        }
    }

    /** Either a principal or the reason the request is not authenticated. */
    public sealed interface Result {
        /** The token is valid. */
        record Authenticated(Principal principal) implements Result {}

        /** Missing, malformed, unknown, revoked or wrong secret. */
        record Rejected(String reason) implements Result {}
    }

    /**
     * Unknown ids, revoked tokens and wrong secrets get the same answer, so a caller learns nothing
     * about which ids exist.
     */
    public Result authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return new Result.Rejected(
                    "missing Authorization header; send 'Authorization: Bearer <token>'");
        }
        if (authorizationHeader.length() <= SCHEME.length()
                || !authorizationHeader
                        .substring(0, SCHEME.length())
                        .toLowerCase(Locale.ROOT)
                        .equals(SCHEME)) {
            return new Result.Rejected("the Authorization header must use the Bearer scheme");
        }
        Optional<ApiToken> token =
                ApiToken.parse(authorizationHeader.substring(SCHEME.length()).trim());
        Optional<StoredToken> stored = token.flatMap(t -> tokens.find(t.id()));
        if (stored.isEmpty()
                || stored.get().revoked()
                || !token.get().matches(stored.get().secretHash())) {
            return new Result.Rejected("the token is invalid or has been revoked");
        }
        return new Result.Authenticated(
                new Principal(stored.get().id(), stored.get().workspaceId()));
    }
}
