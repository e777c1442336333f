package io.deliverymetrics.api.auth;

import java.time.Instant;

/**
 * A token as the control database keeps it.
 *
 * @param secretHash SHA-256 of the secret
 * @param workspaceId the one workspace a workspace token reads; {@code null} for an operator token
 * @param operator an operator token: accepted only on the operator routes, tied to no workspace
 * @param revokedAt when it was revoked, {@code null} while valid
 */
public record StoredToken(
        String id,
        byte[] secretHash,
        String workspaceId,
        boolean operator,
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
                + (operator ? ", operator" : ", workspaceId=" + workspaceId)
                + ", revoked="
                + revoked()
                + "]";
    }
}
