-- The event breakdown moves into the metrics row: one event_counts column per bucket instead of one
-- row per (bucket, event type, event name) in delivery_events_<tier>. A bucket has up to
-- MetricBucket.MAX_EVENT_KEYS keys plus the '*' row that collects the rest, about ten on a typical
-- pair-minute; as rows they were more than ten times the metrics rows, and most of what the job
-- wrote and the database stored (about 580 bytes per event row). Encoded they add a few hundred
-- bytes to the bucket's row, written in the same upsert.
--
-- event_counts is BucketCodec.encodeEvents: version byte 1, then the keys sorted by (event type,
-- event name, no name first), each with its type, its name (or none) and its five outcome counters
-- as varints. Event names are tenant text and travel as their UTF-8 bytes, so they round-trip
-- byte-exact. NULL when the bucket has no attempts (a row that only counts late records).
--
-- Upgrading: the breakdown of buckets written before this version is not converted (SQL cannot
-- produce the encoding); those buckets read as having no event breakdown.

ALTER TABLE delivery_metrics_minute ADD COLUMN event_counts MEDIUMBLOB NULL AFTER latency_sketch;
ALTER TABLE delivery_metrics_hour ADD COLUMN event_counts MEDIUMBLOB NULL AFTER latency_sketch;
ALTER TABLE delivery_metrics_day ADD COLUMN event_counts MEDIUMBLOB NULL AFTER latency_sketch;

DROP TABLE delivery_events_minute;
DROP TABLE delivery_events_hour;
DROP TABLE delivery_events_day;
