-- Running totals per pair over every final minute, for the metrics expositions' Prometheus
-- counters and histogram. The streaming job adds each minute once it is final (the allowed
-- lateness has passed it) and writes the pair's whole total as an overwrite upsert that never
-- moves backwards: a replay after a failure rewrites the same values, or older ones that are
-- refused. Totals outlive retention (they keep counting after the minute rows are dropped).
--
-- latency_le holds the cumulative latency histogram: one count per bound of
-- DeliveryTotals.LATENCY_BOUNDS_MS (10 ms ... 5 min), comma-separated; +Inf is latency_count.

CREATE TABLE delivery_totals (
    workspace_id   VARCHAR(64)  NOT NULL,
    source_id      VARCHAR(64)  NOT NULL,
    destination_id VARCHAR(64)  NOT NULL,
    final_through  DATETIME     NOT NULL,
    successes      BIGINT       NOT NULL,
    retried        BIGINT       NOT NULL,
    discarded      BIGINT       NOT NULL,
    expired        BIGINT       NOT NULL,
    filtered       BIGINT       NOT NULL,
    latency_count  BIGINT       NOT NULL,
    latency_sum_ms BIGINT       NOT NULL,
    latency_le     VARCHAR(400) NOT NULL,
    updated_at     TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (workspace_id, source_id, destination_id)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;
