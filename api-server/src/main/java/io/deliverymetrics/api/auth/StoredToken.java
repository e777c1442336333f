package io.deliverymetrics.api.auth;

import java.time.Instant;

/**
 * A token as the control database keeps it.
 *
 * @param secretHash SHA-256 of the secret
 * @param revokedAt when it was revoked, {@code null} while valid
 */
public record StoredToken(
        String id,
        byte[] secretHash,
        String workspaceId,
        String description,
        Instant createdAt,
        Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }

    @Override
    public String toString() {
        return "StoredToken[id="
                + id
                + ", workspaceId="
                + workspaceId
                + ", revoked="
                + revoked()
                + "]";
    }
}
