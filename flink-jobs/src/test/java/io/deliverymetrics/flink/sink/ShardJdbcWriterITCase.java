package io.deliverymetrics.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.BucketCodec;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.shard.ShardMap;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.flink.model.MinuteUpdate;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.sql.MetricRows;
import io.deliverymetrics.sql.Migrator;
import io.deliverymetrics.sql.PipelineProgress;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When the shard writer commits, on a real MariaDB: with a flush interval and a batch size far
 * beyond the test, a minute's rows and the progress that makes it complete are written as soon as
 * the watermark passes the minute's end, and not before.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class ShardJdbcWriterITCase {

    private static final String PIPELINE = "writer-test";
    private static final PairKey PAIR = new PairKey("ws_w", "src_web", "dst_hook");
    private static final Instant MINUTE = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void shouldCommitAMinuteAndItsProgressAsSoonAsTheWatermarkCompletesIt(
            EmbeddedMariaDb db, UniqueNames names) throws Exception {
        String database = names.database("writer");
        db.createDatabase(database);
        Shard shard = new Shard(0, db.jdbcUrl(database), db.user(), db.password());
        Migrator.migrateShards(new ShardMap(List.of(shard), Map.of()));

        try (ShardJdbcWriter writer =
                        new ShardJdbcWriter(
                                shard,
                                PIPELINE,
                                Duration.ofSeconds(30),
                                10_000,
                                Duration.ofHours(1),
                                0,
                                Duration.ofMillis(100),
                                0,
                                1,
                                UnregisteredMetricsGroup.createSinkWriterMetricGroup());
                Connection c = db.connect(database)) {
            writer.writeWatermark(new Watermark(at("12:00:30")));
            assertThat(completeThrough(c)).contains(MINUTE);

            writer.write(update(3), null);
            writer.writeWatermark(new Watermark(at("12:00:59.998")));
            assertThat(successes(c)).as("buffered while the minute is open").isZero();
            assertThat(completeThrough(c)).contains(MINUTE);

            writer.write(update(4), null);
            writer.writeWatermark(new Watermark(at("12:00:59.999")));
            assertThat(successes(c))
                    .as("committed with the watermark that ends the minute")
                    .isEqualTo(4);
            assertThat(completeThrough(c)).contains(MINUTE.plus(Duration.ofMinutes(1)));

            // A late correction inside the same minute of watermarks waits for the interval.
            writer.write(update(5), null);
            writer.writeWatermark(new Watermark(at("12:01:20")));
            assertThat(successes(c)).isEqualTo(4);
            writer.flush(false);
            assertThat(successes(c)).isEqualTo(5);
        }
    }

    private static MinuteUpdate update(int deliveries) {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < deliveries; i++) {
            Instant done = MINUTE.plusSeconds(i + 1);
            b.add(
                    new DeliveryAttempt(
                            PAIR.workspaceId(),
                            PAIR.sourceId(),
                            PAIR.destinationId(),
                            "evt_" + i,
                            1,
                            Outcome.DELIVERED,
                            null,
                            done.minusMillis(120),
                            done));
        }
        return new MinuteUpdate(
                PAIR.workspaceId(),
                PAIR.sourceId(),
                PAIR.destinationId(),
                MINUTE.toEpochMilli(),
                BucketCodec.encode(b),
                0);
    }

    private static long successes(Connection c) throws Exception {
        return MetricRows.readOne(c, Granularity.MINUTE, PAIR, MINUTE).successes();
    }

    private static Optional<Instant> completeThrough(Connection c) throws Exception {
        return PipelineProgress.completeThrough(c, PIPELINE);
    }

    private static long at(String time) {
        return Instant.parse("2026-11-26T" + time + "Z").toEpochMilli();
    }
}
