-- The error samples move into the error row: one samples column per (pair, bucket, outcome, error
-- code) instead of up to ten rows per error row in delivery_error_samples_<tier>. As rows (about
-- three per metrics row, each with three indexes) they were the largest part of what the job wrote
-- and the database stored; encoded they add a few hundred bytes to the error row, written in the
-- same upsert.
--
-- samples is BucketCodec.encodeSamples: version byte 1, the count, then each sample, smallest hash
-- first (the bottom-k by core ErrorSamples.hash of (event id, attempt)), with its hash, event id,
-- attempt, own error code (samples under an 'other' row keep theirs), completion time to the
-- nanosecond, event type, event name and error message. Event names and messages are tenant text and
-- travel as their UTF-8 bytes, so they round-trip byte-exact. NULL when the row has no samples (the
-- job runs with samples.enabled=false, or retention cleared them).
--
-- Samples keep a shorter retention than their rows (retention.samples): the retention run sets the
-- column to NULL on the rows of buckets older than that, and records in error_samples_retention how
-- far each tier is cleared, so every run only visits the buckets that expired since the last one.
--
-- Upgrading: the samples of buckets written before this version are not converted (SQL cannot
-- produce the encoding); those buckets read as having no samples.

ALTER TABLE delivery_errors_minute ADD COLUMN samples MEDIUMBLOB NULL AFTER error_count;
ALTER TABLE delivery_errors_hour ADD COLUMN samples MEDIUMBLOB NULL AFTER error_count;
ALTER TABLE delivery_errors_day ADD COLUMN samples MEDIUMBLOB NULL AFTER error_count;

DROP TABLE delivery_error_samples_minute;
DROP TABLE delivery_error_samples_hour;
DROP TABLE delivery_error_samples_day;

-- Per tier ('minute', 'hour', 'day'): the error rows of buckets before cleared_before have no
-- samples any more.
CREATE TABLE error_samples_retention (
    tier           VARCHAR(8)   NOT NULL,
    cleared_before DATETIME     NOT NULL,
    updated_at     TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (tier)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;
