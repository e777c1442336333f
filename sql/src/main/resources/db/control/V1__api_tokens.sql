-- Control schema: API tokens. Only a SHA-256 hash of each secret is stored; token_id is the public
-- part of the token (shown in listings and logs), the secret is shown once at creation.
CREATE TABLE api_tokens (
    token_id      VARCHAR(32)  NOT NULL,
    token_hash    BINARY(32)   NOT NULL,
    workspace_id  VARCHAR(64)  NOT NULL,
    description   VARCHAR(255) NOT NULL DEFAULT '',
    created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    revoked_at    TIMESTAMP(6) NULL,
    PRIMARY KEY (token_id),
    KEY ix_api_tokens_workspace (workspace_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
