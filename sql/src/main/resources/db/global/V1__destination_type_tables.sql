-- Global schema: one database for the whole deployment, not a tenant shard. It holds roll-ups over
-- all workspaces per destination type (the partner API, 'unknown' when records omit it). All times
-- are UTC.
--
-- Rows are overwrite upserts of a full bucket aggregate, exactly like the pair rows of a shard: the
-- metric columns are those of delivery_metrics_*, plus the distinct workspaces and pairs that
-- contributed records and that were affected (had a retrying, discarded or expired record), each as
-- an Apache DataSketches HLL sketch (lgK 12, compact HLL_4 bytes; exact below 384 items) and its
-- rounded estimate. Sketches merge, so hour and day rows are unions of the finer rows' sketches.
-- Partitioned on bucket_start like the shard tables, so retention is DROP PARTITION.

CREATE TABLE destination_type_metrics_minute (
    destination_type     VARCHAR(64)  NOT NULL,
    bucket_start         DATETIME     NOT NULL,
    successes            BIGINT       NOT NULL DEFAULT 0,
    retried              BIGINT       NOT NULL DEFAULT 0,
    discarded            BIGINT       NOT NULL DEFAULT 0,
    expired              BIGINT       NOT NULL DEFAULT 0,
    filtered             BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_1  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_2  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_3  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_4  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_5  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_6  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_7  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_8  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_9  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_10 BIGINT       NOT NULL DEFAULT 0,
    latency_count        BIGINT       NOT NULL DEFAULT 0,
    latency_sum_ms       BIGINT       NOT NULL DEFAULT 0,
    latency_max_ms       BIGINT       NOT NULL DEFAULT 0,
    latency_sketch       BLOB         NULL,
    workspaces           BIGINT       NOT NULL DEFAULT 0,
    pairs                BIGINT       NOT NULL DEFAULT 0,
    affected_workspaces  BIGINT       NOT NULL DEFAULT 0,
    affected_pairs       BIGINT       NOT NULL DEFAULT 0,
    workspaces_sketch          BLOB   NULL,
    pairs_sketch               BLOB   NULL,
    affected_workspaces_sketch BLOB   NULL,
    affected_pairs_sketch      BLOB   NULL,
    updated_at           TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (destination_type, bucket_start),
    KEY ix_destination_type_metrics_minute_bucket (bucket_start),
    KEY ix_destination_type_metrics_minute_updated (updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE destination_type_metrics_hour (
    destination_type     VARCHAR(64)  NOT NULL,
    bucket_start         DATETIME     NOT NULL,
    successes            BIGINT       NOT NULL DEFAULT 0,
    retried              BIGINT       NOT NULL DEFAULT 0,
    discarded            BIGINT       NOT NULL DEFAULT 0,
    expired              BIGINT       NOT NULL DEFAULT 0,
    filtered             BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_1  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_2  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_3  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_4  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_5  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_6  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_7  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_8  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_9  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_10 BIGINT       NOT NULL DEFAULT 0,
    latency_count        BIGINT       NOT NULL DEFAULT 0,
    latency_sum_ms       BIGINT       NOT NULL DEFAULT 0,
    latency_max_ms       BIGINT       NOT NULL DEFAULT 0,
    latency_sketch       BLOB         NULL,
    workspaces           BIGINT       NOT NULL DEFAULT 0,
    pairs                BIGINT       NOT NULL DEFAULT 0,
    affected_workspaces  BIGINT       NOT NULL DEFAULT 0,
    affected_pairs       BIGINT       NOT NULL DEFAULT 0,
    workspaces_sketch          BLOB   NULL,
    pairs_sketch               BLOB   NULL,
    affected_workspaces_sketch BLOB   NULL,
    affected_pairs_sketch      BLOB   NULL,
    updated_at           TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (destination_type, bucket_start),
    KEY ix_destination_type_metrics_hour_bucket (bucket_start),
    KEY ix_destination_type_metrics_hour_updated (updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE destination_type_metrics_day (
    destination_type     VARCHAR(64)  NOT NULL,
    bucket_start         DATETIME     NOT NULL,
    successes            BIGINT       NOT NULL DEFAULT 0,
    retried              BIGINT       NOT NULL DEFAULT 0,
    discarded            BIGINT       NOT NULL DEFAULT 0,
    expired              BIGINT       NOT NULL DEFAULT 0,
    filtered             BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_1  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_2  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_3  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_4  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_5  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_6  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_7  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_8  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_9  BIGINT       NOT NULL DEFAULT 0,
    successes_attempt_10 BIGINT       NOT NULL DEFAULT 0,
    latency_count        BIGINT       NOT NULL DEFAULT 0,
    latency_sum_ms       BIGINT       NOT NULL DEFAULT 0,
    latency_max_ms       BIGINT       NOT NULL DEFAULT 0,
    latency_sketch       BLOB         NULL,
    workspaces           BIGINT       NOT NULL DEFAULT 0,
    pairs                BIGINT       NOT NULL DEFAULT 0,
    affected_workspaces  BIGINT       NOT NULL DEFAULT 0,
    affected_pairs       BIGINT       NOT NULL DEFAULT 0,
    workspaces_sketch          BLOB   NULL,
    pairs_sketch               BLOB   NULL,
    affected_workspaces_sketch BLOB   NULL,
    affected_pairs_sketch      BLOB   NULL,
    updated_at           TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (destination_type, bucket_start),
    KEY ix_destination_type_metrics_day_bucket (bucket_start),
    KEY ix_destination_type_metrics_day_updated (updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

-- Error counts per destination type and bucket by (outcome, error_code), capped per bucket with an
-- 'other' row per outcome, as delivery_errors_* are per pair.

CREATE TABLE destination_type_errors_minute (
    destination_type VARCHAR(64)  NOT NULL,
    bucket_start     DATETIME     NOT NULL,
    outcome          VARCHAR(16)  NOT NULL,
    error_code       VARCHAR(64)  NOT NULL,
    error_count      BIGINT       NOT NULL,
    updated_at       TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (destination_type, bucket_start, outcome, error_code),
    KEY ix_destination_type_errors_minute_bucket (bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE destination_type_errors_hour (
    destination_type VARCHAR(64)  NOT NULL,
    bucket_start     DATETIME     NOT NULL,
    outcome          VARCHAR(16)  NOT NULL,
    error_code       VARCHAR(64)  NOT NULL,
    error_count      BIGINT       NOT NULL,
    updated_at       TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (destination_type, bucket_start, outcome, error_code),
    KEY ix_destination_type_errors_hour_bucket (bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE destination_type_errors_day (
    destination_type VARCHAR(64)  NOT NULL,
    bucket_start     DATETIME     NOT NULL,
    outcome          VARCHAR(16)  NOT NULL,
    error_code       VARCHAR(64)  NOT NULL,
    error_count      BIGINT       NOT NULL,
    updated_at       TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (destination_type, bucket_start, outcome, error_code),
    KEY ix_destination_type_errors_day_bucket (bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

-- The streaming job's event-time progress for the global rows, one row per writer subtask, the same
-- table and meaning as a shard's pipeline_progress (PipelineProgress reads and writes both).
CREATE TABLE pipeline_progress (
    pipeline_name    VARCHAR(64)  NOT NULL,
    subtask          INT          NOT NULL,
    parallelism      INT          NOT NULL,
    watermark        DATETIME(3)  NOT NULL,
    final_through    DATETIME     NOT NULL,
    updated_at       TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (pipeline_name, subtask)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;
