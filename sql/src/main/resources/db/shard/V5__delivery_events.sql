-- Event breakdown per bucket: outcome counts by (event_type, event_name), at most
-- MetricBucket.MAX_EVENT_KEYS rows per bucket plus one row of event_type '*' (no slug can be '*')
-- that collects the keys beyond the cap. The rows of a bucket add up to its metrics row's outcome
-- counters. Written like the error rows: a bucket's rows are replaced in the transaction that writes
-- its metrics row.
--
-- event_name is tenant text (1-128 code points, any UTF-8 including 4-byte characters), stored
-- byte-exact in utf8mb4 with a binary collation; NULL when the records had no name. A NULL cannot be
-- part of a primary key, and a binary collation that pads spaces would make 'a' and 'a ' one key, so
-- the key holds event_name_key instead: UNHEX(MD5(event_name)) of the name's UTF-8 bytes, and
-- UNHEX(MD5('')) for no name ('' is never a valid name). The writer computes it; an ad-hoc query can
-- compute it the same way: UNHEX(MD5(COALESCE(event_name, ''))).
--
-- Partitioned like every tier table: the retention job splits p_future and drops expired partitions.

CREATE TABLE delivery_events_minute (
    workspace_id    VARCHAR(64)  NOT NULL,
    source_id       VARCHAR(64)  NOT NULL,
    destination_id  VARCHAR(64)  NOT NULL,
    bucket_start    DATETIME     NOT NULL,
    event_type      VARCHAR(64)  NOT NULL,
    event_name_key  BINARY(16)   NOT NULL,
    event_name      VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    successes       BIGINT       NOT NULL DEFAULT 0,
    retried         BIGINT       NOT NULL DEFAULT 0,
    discarded       BIGINT       NOT NULL DEFAULT 0,
    expired         BIGINT       NOT NULL DEFAULT 0,
    filtered        BIGINT       NOT NULL DEFAULT 0,
    updated_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start, event_type, event_name_key),
    KEY ix_delivery_events_minute_bucket (bucket_start),
    KEY ix_delivery_events_minute_ws_bucket (workspace_id, bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE delivery_events_hour (
    workspace_id    VARCHAR(64)  NOT NULL,
    source_id       VARCHAR(64)  NOT NULL,
    destination_id  VARCHAR(64)  NOT NULL,
    bucket_start    DATETIME     NOT NULL,
    event_type      VARCHAR(64)  NOT NULL,
    event_name_key  BINARY(16)   NOT NULL,
    event_name      VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    successes       BIGINT       NOT NULL DEFAULT 0,
    retried         BIGINT       NOT NULL DEFAULT 0,
    discarded       BIGINT       NOT NULL DEFAULT 0,
    expired         BIGINT       NOT NULL DEFAULT 0,
    filtered        BIGINT       NOT NULL DEFAULT 0,
    updated_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start, event_type, event_name_key),
    KEY ix_delivery_events_hour_bucket (bucket_start),
    KEY ix_delivery_events_hour_ws_bucket (workspace_id, bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE delivery_events_day (
    workspace_id    VARCHAR(64)  NOT NULL,
    source_id       VARCHAR(64)  NOT NULL,
    destination_id  VARCHAR(64)  NOT NULL,
    bucket_start    DATETIME     NOT NULL,
    event_type      VARCHAR(64)  NOT NULL,
    event_name_key  BINARY(16)   NOT NULL,
    event_name      VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    successes       BIGINT       NOT NULL DEFAULT 0,
    retried         BIGINT       NOT NULL DEFAULT 0,
    discarded       BIGINT       NOT NULL DEFAULT 0,
    expired         BIGINT       NOT NULL DEFAULT 0,
    filtered        BIGINT       NOT NULL DEFAULT 0,
    updated_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id, bucket_start, event_type, event_name_key),
    KEY ix_delivery_events_day_bucket (bucket_start),
    KEY ix_delivery_events_day_ws_bucket (workspace_id, bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin
PARTITION BY RANGE COLUMNS (bucket_start) (
    PARTITION p_future VALUES LESS THAN (MAXVALUE)
);
