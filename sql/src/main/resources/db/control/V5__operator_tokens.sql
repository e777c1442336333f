-- Control schema: operator tokens. A token is either a workspace token (reads one workspace, as
-- before) or an operator token, which is tied to no workspace and is accepted only on the operator
-- routes (system-wide views such as the status of every destination type), never on a workspace's.
ALTER TABLE api_tokens
    ADD COLUMN scope VARCHAR(16) NOT NULL DEFAULT 'workspace' AFTER token_hash,
    MODIFY COLUMN workspace_id VARCHAR(64) NULL,
    ADD CONSTRAINT ck_api_tokens_scope CHECK (
        (scope = 'workspace' AND workspace_id IS NOT NULL)
        OR (scope = 'operator' AND workspace_id IS NULL));
