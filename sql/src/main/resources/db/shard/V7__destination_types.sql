-- The destination type (the partner API: braze, salesforce, ...) of each destination of a
-- workspace, as the streaming job last saw it, so that a pair's responses can name the type and
-- that type's public status ("is it me or them?"). One row per (workspace, destination), written by
-- the job's shard sink in the transaction that writes the pair minute rows: at most one upsert per
-- destination and flush.
--
-- The type is the one of the latest minute (seen_minute, the completed_at minute of the records)
-- whose records named one; records without destination_type (counted under 'unknown' elsewhere)
-- never write, so a destination none of whose records named a type has no row. When one minute
-- saw two types (the minute a destination was switched), the greater in binary order wins. The row
-- thus depends only on the set of records, not on their order or on how often they are replayed:
-- a replay rewrites it or leaves it, and an older minute never replaces a newer one.
--
-- Not a tier table: not partitioned and not purged by retention (like delivery_totals); the job's
-- pair cap bounds its rows, and the overflow pair has none.

CREATE TABLE destination_types (
    workspace_id     VARCHAR(64)  NOT NULL,
    destination_id   VARCHAR(64)  NOT NULL,
    destination_type VARCHAR(64)  NOT NULL,
    seen_minute      DATETIME     NOT NULL,
    updated_at       TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, destination_id)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;
