package io.deliverymetrics.api.internal;

import io.deliverymetrics.api.auth.ApiToken;
import io.deliverymetrics.api.auth.StoredToken;
import io.deliverymetrics.api.auth.TokenLookup;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code api_tokens} table of the control database: create, find, list and revoke. */
public final class TokenStore implements TokenLookup {

    private static final String INSERT =
            """
            INSERT INTO api_tokens (token_id, token_hash, scope, workspace_id, description)
            VALUES (?, ?, ?, ?, ?)""";

    private static final String COLUMNS =
            "token_id, token_hash, workspace_id, scope, description, created_at, revoked_at";

    /**
     * Scope of an operator token; it sorts before {@code workspace}, so listings show them first.
     */
    private static final String OPERATOR = "operator";

    private static final String FIND = "SELECT " + COLUMNS + " FROM api_tokens WHERE token_id = ?";

    private static final String LIST_ALL =
            "SELECT "
                    + COLUMNS
                    + " FROM api_tokens ORDER BY scope, workspace_id, created_at, token_id";

    private static final String LIST_OPERATOR =
            "SELECT "
                    + COLUMNS
                    + " FROM api_tokens WHERE scope = 'operator' ORDER BY created_at, token_id";

    private static final String LIST_WORKSPACE =
            "SELECT "
                    + COLUMNS
                    + " FROM api_tokens WHERE workspace_id = ?"
                    + " ORDER BY created_at, token_id";

    private static final String REVOKE =
            """
            UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP(6)
            WHERE token_id = ? AND revoked_at IS NULL""";

    /** Longest description the table accepts. */
    public static final int MAX_DESCRIPTION = 255;

    private final DataSource control;
    private final SecureRandom random;

    public TokenStore(DataSource control, SecureRandom random) {
        this.control = Objects.requireNonNull(control, "control");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Creates a token for {@code workspaceId}; the returned token is the only copy of its secret.
     */
    public ApiToken create(String workspaceId, String description) {
        return insert(Objects.requireNonNull(workspaceId, "workspaceId"), description);
    }

    /**
     * Creates an operator token (no workspace; accepted only on the operator routes); the returned
     * token is the only copy of its secret.
     */
    public ApiToken createOperator(String description) {
        return insert(null, description);
    }

    private ApiToken insert(String workspaceId, String description) {
        if (description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException(
                    "description must be at most " + MAX_DESCRIPTION + " characters");
        }
        ApiToken token = ApiToken.generate(random);
        try (Connection c = control.getConnection();
                PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, token.id());
            ps.setBytes(2, token.secretHash());
            ps.setString(3, workspaceId == null ? OPERATOR : "workspace");
            ps.setString(4, workspaceId);
            ps.setString(5, description);
            ps.executeUpdate();
            return token;
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot store token", e);
        }
    }

    @Override
    public Optional<StoredToken> find(String tokenId) {
        try (Connection c = control.getConnection();
                PreparedStatement ps = c.prepareStatement(FIND)) {
            ps.setString(1, tokenId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot read tokens", e);
        }
    }

    /** Every token (of one workspace if given), revoked ones included; operator tokens first. */
    public List<StoredToken> list(Optional<String> workspaceId) {
        return list(workspaceId.isPresent() ? LIST_WORKSPACE : LIST_ALL, workspaceId);
    }

    /** Every operator token, revoked ones included. */
    public List<StoredToken> listOperators() {
        return list(LIST_OPERATOR, Optional.empty());
    }

    private List<StoredToken> list(String sql, Optional<String> workspaceId) {
        try (Connection c = control.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (workspaceId.isPresent()) {
                ps.setString(1, workspaceId.get());
            }
            List<StoredToken> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot list tokens", e);
        }
    }

    /**
     * Revokes a token; false when no valid token has that id. A server refuses it once its cached
     * copy is older than {@code auth.token-cache-max-age}.
     */
    public boolean revoke(String tokenId) {
        try (Connection c = control.getConnection();
                PreparedStatement ps = c.prepareStatement(REVOKE)) {
            ps.setString(1, tokenId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot revoke token", e);
        }
    }

    private static StoredToken read(ResultSet rs) throws SQLException {
        return new StoredToken(
                rs.getString(1),
                rs.getBytes(2),
                rs.getString(3),
                OPERATOR.equals(rs.getString(4)),
                rs.getString(5),
                rs.getTimestamp(6).toInstant(),
                rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant());
    }
}
