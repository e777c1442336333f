package io.deliverymetrics.batch.management;

import io.deliverymetrics.batch.internal.DatabaseProbe;
import io.deliverymetrics.batch.model.TierStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the control database and of each shard: UP when the database answers {@code SELECT 1}
 * within {@code management.health-timeout}; a shard's details are its compaction lag per tier.
 */
final class DatabaseHealth {

    private DatabaseHealth() {}

    /** The control database (job repository, Quartz job store). */
    static HealthIndicator control(DataSource control, DatabaseProbe probe) {
        return () -> {
            try {
                probe.ping(control);
                return Health.up().build();
            } catch (DatabaseProbe.UnavailableException e) {
                return Health.down().withDetail("error", e.getMessage()).build();
            }
        };
    }

    /** One indicator per shard, named {@code shard<N>}. */
    static CompositeHealthContributor shards(CompactionLag lag) {
        Map<String, HealthIndicator> shards = new LinkedHashMap<>();
        for (int id = 0; id < lag.shardCount(); id++) {
            shards.put("shard" + id, shard(lag, id));
        }
        return CompositeHealthContributor.fromMap(shards);
    }

    private static HealthIndicator shard(CompactionLag lag, int shardId) {
        return () -> {
            try {
                List<TierStatus> statuses = lag.refresh(shardId);
                Health.Builder up = Health.up();
                for (TierStatus s : statuses) {
                    Map<String, Object> tier = new LinkedHashMap<>();
                    tier.put("lagBuckets", s.lagBuckets());
                    tier.put(
                            "compactedThrough",
                            s.compactedThrough().map(Object::toString).orElse(null));
                    tier.put("completeThrough", s.completeThrough().toString());
                    up.withDetail(s.tier().wireName(), tier);
                }
                return up.build();
            } catch (DatabaseProbe.UnavailableException e) {
                return Health.down().withDetail("error", e.getMessage()).build();
            }
        };
    }
}
