-- Shard schema: one copy per shard database. All times are UTC.
--
-- Metric rows are written as overwrite upserts of a full bucket aggregate (never increments), so a
-- replay rewrites identical values. updated_at changes only when a value changes (MySQL and MariaDB
-- leave ON UPDATE timestamps alone for no-op updates); compaction uses it to find changed buckets.
--
-- Every metrics and errors table is RANGE-partitioned on bucket_start so retention is DROP PARTITION.
-- The migration creates only a catch-all partition; the retention job splits p_future into dated
-- partitions ahead of time (REORGANIZE PARTITION) and drops expired ones.

CREATE TABLE delivery_metrics_minute (
    workspace_id         VARCHAR(64)  NOT NULL,
    source_id            VARCHAR(64)  NOT NULL,
    destination_id       VARCHAR(64)  NOT NULL,
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
    late_dropped         BIGINT       NOT NULL DEFAULT 0,
    updated_at           TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start),
    KEY ix_delivery_metrics_minute_bucket (bucket_start),
    KEY ix_delivery_metrics_minute_updated (updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE delivery_metrics_hour (
    workspace_id         VARCHAR(64)  NOT NULL,
    source_id            VARCHAR(64)  NOT NULL,
    destination_id       VARCHAR(64)  NOT NULL,
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
    late_dropped         BIGINT       NOT NULL DEFAULT 0,
    updated_at           TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start),
    KEY ix_delivery_metrics_hour_bucket (bucket_start),
    KEY ix_delivery_metrics_hour_updated (updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE delivery_metrics_day (
    workspace_id         VARCHAR(64)  NOT NULL,
    source_id            VARCHAR(64)  NOT NULL,
    destination_id       VARCHAR(64)  NOT NULL,
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
    late_dropped         BIGINT       NOT NULL DEFAULT 0,
    updated_at           TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start),
    KEY ix_delivery_metrics_day_bucket (bucket_start),
    KEY ix_delivery_metrics_day_updated (updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);


-- Error breakdown per bucket: counts by (outcome, error_code) for retrying, discarded and expired,
-- capped per bucket, with an 'other' row per outcome for the codes beyond the cap.
CREATE TABLE delivery_errors_minute (
    workspace_id    VARCHAR(64)  NOT NULL,
    source_id       VARCHAR(64)  NOT NULL,
    destination_id  VARCHAR(64)  NOT NULL,
    bucket_start    DATETIME     NOT NULL,
    outcome         VARCHAR(16)  NOT NULL,
    error_code      VARCHAR(64)  NOT NULL,
    error_count     BIGINT       NOT NULL,
    updated_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start, outcome, error_code),
    KEY ix_delivery_errors_minute_bucket (bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE delivery_errors_hour (
    workspace_id    VARCHAR(64)  NOT NULL,
    source_id       VARCHAR(64)  NOT NULL,
    destination_id  VARCHAR(64)  NOT NULL,
    bucket_start    DATETIME     NOT NULL,
    outcome         VARCHAR(16)  NOT NULL,
    error_code      VARCHAR(64)  NOT NULL,
    error_count     BIGINT       NOT NULL,
    updated_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start, outcome, error_code),
    KEY ix_delivery_errors_hour_bucket (bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE delivery_errors_day (
    workspace_id    VARCHAR(64)  NOT NULL,
    source_id       VARCHAR(64)  NOT NULL,
    destination_id  VARCHAR(64)  NOT NULL,
    bucket_start    DATETIME     NOT NULL,
    outcome         VARCHAR(16)  NOT NULL,
    error_code      VARCHAR(64)  NOT NULL,
    error_count     BIGINT       NOT NULL,
    updated_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start, outcome, error_code),
    KEY ix_delivery_errors_day_bucket (bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);


-- Event-time progress of a streaming job on this shard, one row per sink subtask: each subtask
-- writes its row in the same transaction as the rows it flushed. Minutes before complete_through are
-- final (watermark minus allowed lateness, floored to the minute). Readers take the minimum over the
-- rows of the newest parallelism (rows with subtask >= parallelism are left over from a rescale).
CREATE TABLE pipeline_progress (
    pipeline_name    VARCHAR(64)  NOT NULL,
    subtask          INT          NOT NULL,
    parallelism      INT          NOT NULL,
    watermark        DATETIME(3)  NOT NULL,
    complete_through DATETIME     NOT NULL,
    updated_at       TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (pipeline_name, subtask)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;

-- Compaction progress per target tier ('hour', 'day'): buckets before compacted_through are compacted;
-- changes_seen_through is the updated_at high-water mark of the finer tier already taken into account.
CREATE TABLE compaction_progress (
    tier                 VARCHAR(8)   NOT NULL,
    compacted_through    DATETIME     NOT NULL,
    changes_seen_through TIMESTAMP(6) NOT NULL,
    updated_at           TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (tier)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;
