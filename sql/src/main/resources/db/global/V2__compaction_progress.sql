-- How far the batch layer has compacted the global tables, one row per target tier: the same table
-- and meaning as a shard's compaction_progress (V1__metric_tables.sql of the shard schema).
CREATE TABLE compaction_progress (
    tier                 VARCHAR(8)   NOT NULL,
    compacted_through    DATETIME     NOT NULL,
    changes_seen_through TIMESTAMP(6) NOT NULL,
    updated_at           TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (tier)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;
