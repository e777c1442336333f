-- Control schema: delivery goals a workspace declares for itself, its destinations or its pairs.
-- One goal is one objective: a minimum success rate over a rolling window, a maximum p95 latency
-- over a window, or a maximum data lag. A goal for a destination has source_id NULL; one for the
-- whole workspace has both NULL.
CREATE TABLE delivery_goals (
    workspace_id    VARCHAR(64)  NOT NULL,
    goal_id         VARCHAR(64)  NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    target          DOUBLE       NOT NULL,
    window_seconds  BIGINT       NULL,
    source_id       VARCHAR(64)  NULL,
    destination_id  VARCHAR(64)  NULL,
    description     VARCHAR(255) NOT NULL DEFAULT '',
    created_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, goal_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
