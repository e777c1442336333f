package io.deliverymetrics.batch.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.batch.model.BucketResult;
import io.deliverymetrics.batch.model.CompactionPlan;
import io.deliverymetrics.batch.model.PartitionChanges;
import io.deliverymetrics.batch.model.PartitionInfo;
import io.deliverymetrics.core.time.Granularity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompactionMetricsTest {

    private static final Instant HOUR = Instant.parse("2026-11-24T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CompactionMetrics metrics = new CompactionMetrics(registry);

    @Test
    void shouldRegisterTheCountersOfAShardAtZeroWhenItsRunIsPlanned() {
        metrics.planned(
                1,
                new CompactionPlan(
                        Granularity.HOUR,
                        List.of(),
                        Optional.of(HOUR),
                        HOUR.plus(Duration.ofHours(3)),
                        Optional.of(LocalDateTime.parse("2026-11-24T13:05:00"))));

        assertThat(rows("hour", "1")).isZero();
        assertThat(buckets("hour", "1", "catch-up")).isZero();
        assertThat(buckets("hour", "1", "repair")).isZero();
    }

    @Test
    void shouldCountFinerRowsReadAndBucketsWrittenByKind() {
        metrics.bucketCompacted(bucket(0, BucketResult.Kind.CATCH_UP, 60));
        metrics.bucketCompacted(bucket(0, BucketResult.Kind.CATCH_UP, 45));
        metrics.bucketCompacted(bucket(0, BucketResult.Kind.REPAIR, 7));
        metrics.bucketCompacted(bucket(1, BucketResult.Kind.CATCH_UP, 3));

        assertThat(rows("hour", "0")).isEqualTo(112);
        assertThat(rows("hour", "1")).isEqualTo(3);
        assertThat(buckets("hour", "0", "catch-up")).isEqualTo(2);
        assertThat(buckets("hour", "0", "repair")).isEqualTo(1);
    }

    @Test
    void shouldCountPartitionsAddedAndDroppedPerTable() {
        metrics.tableRetained(
                0,
                Granularity.MINUTE,
                new PartitionChanges(
                        "delivery_metrics_minute",
                        List.of(
                                PartitionInfo.bounded(
                                        "p20261127", Instant.parse("2026-11-28T00:00:00Z")),
                                PartitionInfo.bounded(
                                        "p20261128", Instant.parse("2026-11-29T00:00:00Z"))),
                        List.of("p20261119")));

        assertThat(
                        registry.get("delivery.metrics.compaction.retention.partitions.added")
                                .tags("shard", "0", "tier", "minute")
                                .tag("table", "delivery_metrics_minute")
                                .counter()
                                .count())
                .isEqualTo(2);
        assertThat(
                        registry.get("delivery.metrics.compaction.retention.partitions.dropped")
                                .tags("shard", "0", "tier", "minute")
                                .counter()
                                .count())
                .isEqualTo(1);
    }

    private static BucketResult bucket(int shard, BucketResult.Kind kind, long sourceRows) {
        return new BucketResult(
                shard, Granularity.HOUR, HOUR, kind, sourceRows, 2, Duration.ofMillis(4));
    }

    private double rows(String tier, String shard) {
        return registry.get("delivery.metrics.compaction.rows")
                .tags("tier", tier, "shard", shard)
                .counter()
                .count();
    }

    private double buckets(String tier, String shard, String kind) {
        return registry.get("delivery.metrics.compaction.buckets")
                .tags("tier", tier, "shard", shard, "kind", kind)
                .counter()
                .count();
    }
}
