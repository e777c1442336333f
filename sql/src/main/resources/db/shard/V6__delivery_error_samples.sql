-- Error samples per bucket: for each error row (outcome, error_code) of a bucket, up to
-- ErrorSamples.MAX_SAMPLES (10) failed attempts, the bottom-k by a stable 64-bit hash of
-- (event_id, attempt) (core ErrorSamples.hash: FNV-1a over the event id's UTF-8 bytes and the
-- attempt's four bytes, SplitMix64 finaliser). The same attempts therefore give the same samples
-- whatever order they arrive in, a replay rewrites the same rows, and an hour's samples are the
-- bottom-k of its minutes' samples (compaction merges them exactly). Samples of error codes folded
-- into the bucket's 'other' row are kept under that row, each with its own code in
-- sample_error_code.
--
-- sample_rank is the sample's position by hash (0 = smallest), so a bucket's rows are keyed without
-- relying on hashes being distinct; sample_hash is the hash as a signed BIGINT (compare unsigned:
-- ORDER BY sample_rank). Written like the error rows: a bucket's samples are replaced in the
-- transaction that writes its metrics row.
--
-- event_name and error_message are tenant text (any UTF-8 including 4-byte characters), stored
-- byte-exact in utf8mb4 with a binary collation; NULL when the record had none. completed_at keeps
-- microseconds (samples hold the attempt's completion truncated to the microsecond).
--
-- Partitioned like every tier table: the retention job splits p_future and drops expired partitions
-- (samples keep their own, shorter retention: retention.samples).

CREATE TABLE delivery_error_samples_minute (
    workspace_id      VARCHAR(64)   NOT NULL,
    source_id         VARCHAR(64)   NOT NULL,
    destination_id    VARCHAR(64)   NOT NULL,
    bucket_start      DATETIME      NOT NULL,
    outcome           VARCHAR(16)   NOT NULL,
    error_code        VARCHAR(64)   NOT NULL,
    sample_rank       TINYINT       NOT NULL,
    sample_hash       BIGINT        NOT NULL,
    event_id          VARCHAR(64)   CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    attempt           INT           NOT NULL,
    sample_error_code VARCHAR(64)   NOT NULL,
    completed_at      DATETIME(6)   NOT NULL,
    event_type        VARCHAR(64)   NOT NULL,
    event_name        VARCHAR(128)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    error_message     VARCHAR(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    updated_at        TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start, outcome, error_code, sample_rank),
    KEY ix_delivery_error_samples_minute_bucket (bucket_start),
    KEY ix_delivery_error_samples_minute_ws_bucket (workspace_id, bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE delivery_error_samples_hour (
    workspace_id      VARCHAR(64)   NOT NULL,
    source_id         VARCHAR(64)   NOT NULL,
    destination_id    VARCHAR(64)   NOT NULL,
    bucket_start      DATETIME      NOT NULL,
    outcome           VARCHAR(16)   NOT NULL,
    error_code        VARCHAR(64)   NOT NULL,
    sample_rank       TINYINT       NOT NULL,
    sample_hash       BIGINT        NOT NULL,
    event_id          VARCHAR(64)   CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    attempt           INT           NOT NULL,
    sample_error_code VARCHAR(64)   NOT NULL,
    completed_at      DATETIME(6)   NOT NULL,
    event_type        VARCHAR(64)   NOT NULL,
    event_name        VARCHAR(128)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    error_message     VARCHAR(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    updated_at        TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start, outcome, error_code, sample_rank),
    KEY ix_delivery_error_samples_hour_bucket (bucket_start),
    KEY ix_delivery_error_samples_hour_ws_bucket (workspace_id, bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE delivery_error_samples_day (
    workspace_id      VARCHAR(64)   NOT NULL,
    source_id         VARCHAR(64)   NOT NULL,
    destination_id    VARCHAR(64)   NOT NULL,
    bucket_start      DATETIME      NOT NULL,
    outcome           VARCHAR(16)   NOT NULL,
    error_code        VARCHAR(64)   NOT NULL,
    sample_rank       TINYINT       NOT NULL,
    sample_hash       BIGINT        NOT NULL,
    event_id          VARCHAR(64)   CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    attempt           INT           NOT NULL,
    sample_error_code VARCHAR(64)   NOT NULL,
    completed_at      DATETIME(6)   NOT NULL,
    event_type        VARCHAR(64)   NOT NULL,
    event_name        VARCHAR(128)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    error_message     VARCHAR(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    updated_at        TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start, outcome, error_code, sample_rank),
    KEY ix_delivery_error_samples_day_bucket (bucket_start),
    KEY ix_delivery_error_samples_day_ws_bucket (workspace_id, bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);
