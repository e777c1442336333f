package io.deliverymetrics.api.auth;

import java.util.Optional;

/** Finds a stored token by its public id. */
@FunctionalInterface
public interface TokenLookup {
    Optional<StoredToken> find(String tokenId);
}
